/* global console */
// Vercel AI SDK middleware, offline: the AI SDK's own mock model stands in for a provider, so
// you can see what the model would receive and what was saved. With a real provider, replace
// the mock with e.g. openai("gpt-4o").
// Run after `npm run build`: node examples/ai-sdk-middleware.mjs
import { generateText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { kaizenMiddleware } from "kaizen-client/ai-sdk";

const inventory = Array.from({ length: 25 }, (_, i) => ({ sku: `SKU-${1000 + i}`, stock: (i * 7) % 40, warehouse: ["A", "B"][i % 2] }));

let received;
const provider = new MockLanguageModelV3({
  doGenerate: async (options) => {
    received = options.prompt;
    return {
      content: [{ type: "text", text: "SKU-1003 is low." }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: { total: 1, noCache: 1 }, outputTokens: { total: 1, text: 1 } },
      warnings: [],
    };
  },
});

const middleware = kaizenMiddleware({
  onSavings: (e) => console.log(`[kaizen] ${e.type}: saved ${e.tokensSaved} of ${e.tokensBefore} tokens in ${e.fragmentsCompressed} fragment(s)`),
});
const model = wrapLanguageModel({ model: provider, middleware });

const { text } = await generateText({
  model,
  messages: [
    { role: "user", content: "Which SKUs are low on stock?" },
    { role: "assistant", content: [{ type: "tool-call", toolCallId: "1", toolName: "inventory", input: {} }] },
    { role: "tool", content: [{ type: "tool-result", toolCallId: "1", toolName: "inventory", output: { type: "json", value: inventory } }] },
  ],
});
console.log(text);
console.log("the model received this tool result:\n" + received[2].content[0].output.value.split("\n").slice(0, 4).join("\n") + "\n...");
console.log("totals:", middleware.totals);
