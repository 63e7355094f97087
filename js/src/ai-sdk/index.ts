/**
 * Vercel AI SDK middleware: compress the JSON in a prompt's tool results and user text before
 * the model sees it.
 *
 * ```ts
 * import { wrapLanguageModel } from "ai";
 * import { kaizenMiddleware } from "kaizen-client/ai-sdk";
 * const model = wrapLanguageModel({ model: openai("gpt-4o"), middleware: kaizenMiddleware() });
 * ```
 *
 * `transformParams` runs the engine (`compressText`, same detection, gating and verification as
 * `compressMessages`) over each user text part and each tool result: `text`/`error-text`
 * outputs, `content` outputs' text parts, and `json`/`error-json` outputs, whose value is
 * measured as the compact JSON a provider would send and, when KTOF saves enough, sent as text
 * instead. System prompts are left alone unless `system: true`; assistant messages (and the
 * tool calls in them) never change, nor do messages in the cached prefix (`preservePrefix`,
 * and with `respectCacheControl` every message up to the last one carrying an Anthropic
 * `cacheControl` provider option).
 *
 * Savings: `onSavings` gets each call's report; `middleware.totals` accumulates them.
 * Failures: by default the original prompt goes through (fail open), counted in
 * `totals.failures` and passed to `onError` (default: one `console.warn` line); with
 * `failOpen: false` the call throws `KaizenMiddlewareError` instead.
 *
 * This module imports nothing from `ai` at run time (only types), so `ai` stays an optional
 * peer dependency of `kaizen-client`.
 */
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3Middleware,
  LanguageModelV3ToolResultOutput,
} from "@ai-sdk/provider";
import { compactJson } from "../engine/compact.js";
import { type CompressionOptions, TextCompressor } from "../engine/messages.js";
import type { FragmentReason } from "../engine/defaults.js";
import type { CompressionReport } from "../engine/report.js";

/** What one call saved (or, when `failed`, why nothing was). */
export interface KaizenSavingsEvent {
  /** `generate` (generateText/generateObject) or `stream` (streamText/streamObject). */
  type: "generate" | "stream";
  report: CompressionReport;
  tokensBefore: number;
  tokensAfter: number;
  tokensSaved: number;
  fragmentsCompressed: number;
}

/** Sums over every call the middleware has seen. */
export interface KaizenTotals {
  calls: number;
  /** Calls whose prompt changed. */
  compressedCalls: number;
  /** Calls whose compression failed (the original prompt went through, or the call threw). */
  failures: number;
  tokensBefore: number;
  tokensAfter: number;
  tokensSaved: number;
  fragmentsCompressed: number;
}

export interface KaizenMiddlewareOptions extends CompressionOptions {
  /**
   * Model whose tokenizer counts the savings (default: the wrapped model's `modelId`; OpenAI
   * models are exact, others an `o200k_base` estimate, see `tokenizerInfo`).
   */
  model?: string | undefined;
  /** Also compress the system prompt (default false: instructions are not data). */
  system?: boolean | undefined;
  /** Called after each call's prompt was compressed, with what it saved. */
  onSavings?: ((event: KaizenSavingsEvent) => void) | undefined;
  /** Called when compression failed (default: one `console.warn` line). */
  onError?: ((error: unknown) => void) | undefined;
  /** Send the original prompt when compression fails (default true); false: throw. */
  failOpen?: boolean | undefined;
}

/** Thrown with `failOpen: false` when the prompt could not be compressed. */
export class KaizenMiddlewareError extends Error {
  override name = "KaizenMiddlewareError";
}

/** The middleware, plus the running totals of what it saved. */
export type KaizenMiddleware = LanguageModelV3Middleware & {
  readonly totals: Readonly<KaizenTotals>;
  resetTotals(): void;
};

function zeroTotals(): KaizenTotals {
  return { calls: 0, compressedCalls: 0, failures: 0, tokensBefore: 0, tokensAfter: 0, tokensSaved: 0, fragmentsCompressed: 0 };
}

type ProviderOptions = Record<string, Record<string, unknown> | undefined> | undefined;

function hasCacheControl(providerOptions: unknown): boolean {
  const anthropic = (providerOptions as ProviderOptions)?.anthropic;
  return anthropic !== undefined && (anthropic.cacheControl != null || anthropic.cache_control != null);
}

/** Index of the last message carrying an Anthropic cache breakpoint (on it or a part), or -1. */
function lastCacheBreakpoint(prompt: readonly LanguageModelV3Message[]): number {
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index];
    if (message === undefined) continue;
    if (hasCacheControl(message.providerOptions)) return index;
    if (Array.isArray(message.content) && message.content.some((part) => hasCacheControl(part.providerOptions))) return index;
  }
  return -1;
}

/** Compresses one prompt; every string goes through one `TextCompressor` so one report covers the call. */
class PromptRewriter {
  readonly compressor: TextCompressor;

  constructor(
    options: KaizenMiddlewareOptions,
    private readonly prefixEnd: number,
  ) {
    this.compressor = new TextCompressor(options);
    this.system = options.system === true;
  }

  private readonly system: boolean;

