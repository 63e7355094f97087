/** `encode`: JSON data to TOON 4.0 (`mode: "toon"`) or to KTOF (`mode: "auto"`, the default). */
import { countTokens, DEFAULT_MODEL } from "../tokens.js";
import { encodeAuto } from "./auto.js";
import { KTOFEncodeError } from "./errors.js";
import { MAX_DEPTH, normalize, type DefaultFn } from "./normalize.js";
import { TooDeep, ToonWriter } from "./toon.js";

export type Mode = "auto" | "toon";

/** Options of {@link encode}, named as in Python's `encode()` (`indent`, `delimiter`, ...). */
export interface EncodeOptions {
  /** `"auto"` (default): cheapest exact KTOF text for `model`; `"toon"`: canonical TOON 4.0. */
  readonly mode?: Mode;
  /** Spaces per level (TOON indentSize), at least 1; default 2. */
  readonly indent?: number;
  /** Document delimiter: `","` (default), `"\t"`, `"|"` or `"comma"`, `"tab"`, `"pipe"`. */
  readonly delimiter?: string;
  /** The model whose tokenizer auto mode minimizes for; default `"gpt-4o"`. */
  readonly model?: string;
  /** Converts values that are not JSON (like `json.dumps`'s `default`). */
  readonly default?: DefaultFn;
  /** Auto mode: `false` skips the final "is compact JSON cheaper?" check (default true). */
  readonly compareJson?: boolean;
}

const DELIMITERS: ReadonlyMap<string, string> = new Map([
  [",", ","],
  ["\t", "\t"],
  ["|", "|"],
  ["comma", ","],
  ["tab", "\t"],
  ["pipe", "|"],
]);

/**
 * Encode a JSON-compatible value (see `values.ts` for how JS values map to JSON types).
 *
 * `mode: "toon"` emits canonical TOON 4.0; `mode: "auto"` emits the KTOF text with the fewest
 * tokens for `model`'s tokenizer that decodes back to exactly `value`, never more tokens than
 * compact JSON. The bytes are those Python's `kaizen_client.ktof.encode` writes for the same
 * value and options. Throws {@link KTOFEncodeError} naming the path.
 */
export function encode(value: unknown, options: EncodeOptions = {}): string {
  return encodeImpl(value, options, options.compareJson ?? true)[0];
}

/**
 * {@link encode} plus the text's exact token count for `model` (auto mode knows it already).
 * `compareJson: false` skips the final "is compact JSON cheaper?" check (auto mode).
 */
export function encodeCounted(value: unknown, options: EncodeOptions = {}): [string, number] {
  const [text, tokens] = encodeImpl(value, options, options.compareJson ?? true);
  return [text, tokens ?? countTokens(text, options.model ?? DEFAULT_MODEL)];
}

function encodeImpl(value: unknown, options: EncodeOptions, compareJson: boolean): [string, number | null] {
  const mode: string = options.mode ?? "auto";
  const indent = options.indent ?? 2;
  const delimiter = options.delimiter ?? ",";
  const model = options.model ?? DEFAULT_MODEL;
  for (const [name, option] of [
    ["mode", mode],
    ["delimiter", delimiter],
    ["model", model],
  ] as const) {
    if (typeof option !== "string") {
      throw new TypeError(`encode() option ${name} must be a string, not ${typeof option}`);
    }
  }
  if (typeof indent !== "number" || !Number.isInteger(indent)) {
    throw new TypeError(`encode() option indent must be an integer, not ${String(indent)}`);
  }
  const active = DELIMITERS.get(delimiter);
  if (active === undefined) {
    throw new KTOFEncodeError(`option delimiter must be ',', '\\t' or '|', not ${JSON.stringify(delimiter)}`);
  }
  if (indent < 1) throw new KTOFEncodeError(`option indent must be at least 1, not ${indent}`);
  if (mode !== "auto" && mode !== "toon") {
    throw new KTOFEncodeError(`option mode must be 'auto' or 'toon', not ${JSON.stringify(mode)}`);
  }
  if (mode === "toon") {
    const clean = normalize(value, options.default, true);
    try {
      return [new ToonWriter(indent, active).document(clean), null];
    } catch (exc) {
      if (exc instanceof TooDeep) throw new KTOFEncodeError(`nesting deeper than ${MAX_DEPTH} levels`);
      throw exc;
    }
  }
  const clean = normalize(value, options.default, false);
  return encodeAuto(clean, model, indent, active, compareJson);
}
