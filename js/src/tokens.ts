/**
 * Offline, exact token counting for OpenAI models (and honest estimates for the rest).
 *
 * The mirror of `kaizen_client.tokens` (Python): the same model routing, the same counts.
 * KTOF's auto mode picks forms by exact token cost, so the TypeScript encoder writes the
 * Python encoder's bytes only if both count alike; `gpt-tokenizer` embeds the `o200k_base` and
 * `cl100k_base` tables and produces tiktoken's tokens (the contract tests compare its counts
 * with Python's on shared vectors).
 *
 * Special-token text such as `<|endoftext|>` counts as ordinary text (tiktoken's
 * `encode_ordinary`), so counting never throws; lone surrogates count as U+FFFD, as in tiktoken.
 */
import { BytePairEncodingCore } from "gpt-tokenizer/BytePairEncodingCore";
import cl100kRanks from "gpt-tokenizer/bpeRanks/cl100k_base";
import o200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";

export const DEFAULT_MODEL = "gpt-4o";
export type EncodingName = "o200k_base" | "cl100k_base";

/** Which tokenizer counts for a model and whether the count is exact or an estimate. */
export interface TokenizerInfo {
  /** The model name as given. */
  readonly model: string;
  /** The BPE encoding used to count. */
  readonly encoding: EncodingName;
  /** `true` when this is the model's own tokenizer; `false` for an estimate. */
  readonly exact: boolean;
  /** One line saying why, suitable for a report. */
  readonly note: string;
}

const O200K: EncodingName = "o200k_base";
const CL100K: EncodingName = "cl100k_base";

const EXACT_NAMES: ReadonlyMap<string, EncodingName> = new Map([
  ["gpt-4o", O200K],
  ["gpt-4", CL100K],
  ["gpt-3.5", CL100K],
  ["gpt-3.5-turbo", CL100K],
  ["gpt-35-turbo", CL100K],
  ["o1", O200K],
  ["o3", O200K],
  ["o4-mini", O200K],
  ["gpt-5", O200K],
  ["gpt-4.1", O200K],
  ["text-embedding-ada-002", CL100K],
  ["davinci-002", CL100K],
  ["babbage-002", CL100K],
]);

// Order matters ("gpt-4o" before "gpt-4-"), as in Python.
const PREFIXES: readonly (readonly [string, EncodingName])[] = [
  ["gpt-4o", O200K],
  ["chatgpt-4o", O200K],
  ["gpt-4.1", O200K],
  ["gpt-4.5", O200K],
  ["gpt-5", O200K],
  ["gpt-oss", O200K],
  ["o1-", O200K],
  ["o3-", O200K],
  ["o4-", O200K],
  ["gpt-4-", CL100K],
  ["gpt-3.5", CL100K],
  ["gpt-35", CL100K],
  ["text-embedding-3", CL100K],
];

const VENDOR_HINTS: readonly (readonly [string, string])[] = [
  ["claude", "Anthropic publishes no offline tokenizer for Claude"],
  ["anthropic", "Anthropic publishes no offline tokenizer for Claude"],
  ["gemini", "Google publishes no offline tokenizer for Gemini"],
  ["google", "Google publishes no offline tokenizer for Gemini"],
  ["llama", "the Llama tokenizer is not bundled"],
  ["mistral", "the Mistral tokenizer is not bundled"],
  ["mixtral", "the Mistral tokenizer is not bundled"],
];

/** Reduce a LiteLLM-style name (`azure/gpt-4o`, `ft:gpt-4o:org::id`) to its base. */
function normalizeModel(model: string): string {
  let name = model.trim().toLowerCase();
  name = name.slice(name.lastIndexOf("/") + 1);
  if (name.startsWith("ft:")) name = name.slice(3);
  return name;
}

function resolve(model: string): TokenizerInfo {
  const name = normalizeModel(model);
  let encoding = EXACT_NAMES.get(name);
  if (encoding === undefined) {
    for (const [prefix, enc] of PREFIXES) {
      if (name.startsWith(prefix)) {
        encoding = enc;
        break;
      }
    }
  }
  if (encoding !== undefined) {
    return { model, encoding, exact: true, note: `OpenAI ${encoding} tokenizer (exact)` };
  }
  const full = model.toLowerCase();
  const hint = VENDOR_HINTS.find(([key]) => full.includes(key));
  const why = hint ? hint[1] : "no tokenizer is known for this model";
  return { model, encoding: O200K, exact: false, note: `estimate with ${O200K}: ${why}` };
}

const CACHE_LIMIT = 1024;
const INFO = new Map<string, TokenizerInfo>();
const COUNTERS = new Map<string, (text: string) => number>();

/**
 * Unicode White_Space, what `\s` means in tiktoken's (Rust) pre-token patterns. JavaScript's `\s`
 * differs: it adds U+FEFF and lacks U+0085, so `gpt-tokenizer`'s patterns are rewritten with this
 * class (the contract vectors include both characters).
 */