  text(text: string, index: number, path: string): string {
    const skip: FragmentReason | undefined = index < this.prefixEnd ? "cache_prefix" : undefined;
    return this.compressor.compress(text, index, path, skip);
  }

  message(message: LanguageModelV3Message, index: number): LanguageModelV3Message {
    switch (message.role) {
      case "system": {
        if (!this.system) return message;
        const content = this.text(message.content, index, "content");
        return content === message.content ? message : { ...message, content };
      }
      case "user": {
        const content = mapChanged(message.content, (part, k) => {
          if (part.type !== "text") return part;
          const text = this.text(part.text, index, `content[${k}].text`);
          return text === part.text ? part : { ...part, text };
        });
        return content === message.content ? message : { ...message, content };
      }
      case "tool": {
        const content = mapChanged(message.content, (part, k) => {
          if (part.type !== "tool-result") return part;
          const output = this.output(part.output, index, `content[${k}].output`);
          return output === part.output ? part : { ...part, output };
        });
        return content === message.content ? message : { ...message, content };
      }
      default:
        return message; // assistant: a model imitates its own turns; tool calls must stay JSON
    }
  }

  output(output: LanguageModelV3ToolResultOutput, index: number, path: string): LanguageModelV3ToolResultOutput {
    switch (output.type) {
      case "text":
      case "error-text": {
        const value = this.text(output.value, index, `${path}.value`);
        return value === output.value ? output : { ...output, value };
      }
      case "json":
      case "error-json": {
        // Measured as what a provider sends for a JSON result: its compact JSON text.
        const source = compactJson(output.value);
        const value = this.text(source, index, `${path}.value`);
        if (value === source) return output;
        const type = output.type === "json" ? "text" : "error-text";
        return output.providerOptions === undefined ? { type, value } : { type, value, providerOptions: output.providerOptions };
      }
      case "content": {
        const value = mapChanged(output.value, (part, k) => {
          if (part.type !== "text") return part;
          const text = this.text(part.text, index, `${path}.value[${k}].text`);
          return text === part.text ? part : { ...part, text };
        });
        return value === output.value ? output : { ...output, value };
      }
      default:
        return output;
    }
  }
}

/** `items` with `fn` applied, the same array when nothing changed (so unchanged parts stay shared). */
function mapChanged<T>(items: readonly T[], fn: (item: T, index: number) => T): T[] {
  let out: T[] | undefined;
  items.forEach((item, index) => {
    const next = fn(item, index);
    if (next !== item) {
      out ??= [...items];
      out[index] = next;
    }
  });
  return out ?? (items as T[]);
}

/** Compress `params.prompt`; the report says what was decided for each JSON fragment. */
export function compressPrompt(
  params: LanguageModelV3CallOptions,
  options: KaizenMiddlewareOptions = {},
): { params: LanguageModelV3CallOptions; report: CompressionReport } {
  const prompt = params.prompt;
  let prefixEnd = options.preservePrefix ?? 0;
  if (options.respectCacheControl ?? true) prefixEnd = Math.max(prefixEnd, lastCacheBreakpoint(prompt) + 1);
  const rewriter = new PromptRewriter(options, prefixEnd);
  const next = mapChanged(prompt, (message, index) => rewriter.message(message, index));
  const report = rewriter.compressor.report();
  return { params: next === prompt ? params : { ...params, prompt: next }, report };
}

/** The AI SDK language-model middleware (specification v3, `ai` 6). */
export function kaizenMiddleware(options: KaizenMiddlewareOptions = {}): KaizenMiddleware {
  let totals = zeroTotals();
  const failOpen = options.failOpen ?? true;
  const onError =
    options.onError ??
    ((error: unknown) => {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      console.warn(`kaizen middleware: compression failed, the original prompt was sent (${why})`);
    });
  return {
    specificationVersion: "v3",
    get totals() {
      return { ...totals };
    },
    resetTotals() {
      totals = zeroTotals();
    },
    transformParams({ type, params, model }) {
      totals.calls++;
      let result: ReturnType<typeof compressPrompt>;
      try {
        // Tokens are counted with the wrapped model's tokenizer unless told otherwise.
        result = compressPrompt(params, { ...options, model: options.model ?? model.modelId });
      } catch (error) {
        totals.failures++;
        try {
          onError(error);
        } catch {
          // a failing error handler must not turn fail-open into a failure
        }
        if (failOpen) return Promise.resolve(params);
        return Promise.reject(new KaizenMiddlewareError("kaizen middleware could not compress the prompt", { cause: error }));
      }
      const { report } = result;
      if (result.params !== params) totals.compressedCalls++;
      totals.tokensBefore += report.tokens_before;
      totals.tokensAfter += report.tokens_after;
      totals.tokensSaved += report.tokens_saved;
      totals.fragmentsCompressed += report.fragments_compressed;
      try {
        options.onSavings?.({
          type,
          report,
          tokensBefore: report.tokens_before,
          tokensAfter: report.tokens_after,
          tokensSaved: report.tokens_saved,
          fragmentsCompressed: report.fragments_compressed,
        });
      } catch (error) {
        onError(error); // a broken savings callback does not cost the call its compression
      }
      return Promise.resolve(result.params);
    },
  };
}
