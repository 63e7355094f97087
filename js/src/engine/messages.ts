/**
 * `compressMessages`: re-encode the JSON inside chat messages where it saves tokens. A port
 * of Python's `engine/messages.py`, with the same rules (see its docstring and
 * `docs/engine.md`), decisions and report:
 *
 * - touched: `content` when it is a string; in a content list, each `text`/`input_text`
 *   part's `text` and each Anthropic `tool_result` block's `content` (a string, or blocks);
 * - never: assistant messages, tool-call arguments, messages before `preservePrefix` or (with
 *   `respectCacheControl`) up to the last Anthropic `cache_control` breakpoint (reported as
 *   `cache_prefix`);
 * - the input is never mutated; only the messages and content lists that change are copied.
 *
 * A fenced block keeps its fence, relabelled `toon` or `ktof`; a multi-line replacement of an
 * embedded fragment is put on lines of its own.
 */
import { ENGINE_CACHE, MAX_CACHED_CHARS } from "./cache.js";
import {
  DEFAULT_MIN_PERCENT_SAVED,
  DEFAULT_MIN_TOKENS_SAVED,
  DEFAULT_MODEL,
  type EncodeMode,
  type FragmentKind,
  type FragmentReason,
} from "./defaults.js";
import { type Fragment, findFragments } from "./fragments.js";
import { type GateSettings, count, decide } from "./gating.js";
import { type CompressionReport, type FragmentDecision, reportFromFragments } from "./report.js";

const SKIPPED_ROLES = new Set(["assistant"]);
const TEXT_PART_TYPES = new Set(["text", "input_text"]);

/** Knobs of `compressMessages` (defaults: 10 tokens and 5 % must be saved). */
export interface CompressionOptions {
  /** Model whose tokenizer counts (default `gpt-4o`). */
  model?: string | undefined;
  minTokensSaved?: number | undefined;
  minPercentSaved?: number | undefined;
  /** Change nothing; report every fragment as `bypassed`. */
  bypass?: boolean | undefined;
  /** Messages before this index are never rewritten (`cache_prefix`). */
  preservePrefix?: number | undefined;
  /** Also keep every message up to the last Anthropic `cache_control` breakpoint. */
  respectCacheControl?: boolean | undefined;
  mode?: EncodeMode | undefined;
  indent?: number | undefined;
  delimiter?: string | undefined;
  /** Decode every replacement and compare it with the original before using it. */
  verify?: boolean | undefined;
  /** Treat a string that is JSON lines as one table of records (kind `jsonl`). */
  jsonl?: boolean | undefined;
}

/** (kind, reason, tokensBefore, tokensAfter) for one fragment of one string. */
type Item = readonly [FragmentKind, FragmentReason, number, number];

function gateSettings(options: CompressionOptions): GateSettings {
  const settings = {
    mode: options.mode ?? "auto",
    minTokensSaved: options.minTokensSaved ?? DEFAULT_MIN_TOKENS_SAVED,
    minPercentSaved: options.minPercentSaved ?? DEFAULT_MIN_PERCENT_SAVED,
    indent: options.indent,
    delimiter: options.delimiter,
    verify: options.verify ?? true,
    jsonl: options.jsonl ?? true,
  };
  return { ...settings, key: JSON.stringify(settings) };
}

type Message = Record<string, unknown>;

