/* global console */
// The engine directly: compressMessages rewrites the JSON inside chat messages as KTOF where it
// saves enough tokens, and says what it did with every fragment.
// Run after `npm run build`: node examples/compress-messages.mjs
import { compressMessages, decode } from "kaizen-client";

const rows = Array.from({ length: 15 }, (_, i) => ({ id: i, city: ["Oslo", "Rome", "Lima"][i % 3], temp: 10 + i / 2 }));
const messages = [
  { role: "system", content: "You are a weather assistant." },
  { role: "user", content: `Readings:\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\nWhich city is warmest?` },
  { role: "user", content: 'A small one stays JSON: {"unit": "C"}' },
  { role: "assistant", content: JSON.stringify(rows) }, // never touched
];

const { messages: out, report } = compressMessages(messages, { model: "gpt-4o" });
console.log(out[1].content);
console.log("\nmessage  path                kind      reason      tokens");
for (const f of report.fragments) {
  console.log(`${String(f.message_index).padEnd(8)} ${f.path.padEnd(19)} ${f.kind.padEnd(9)} ${f.reason.padEnd(11)} ${f.tokens_before} -> ${f.tokens_after}`);
}
console.log(`saved ${report.tokens_saved} of ${report.tokens_before} tokens`);

const body = out[1].content.split("```")[1].replace(/^(toon|ktof)\n/, "");
console.log(`fence decodes to the rows: ${JSON.stringify(decode(body)) === JSON.stringify(rows)}`);
