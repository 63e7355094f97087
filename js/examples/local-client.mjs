/* global console */
// The Kaizen client in local mode: no server, no API key, no network. Every operation of the
// REST API answered by the engine in this process, exactly as the Python server answers it.
// Run after `npm run build`: node examples/local-client.mjs
import { KaizenClient } from "kaizen-client";

const kaizen = new KaizenClient({ env: {} }); // no URL, no key: local mode
const orders = Array.from({ length: 8 }, (_, i) => ({ id: 100 + i, sku: `SKU-${i % 3}`, qty: i + 1, paid: i % 2 === 0 }));

const compressed = await kaizen.compress({ data: { orders }, token_models: ["gpt-4o"] });
console.log(`mode: ${kaizen.mode}`);
console.log(compressed.result);
const tokens = compressed.token_stats?.["gpt-4o"];
console.log(`bytes ${compressed.stats.original_bytes} -> ${compressed.stats.compressed_bytes}, gpt-4o tokens ${tokens?.original} -> ${tokens?.compressed}`);

const back = await kaizen.decompress({ data: compressed.result });
console.log(`round trip equal: ${JSON.stringify(back.result) === JSON.stringify({ orders })}`);

const chat = [
  { role: "system", content: "Answer from the data." },
  { role: "user", content: `Orders:\n${JSON.stringify(orders, null, 2)}\nWhich are unpaid?` },
];
const request = await kaizen.optimizeRequest({ prompt: { model: "gpt-4o", messages: chat } });
console.log(`optimize_request: ${request.report.tokens_before} -> ${request.report.tokens_after} tokens in ${request.report.fragments_compressed} fragment(s)`);