function isMapping(value: unknown): value is Message {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Compressed copy of `messages` and the report of every fragment decision. */
export function compressMessages(
  messages: readonly unknown[],
  options: CompressionOptions = {},
): { messages: unknown[]; report: CompressionReport } {
  const model = options.model ?? DEFAULT_MODEL;
  const settings = gateSettings(options);
  let prefixEnd = options.preservePrefix ?? 0;
  if (options.respectCacheControl ?? true) prefixEnd = Math.max(prefixEnd, lastCacheBreakpoint(messages) + 1);
  const out: unknown[] = [];
  const decisions: FragmentDecision[] = [];
  messages.forEach((message, index) => {
    if (!isMapping(message) || SKIPPED_ROLES.has(message.role as string)) {
      out.push(message);
      return;
    }
    let skip: FragmentReason | undefined;
    if (options.bypass === true) skip = "bypassed";
    else if (index < prefixEnd) skip = "cache_prefix";
    out.push(new MessageWalker(index, model, settings, skip, decisions).message(message));
  });
  return { messages: out, report: reportFromFragments(model, decisions) };
}

/**
 * `text` with its worthwhile JSON fragments replaced, and the report of every decision: the
 * string-level entry point for integrations that hold text (a tool output, a retrieved
 * node). Decisions are reported with `message_index` 0 and path `"text"`; `preservePrefix`
 * and `respectCacheControl` do not apply, `bypass` does.
 */
export function compressText(text: string, options: CompressionOptions = {}): { text: string; report: CompressionReport } {
  const model = options.model ?? DEFAULT_MODEL;
  const skip: FragmentReason | undefined = options.bypass === true ? "bypassed" : undefined;
  const decisions: FragmentDecision[] = [];
  const out = new MessageWalker(0, model, gateSettings(options), skip, decisions).string(text, "text");
  return { text: out, report: reportFromFragments(model, decisions) };
}

/**
 * Compression of strings one at a time, each reported under a message index and path of the
 * caller's choosing: for integrations whose messages are not OpenAI/Anthropic-shaped (the AI
 * SDK middleware), with the same detection, gate, cache and report as `compressMessages`.
 */
export class TextCompressor {
  readonly model: string;
  readonly #settings: GateSettings;
  readonly #bypass: boolean;
  readonly #decisions: FragmentDecision[] = [];

  constructor(options: CompressionOptions = {}) {
    this.model = options.model ?? DEFAULT_MODEL;
    this.#settings = gateSettings(options);
    this.#bypass = options.bypass === true;
  }

  /** `text` with its worthwhile fragments replaced; `skip` keeps it and reports that reason. */
  compress(text: string, messageIndex: number, path: string, skip?: FragmentReason): string {
    const reason = this.#bypass ? "bypassed" : skip;
    return new MessageWalker(messageIndex, this.model, this.#settings, reason, this.#decisions).string(text, path);
  }

  /** The report of every decision so far. */
  report(): CompressionReport {
    return reportFromFragments(this.model, this.#decisions);
  }
}

/** Index of the last message with a `cache_control` marker (on it or a block), or -1. */
export function lastCacheBreakpoint(messages: readonly unknown[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (!isMapping(message)) continue;
    if (message.cache_control !== undefined && message.cache_control !== null) return index;
    if (hasBreakpoint(message.content)) return index;
  }
  return -1;
}

function hasBreakpoint(content: unknown): boolean {
  if (!Array.isArray(content)) return false;
  return content.some(
    (part) =>
      isMapping(part) &&
      ((part.cache_control !== undefined && part.cache_control !== null) || hasBreakpoint(part.content)),
  );
}

/** Rewrites the strings of one message, recording a decision per fragment. */
class MessageWalker {
  constructor(
    private readonly index: number,
    private readonly model: string,
    private readonly settings: GateSettings,
    private readonly skip: FragmentReason | undefined,
    private readonly decisions: FragmentDecision[],
  ) {}

  message(message: Message): unknown {
    const content = message.content;
    let next: unknown;
    if (typeof content === "string") next = this.string(content, "content");
    else if (Array.isArray(content)) next = this.parts(content, "content");
    else return message;
    return next === content ? message : { ...message, content: next };
  }

  parts(parts: unknown[], path: string): unknown[] {
    let out: unknown[] | undefined;
    parts.forEach((part, k) => {
      const next = this.part(part, `${path}[${k}]`);
      if (next !== part) {
        out ??= [...parts];
        out[k] = next;
      }
    });
    return out ?? parts;
  }

  part(part: unknown, path: string): unknown {
    if (!isMapping(part)) return part;
    const kind = part.type;
    let inner: unknown;
    let next: unknown;
    let key: string;
    if (kind === "tool_result") {
      inner = part.content;
      if (typeof inner === "string") next = this.string(inner, `${path}.content`);
      else if (Array.isArray(inner)) next = this.parts(inner, `${path}.content`);
      else return part;
      key = "content";
    } else if (typeof kind === "string" && TEXT_PART_TYPES.has(kind) && typeof part.text === "string") {
      inner = part.text;
      next = this.string(part.text, `${path}.text`);
      key = "text";
    } else {
      return part;
    }
    return next === inner ? part : { ...part, [key]: next };
  }

  string(text: string, path: string): string {
    const [next, items] = rewriteString(text, this.model, this.settings, this.skip);
    for (const [kind, reason, before, after] of items) {
      this.decisions.push({
        message_index: this.index,
        path,
        kind,
        action: reason === "compressed" ? "compressed" : "skipped",
        reason,
        tokens_before: before,
        tokens_after: after,
      });
    }
    return next === text ? text : next;
  }
}

/** `text` with its worthwhile fragments replaced, and one item per fragment (cached). */
export function rewriteString(
  text: string,
  model: string,
  settings: GateSettings,
  skip?: FragmentReason,
): readonly [string, readonly Item[]] {
  if (!text.includes("{") && !text.includes("[")) return [text, []]; // plain prose: no scan
  if (text.length > MAX_CACHED_CHARS) return rewrite(text, model, settings, skip);
  const key = `string\u0000${model}\u0000${settings.key}\u0000${skip ?? ""}\u0000${text}`;
  const cached = ENGINE_CACHE.get(key) as readonly [string, readonly Item[]] | undefined;
  if (cached !== undefined) return cached;
  const result = rewrite(text, model, settings, skip);
  ENGINE_CACHE.put(key, result);
  return result;
}

function rewrite(
  text: string,
  model: string,
  settings: GateSettings,
  skip: FragmentReason | undefined,
): readonly [string, readonly Item[]] {
  const fragments = findFragments(text, settings.jsonl);
  if (fragments.length === 0) return [text, []];
  const items: Item[] = [];
  const pieces: string[] = [];
  let cursor = 0;
  for (const fragment of fragments) {
    const [replacement, item] = replace(text, fragment, model, settings, skip);
    items.push(item);
    if (replacement !== undefined) {
      pieces.push(text.slice(cursor, fragment.start), replacement);
      cursor = fragment.end;
    }
  }
  if (pieces.length === 0) return [text, items];
  pieces.push(text.slice(cursor));
  return [pieces.join(""), items];
}

/** The replacement for `fragment` (undefined to keep it) and its report item. */
function replace(
  text: string,
  fragment: Fragment,
  model: string,
  settings: GateSettings,
  skip: FragmentReason | undefined,
): [string | undefined, Item] {
  if (fragment.problem !== undefined) {
    // Not a complete, source-exact JSON value: keep it.
    const tokens = count(fragment.jsonText, model);
    return [undefined, [fragment.kind, fragment.problem, tokens, tokens]];
  }
  if (skip !== undefined) {
    const tokens = count(fragment.jsonText, model);
    return [undefined, [fragment.kind, skip, tokens, tokens]];
  }
  const outcome = decide(fragment.jsonText, fragment.value, model, settings, fragment.kind === "fenced");
  const item: Item = [fragment.kind, outcome.reason, outcome.tokensBefore, outcome.tokensAfter];
  let encoded = outcome.encoded;
  if (encoded === undefined) return [undefined, item];
  if (fragment.kind === "fenced") return ["```" + outcome.label + "\n" + encoded + "\n```", item];
  if (fragment.kind === "embedded" && encoded.includes("\n")) {
    if (fragment.start > 0 && text[fragment.start - 1] !== "\n") encoded = "\n" + encoded;
    if (fragment.end < text.length && text[fragment.end] !== "\n") encoded += "\n";
  }
  return [encoded, item];
}
