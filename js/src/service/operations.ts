/**
 * The eight API operations over validated request bodies, returning the exact JSON bodies the
 * Python service returns (`kaizen_client/service/operations.py`): the same `stats`,
 * `token_stats`, `metadata` and `request_id` conventions, the same report.
 */
import { VERSION } from "../version.js";
import { decode, encode } from "../ktof/index.js";
import { countTokens } from "../tokens.js";
import { compactJson } from "../engine/compact.js";
import { DEFAULT_MODEL } from "../engine/defaults.js";
import { type CompressionOptions, compressMessages } from "../engine/messages.js";
import type { CompressionReport } from "../engine/report.js";
import type { Operation } from "../models.js";
import { NotFoundError } from "./errors.js";
import type { SchemaName } from "./validate.js";

type Body = Record<string, unknown>;
type Options = Record<string, unknown> | null | undefined;

/** Which schema validates each operation's body. */
export const REQUEST_SCHEMAS: Record<Exclude<Operation, "health">, SchemaName> = {
  compress: "EncodeRequest",
  decompress: "DecodeRequest",
  optimize: "EncodeRequest",
  optimize_request: "OptimizeRequestPayload",
  optimize_response: "OptimizeResponsePayload",
  prompts_encode: "PromptEncodePayload",
  prompts_decode: "PromptDecodePayload",
};

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Python's `round(a / b, 4)` for non-negative integers: half to even, exactly. */
export function ratio4(compressed: number, original: number): number {
  const scaled = BigInt(compressed) * 10000n;
  const divisor = BigInt(original);
  let quotient = scaled / divisor;
  const twice = (scaled - quotient * divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  return Number(quotient) / 10000;
}

function stats(original: string, compressed: string): Body {
  const originalBytes = utf8Length(original);
  const compressedBytes = utf8Length(compressed);
  return {
    original_bytes: originalBytes,
    compressed_bytes: compressedBytes,
    reduction_ratio: originalBytes ? ratio4(compressedBytes, originalBytes) : 0,
  };
}

function tokenStats(models: readonly string[], original: string, compressed: string): Body {
  const out: Body = {};
  for (const model of models) {
    out[model] = { original: countTokens(original, model), compressed: countTokens(compressed, model) };
  }
  return out;
}

function response(
  operation: string,
  result: unknown,
  original: string,
  compressed: string,
  requestId: string,
  tokenModels?: readonly string[] | null,
  metadata?: unknown,
): Body {
  const body: Body = { operation, status: "ok", result, stats: stats(original, compressed) };
  if (tokenModels !== undefined && tokenModels !== null) body.token_stats = tokenStats(tokenModels, original, compressed);
  if (metadata !== undefined && metadata !== null) body.metadata = metadata;
  body.request_id = requestId;
  return body;
}

function modelOf(options: Options): string {
  return typeof options?.model === "string" ? options.model : DEFAULT_MODEL;
}

function encodeValue(value: unknown, options: Options): string {
  const opts: Record<string, unknown> = { mode: options?.mode ?? "auto", model: modelOf(options) };
  if (options?.indent !== undefined && options.indent !== null) opts.indent = options.indent;
  if (options?.delimiter !== undefined && options.delimiter !== null) opts.delimiter = options.delimiter;
  return encode(value, opts);
}

function decodeText(text: string, options: Options): unknown {
  const strict = typeof options?.strict === "boolean" ? options.strict : true;
  const indent = typeof options?.indent === "number" ? options.indent : 2;
  return decode(text, { strict, indent, exact: true });
}

/** The engine options an API request asks for (`bypass` forces a bypass). */
export function engineOptions(options: Options, bypass = false): CompressionOptions {
  if (options === null || options === undefined) return { bypass };
  const number = (key: string): number | undefined => (typeof options[key] === "number" ? options[key] : undefined);
  return {
    model: modelOf(options),
    minTokensSaved: number("min_tokens_saved"),
    minPercentSaved: number("min_percent_saved"),
    bypass: options.bypass === true || bypass,
    preservePrefix: number("preserve_prefix"),
    respectCacheControl: typeof options.respect_cache_control === "boolean" ? options.respect_cache_control : undefined,
    mode: options.mode === "toon" ? "toon" : "auto",
    indent: number("indent"),
    delimiter: typeof options.delimiter === "string" ? options.delimiter : undefined,
  };
}

/**
 * The chat messages of `prompt` and how to put compressed ones back in its shape: a string
 * is one user message, a list is the messages, an object's `messages` list is (other keys
 * kept). Anything else has no messages.
 */
export function splitPrompt(prompt: unknown): [unknown[], (messages: unknown[]) => unknown] {
  if (typeof prompt === "string") {
    return [[{ role: "user", content: prompt }], (messages) => (messages[0] as Body).content];
  }
  if (Array.isArray(prompt)) return [prompt, (messages) => messages];
  if (prompt !== null && typeof prompt === "object" && !(prompt instanceof Map)) {
    const object = prompt as Body;
    if (Array.isArray(object.messages)) return [object.messages, (messages) => ({ ...object, messages })];
  }
  return [[], () => prompt];
}

function compressPrompt(
  prompt: unknown,
  options: Options,
  autoDetectJson: boolean,
): [unknown[], CompressionReport, (messages: unknown[]) => unknown] {
  const [messages, rebuild] = splitPrompt(prompt);
  const engine = { ...engineOptions(options, !autoDetectJson), model: modelOf(options) };
  const result = compressMessages(messages, engine);
  return [result.messages, result.report, rebuild];
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : compactJson(value);
}

/** Liveness; `mode` says the answer came from the in-process engine. */
export function health(requestId: string): Body {
  return { status: "ok", operation: "health", version: VERSION, mode: "local", request_id: requestId };
}

const opts = (body: Body): Options => body.options as Options;
const models = (body: Body): string[] | null | undefined => body.token_models as string[] | null | undefined;

export const OPERATIONS: Record<Exclude<Operation, "health">, (body: Body, requestId: string) => Body> = {
  compress(body, requestId) {
    const result = encodeValue(body.data, opts(body));
    return response("compress", result, compactJson(body.data), result, requestId, models(body), body.metadata);
  },
  decompress(body, requestId) {
    const value = decodeText(body.data as string, opts(body));
    return response("decompress", value, compactJson(value), body.data as string, requestId, undefined, body.metadata);
  },
  optimize(body, requestId) {
    const result = encodeValue(body.data, opts(body));
    const tokenModels = models(body) ?? [modelOf(opts(body))];
    return response("optimize", result, compactJson(body.data), result, requestId, tokenModels, body.metadata);
  },
  optimize_request(body, requestId) {
    const [compressed, report, rebuild] = compressPrompt(body.prompt, opts(body), body.auto_detect_json !== false);
    const result = rebuild(compressed);
    const out = response(
      "optimize.request",
      result,
      asText(body.prompt),
      asText(result),
      requestId,
      models(body),
      body.metadata,
    );
    out.report = report;
    return out;
  },
  optimize_response(body, requestId) {
    const value = decodeText(body.ktof as string, opts(body));
    return response("optimize.response", value, compactJson(value), body.ktof as string, requestId, undefined, body.metadata);
  },
  prompts_encode(body, requestId) {
    const result = encodeValue(body.prompt, opts(body));
    const [compressed, report] = compressPrompt(body.prompt, opts(body), body.auto_detect_json !== false);
    const out = response("prompts.encode", result, compactJson(body.prompt), result, requestId, models(body), body.metadata);
    out.messages = compressed;
    out.report = report;
    return out;
  },
  prompts_decode(body, requestId) {
    if (typeof body.ktof !== "string") {
      // The local engine stores nothing; the server resolves stored ids before this.
      throw new NotFoundError(`unknown payload_id '${String(body.payload_id)}'`, { payload_id: body.payload_id });
    }
    const value = decodeText(body.ktof, opts(body));
    return response("prompts.decode", value, compactJson(value), body.ktof, requestId, undefined, body.metadata);
  },
};