const WHITE_SPACE = String.raw`\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`;

/** `pattern` with `\s`/`\S` spelled as Unicode White_Space (inside and outside brackets). */
export function withUnicodeWhiteSpace(pattern: RegExp): RegExp {
  let out = "";
  let inClass = false;
  const source = pattern.source;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      i++;
      if (next === "s") out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (next === "S") {
        if (inClass) throw new Error(`cannot rewrite \\S inside a class: ${source}`);
        out += `[^${WHITE_SPACE}]`;
      } else out += ch + next;
      continue;
    }
    if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    out += ch;
  }
  return new RegExp(out, pattern.flags);
}

/** The internals of `BytePairEncodingCore` that {@link repairByteOrderMarkTokens} replaces. */
interface CoreInternals {
  getBpeRankFromBytes?: (key: Uint8Array) => number | undefined;
  binarySearch?: (key: Uint8Array) => number;
  bytePairNonUtfSortedEncoder?: [Uint8Array, number][];
}

/**
 * `gpt-tokenizer` 4 looks a byte sequence up by first decoding it with a `TextDecoder`, which
 * drops a leading U+FEFF, so the tokens that start with EF BB BF (9 in o200k, 8 in cl100k; the
 * package stores them as byte arrays) are never found and U+FEFF text counts one token too many.
 * Such sequences are looked up among the byte-array tokens directly. Checked at load: a changed
 * internal layout throws here, not silently later.
 */
function repairByteOrderMarkTokens(core: BytePairEncodingCore): void {
  const internals = core as unknown as CoreInternals;
  const lookup = internals.getBpeRankFromBytes;
  const search = internals.binarySearch;
  const sorted = internals.bytePairNonUtfSortedEncoder;
  if (typeof lookup !== "function" || typeof search !== "function" || !Array.isArray(sorted)) {
    throw new Error("gpt-tokenizer internals changed: cannot repair U+FEFF token lookup");
  }
  internals.getBpeRankFromBytes = function (key: Uint8Array): number | undefined {
    if (key[0] === 0xef && key[1] === 0xbb && key[2] === 0xbf) {
      const index = search.call(core, key);
      return index === -1 ? undefined : sorted[index]?.[1];
    }
    return lookup.call(core, key);
  };
}

/** A counter for one encoding; no special tokens are recognized (tiktoken's encode_ordinary). */
function counter(ranks: (string | number[])[], pattern: RegExp): (text: string) => number {
  const core = new BytePairEncodingCore({
    bytePairRankDecoder: ranks,
    tokenSplitRegex: withUnicodeWhiteSpace(pattern),
  });
  repairByteOrderMarkTokens(core);
  return (text) => core.countNative(text);
}

const ENCODERS: Readonly<Record<EncodingName, (text: string) => number>> = {
  o200k_base: counter(o200kRanks, O200K_TOKEN_SPLIT_REGEX),
  cl100k_base: counter(cl100kRanks, CL100K_TOKEN_SPLIT_REGEX),
};

/** Say which encoding {@link countTokens} uses for `model` and whether it is exact. */
export function tokenizerInfo(model: string = DEFAULT_MODEL): TokenizerInfo {
  let info = INFO.get(model);
  if (info === undefined) {
    info = resolve(model);
    if (INFO.size < CACHE_LIMIT) INFO.set(model, info);
  }
  return info;
}

/** Name of the encoding used to count `model`'s tokens; never throws for unknown names. */
export function encodingForModel(model: string = DEFAULT_MODEL): EncodingName {
  return tokenizerInfo(model).encoding;
}

/** Tokens of `text` in one encoding (`o200k_base` or `cl100k_base`), exact and offline. */
export function countTokensWithEncoding(text: string, encoding: EncodingName): number {
  return text ? ENCODERS[encoding](text) : 0;
}

/**
 * Number of tokens `model` sees for `text`; exact for OpenAI models, offline.
 *
 * Hot path (the codec's auto mode calls it on many small strings): one map lookup, then the
 * counter. See {@link tokenizerInfo} for which models are estimates.
 */
export function countTokens(text: string, model: string = DEFAULT_MODEL): number {
  if (!text) return 0;
  let counter = COUNTERS.get(model);
  if (counter === undefined) {
    counter = ENCODERS[tokenizerInfo(model).encoding];
    if (COUNTERS.size < CACHE_LIMIT) COUNTERS.set(model, counter);
  }
  return counter(text);
}

/** Token counts for many texts, in order. */
export function countTokensBatch(texts: Iterable<string>, model: string = DEFAULT_MODEL): number[] {
  const counts: number[] = [];
  for (const text of texts) counts.push(countTokens(text, model));
  return counts;
}
