/**
 * kaizenMiddleware through the AI SDK itself: `wrapLanguageModel` + `generateText` /
 * `streamText` over the SDK's own `MockLanguageModelV3`, checking what the model received.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { type ModelMessage, generateText, simulateReadableStream, streamText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it, vi } from "vitest";
import { type KaizenSavingsEvent, KaizenMiddlewareError, kaizenMiddleware } from "../../src/ai-sdk/index.js";
import { decode } from "../../src/ktof/index.js";

const ORDERS = Array.from({ length: 20 }, (_, i) => ({
  id: 1000 + i,
  customer: `customer-${i % 7}`,
  status: i % 3 === 0 ? "shipped" : "pending",
  total: Math.round((19.99 + i * 3.5) * 100) / 100,
}));
const ORDERS_TEXT = JSON.stringify(ORDERS, null, 2);

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function mockModel() {
  return new MockLanguageModelV3({
    doGenerate: () =>
      Promise.resolve({
        content: [{ type: "text", text: "Three orders shipped." }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: USAGE,
        warnings: [],
      }),
    doStream: () =>
      Promise.resolve({
        stream: simulateReadableStream({
          chunks: [
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "Three " },
            { type: "text-delta", id: "t", delta: "shipped." },
            { type: "text-end", id: "t" },
            { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: USAGE },
          ],
        }),
      }),
  });
}

const SYSTEM = `Answer from the data. Schema example: ${JSON.stringify(ORDERS.slice(0, 3))}`;
const MESSAGES: ModelMessage[] = [
  { role: "user", content: `Here are my orders:\n${ORDERS_TEXT}\nWhich shipped?` },
  {
    role: "assistant",
    content: [{ type: "tool-call", toolCallId: "c1", toolName: "lookup", input: { ids: ORDERS.map((o) => o.id) } }],
  },
  {
    role: "tool",
    content: [{ type: "tool-result", toolCallId: "c1", toolName: "lookup", output: { type: "json", value: ORDERS } }],
  },
];

function partsOf(prompt: LanguageModelV3Prompt, role: string) {
  const message = prompt.find((m) => m.role === role);
  if (message === undefined || typeof message.content === "string") throw new Error(`no ${role} parts`);
  return message.content;
}

function check(received: LanguageModelV3CallOptions) {
  const prompt = received.prompt;
  // system prompt untouched (instructions are not data) unless asked
  expect(prompt[0]).toEqual({ role: "system", content: SYSTEM });
  // user text: the embedded JSON became KTOF on lines of its own, decoding to the orders
  const [userPart] = partsOf(prompt, "user");
  expect(userPart?.type).toBe("text");
  const text = userPart?.type === "text" ? userPart.text : "";
  expect(text.startsWith("Here are my orders:\n")).toBe(true);
  expect(text.endsWith("\nWhich shipped?")).toBe(true);
  const ktof = text.slice("Here are my orders:\n".length, -"\nWhich shipped?".length);
  expect(ktof).not.toContain('"customer"');
  expect(decode(ktof)).toEqual(ORDERS);
  // tool-call input untouched, tool result sent as KTOF text that decodes to the JSON value
  expect(partsOf(prompt, "assistant")[0]).toMatchObject({ type: "tool-call", input: { ids: ORDERS.map((o) => o.id) } });
  const [result] = partsOf(prompt, "tool");
  expect(result).toMatchObject({ type: "tool-result", toolCallId: "c1", output: { type: "text" } });
  const output = result?.type === "tool-result" ? result.output : undefined;
  expect(output?.type === "text" ? decode(output.value) : undefined).toEqual(ORDERS);
}

describe("kaizenMiddleware", () => {
  it("compresses user text and tool results for generateText, and reports the savings", async () => {
    const model = mockModel();
    const events: KaizenSavingsEvent[] = [];
    const middleware = kaizenMiddleware({ onSavings: (e) => events.push(e) });
    const result = await generateText({ model: wrapLanguageModel({ model, middleware }), system: SYSTEM, messages: MESSAGES });
    expect(result.text).toBe("Three orders shipped.");
    expect(model.doGenerateCalls).toHaveLength(1);
    check(model.doGenerateCalls[0] as LanguageModelV3CallOptions);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe("generate");
    expect(event?.fragmentsCompressed).toBe(2);
    expect(event?.tokensSaved).toBeGreaterThan(100);
    expect(event?.tokensSaved).toBe((event?.tokensBefore ?? 0) - (event?.tokensAfter ?? 0));
    expect(event?.report.fragments.map((f) => [f.message_index, f.path, f.kind, f.reason])).toEqual([
      [1, "content[0].text", "embedded", "compressed"],
      [3, "content[0].output.value", "whole", "compressed"],
    ]);
    expect(middleware.totals).toMatchObject({ calls: 1, compressedCalls: 1, failures: 0, fragmentsCompressed: 2 });
    expect(event?.report.model).toBe("mock-model-id"); // counted with the wrapped model's tokenizer
  });

  it("counts with the model it is told to", async () => {
    const model = mockModel();
    const events: KaizenSavingsEvent[] = [];
    const middleware = kaizenMiddleware({ model: "gpt-4", onSavings: (e) => events.push(e) });
    await generateText({ model: wrapLanguageModel({ model, middleware }), messages: MESSAGES });
    expect(events[0]?.report.model).toBe("gpt-4");
    expect(events[0]?.fragmentsCompressed).toBe(2);
  });

  it("does the same for streamText and accumulates totals over calls", async () => {
    const model = mockModel();
    const middleware = kaizenMiddleware();
    const wrapped = wrapLanguageModel({ model, middleware });
    const stream = streamText({ model: wrapped, system: SYSTEM, messages: MESSAGES });
    expect(await stream.text).toBe("Three shipped.");
    check(model.doStreamCalls[0] as LanguageModelV3CallOptions);
    const once = middleware.totals.tokensSaved;
    expect(once).toBeGreaterThan(100);
    await generateText({ model: wrapped, system: SYSTEM, messages: MESSAGES });
    expect(middleware.totals).toMatchObject({ calls: 2, compressedCalls: 2, tokensSaved: 2 * once, fragmentsCompressed: 4 });
    middleware.resetTotals();
    expect(middleware.totals.calls).toBe(0);
  });

  it("leaves small JSON, prose and the cached prefix alone", async () => {
    const model = mockModel();
    const middleware = kaizenMiddleware();
    const messages: ModelMessage[] = [
      {
        role: "user",
        content: [{ type: "text", text: ORDERS_TEXT, providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } } }],
      },
      { role: "user", content: 'Small: {"a": 1, "b": [1, 2]} and prose [see notes].' },
    ];
    await generateText({ model: wrapLanguageModel({ model, middleware }), messages });
    const prompt = (model.doGenerateCalls[0] as LanguageModelV3CallOptions).prompt;
    expect(partsOf(prompt, "user")[0]).toMatchObject({ text: ORDERS_TEXT });
    expect(prompt[1]).toMatchObject({ content: [{ type: "text", text: 'Small: {"a": 1, "b": [1, 2]} and prose [see notes].' }] });
    expect(middleware.totals).toMatchObject({ compressedCalls: 0, tokensSaved: 0 });
  });

  it("compresses the system prompt when asked", async () => {
    const model = mockModel();
    const system = `Reference data:\n${ORDERS_TEXT}`;
    await generateText({
      model: wrapLanguageModel({ model, middleware: kaizenMiddleware({ system: true }) }),
      system,
      prompt: "hi",
    });
    const sent = (model.doGenerateCalls[0] as LanguageModelV3CallOptions).prompt[0];
    expect(sent?.role).toBe("system");
    expect(sent?.content).not.toBe(system);
    expect(decode((sent?.content as string).slice("Reference data:\n".length))).toEqual(ORDERS);
  });

  it("fails open by default: the original prompt goes through, counted and logged", async () => {
    const model = mockModel();
    const errors: unknown[] = [];
    const middleware = kaizenMiddleware({ onError: (e) => errors.push(e) });
    const poisoned = { type: "text", get text(): string { throw new Error("unreadable part"); } };
    const params = { prompt: [{ role: "user", content: [poisoned] }] } as unknown as LanguageModelV3CallOptions;
    const out = await middleware.transformParams?.({ type: "generate", params, model });
    expect(out).toBe(params);
    expect(middleware.totals).toMatchObject({ calls: 1, failures: 1 });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("unreadable part");

    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await kaizenMiddleware().transformParams?.({ type: "generate", params, model });
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain("the original prompt was sent");
    warn.mockRestore();
  });

  it("raises KaizenMiddlewareError with failOpen: false, and the model is not called", async () => {
    const model = mockModel();
    const middleware = kaizenMiddleware({ failOpen: false, onError: () => undefined });
    const poisoned = { type: "text", get text(): string { throw new Error("unreadable part"); } };
    const params = { prompt: [{ role: "user", content: [poisoned] }] } as unknown as LanguageModelV3CallOptions;
    await expect(middleware.transformParams?.({ type: "stream", params, model })).rejects.toBeInstanceOf(KaizenMiddlewareError);
    expect(middleware.totals.failures).toBe(1);
    expect(model.doStreamCalls).toHaveLength(0);
  });
});
