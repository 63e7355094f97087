/**
 * JSON text both ways, with Python's `json` module semantics, type-exact.
 *
 * `dumps` writes what Python's `json.dumps(value, ensure_ascii=False, separators=(",", ":"))`
 * writes (floats as `repr`: `3.0`, `1e+16`), because KTOF embeds compact JSON and auto mode
 * compares against it. `parseJson` reads JSON the way KTOF's Python decoder does
 * (`json.JSONDecoder.raw_decode`: no NaN/Infinity, finite floats only, optional duplicate-key
 * rejection, Python's int digit limit), and, unlike `JSON.parse`, keeps `3.0` apart from `3`,
 * big integers exact and key order (see `values.ts`) when asked to (`exact`).
 *
 * It is the SDK's one JSON reader: the engine and the service read source text and request
 * bodies with it too, by Python's `json.loads` rules (`rules: "python"`), and the engine takes
 * the notes {@link scanJson} returns on what makes a value differ from its text.
 */
import { INT_DIGIT_LIMIT, jsonNumber } from "./numbers.js";
import { floatValue, finishObject, intValue, KFloat } from "./values.js";
import type { Normalized } from "./normalize.js";

/** Compact JSON of a normalized value, byte for byte as Python's `json.dumps` writes it. */
export function dumps(value: Normalized): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
    case "bigint":
      return jsonNumber(value);
    default:
      break;
  }
  if (value instanceof KFloat) return jsonNumber(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i) out += ",";
      out += dumps(value[i] as Normalized);
    }
    return out + "]";
  }
  let out = "{";
  let first = true;
  for (const [key, item] of value) {
    if (!first) out += ",";
    first = false;
    out += JSON.stringify(key) + ":" + dumps(item);
  }
  return out + "}";
}

/**
 * Malformed JSON (Python's `json.JSONDecodeError`): `msg` says what, `pos` where parsing stopped,
 * `lineno` the 1-based line. The line is counted only when asked for: the engine tries many
 * openers in long prose and reads only `pos`.
 */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  readonly msg: string;
  readonly pos: number;
  readonly #text: string;
  #lineno: number | undefined;

  constructor(msg: string, text: string, pos: number) {
    super(msg);
    this.msg = msg;
    this.pos = pos;
    this.#text = text;
    Object.defineProperty(this, "message", {
      get: () => `${msg}: line ${this.lineno} (char ${pos})`,
      configurable: true,
    });
  }

  get lineno(): number {
    this.#lineno ??= countLines(this.#text, this.pos);
    return this.#lineno;
  }
}

/** Well-formed JSON that breaks a rule (duplicate key, NaN, float overflow, lone surrogate, ...). */
export class JsonValueError extends Error {
  override name = "JsonValueError";
}

function countLines(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < pos; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * How deep JSON may nest before the parser gives up: both limits stand in for CPython's
 * recursion limit (1000) minus the frames the Python caller already holds when it calls the
 * `json` scanner. The KTOF decoder calls it from deep inside its own recursion, so the codec
 * gives up earlier ({@link JSON_MAX_DEPTH}, roughly); the engine's source scan calls it from a
 * shallow stack ({@link SOURCE_MAX_DEPTH}, pinned by the engine's live Python corpus). Callers
 * pick theirs with {@link JsonOptions.maxDepth}.
 */
export const JSON_MAX_DEPTH = 900;

/** The engine's and service's limit (Python's `json.loads` from a shallow stack); see {@link JSON_MAX_DEPTH}. */
export const SOURCE_MAX_DEPTH = 990;

/** Deeper JSON than the caller's limit ({@link JsonOptions.maxDepth}). */
export class JsonTooDeep extends Error {
  override name = "JsonTooDeep";
}

export interface JsonOptions {
  /** Reject duplicate keys (KTOF strict mode, TOON §14.3). */
  readonly strict?: boolean;
  /** Keep types exact: `KFloat` for integral floats, `bigint` beyond 2^53, `Map` when key order needs it. */
  readonly exact?: boolean;
  /** Nesting limit, {@link JSON_MAX_DEPTH} by default; past it the parser throws {@link JsonTooDeep}. */
  readonly maxDepth?: number;
  /**
   * Whose rules a valid-looking value must pass. `"ktof"` (default): KTOF's, which reject lone
   * surrogates and floats beyond a double's range ({@link JsonValueError}). `"python"`: what
   * Python's `json.loads` returns, which keeps lone surrogates and reads `1e400` as Infinity.
   */
  readonly rules?: "ktof" | "python";
  /**
   * `NaN`, `Infinity`, `-Infinity`: `"invalid"` (default) throws {@link JsonValueError};
   * `"syntax"` throws {@link JsonSyntaxError} "Expecting value" at the constant (Python's
   * `json.loads` with a rejecting `parse_constant`); `"parse"` reads them as numbers and counts
   * them in {@link JsonScan.constants}.
   */
  readonly constants?: "invalid" | "syntax" | "parse";
  /**
   * Whether a float literal's value still says what its text said; when given, the literals
   * for which it is false are counted in {@link JsonScan.inexactFloats}.
   */
  readonly floatIsExact?: (literal: string, value: number) => boolean;
}

/** One parse and what the value's text and value disagree on (see {@link scanJson}). */
export interface JsonScan {
  readonly value: unknown;
  /** Index just past the value. */
  readonly end: number;
  /** `NaN`/`Infinity` literals read (only with `constants: "parse"`). */
  readonly constants: number;
  /** Objects that repeated a key (the later value wins, at the first one's position, as in Python). */
  readonly duplicates: number;
  /** Float literals `floatIsExact` refused. */
  readonly inexactFloats: number;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Parse the JSON value starting exactly at `text[start]` (no leading whitespace, as Python's
 * `raw_decode`); return it and the index after it.
 *
 * Throws {@link JsonSyntaxError} for malformed JSON (at the index CPython's scanner reports),
 * {@link JsonValueError} for JSON the chosen rules reject (and integers past Python's digit
 * limit), {@link JsonTooDeep} past the nesting limit.
 */
export function parseJson(text: string, start: number, options: JsonOptions = {}): [unknown, number] {
  const parser = new Parser(text, options);
  const value = parser.value(start, 0);
  return [value, parser.pos];
}

/** {@link parseJson}, also saying what makes the value differ from its text (the engine's source notes). */
export function scanJson(text: string, start: number, options: JsonOptions = {}): JsonScan {
  const parser = new Parser(text, options);
  const value = parser.value(start, 0);
  return {
    value,
    end: parser.pos,
    constants: parser.constants,
    duplicates: parser.duplicates,
    inexactFloats: parser.inexactFloats,
  };
}

/** Parse a whole JSON document (surrounding whitespace allowed), type-exact by default. */
export function parseJsonDocument(text: string, options: JsonOptions = { exact: true }): unknown {
  let start = 0;
  while (start < text.length && " \t\n\r".includes(text[start] ?? "")) start++;
  const [value, end] = parseJson(text, start, options);
  let pos = end;
  while (pos < text.length && " \t\n\r".includes(text[pos] ?? "")) pos++;
  if (pos !== text.length) throw new JsonSyntaxError("Extra data", text, pos);
  return value;
}

class Parser {
  pos = 0;
  constants = 0;
  duplicates = 0;
  inexactFloats = 0;
  readonly text: string;
  readonly strict: boolean;
  readonly exact: boolean;
  readonly maxDepth: number;
  readonly ktofRules: boolean;
  readonly constantMode: "invalid" | "syntax" | "parse";
  readonly floatIsExact: ((literal: string, value: number) => boolean) | undefined;

  constructor(text: string, options: JsonOptions) {
    this.text = text;
    this.strict = options.strict ?? false;
    this.exact = options.exact ?? false;
    this.maxDepth = options.maxDepth ?? JSON_MAX_DEPTH;
    this.ktofRules = (options.rules ?? "ktof") === "ktof";
    this.constantMode = options.constants ?? "invalid";
    this.floatIsExact = options.floatIsExact;
  }

  error(msg: string, pos: number): JsonSyntaxError {
    return new JsonSyntaxError(msg, this.text, pos);
  }

  skip(pos: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else return pos;
    }
  }

  value(pos: number, depth: number): unknown {
    const text = this.text;
    const c = text[pos];
    switch (c) {
      case '"':
        return this.string(pos);
      case "{":
        return this.object(pos, depth + 1);
      case "[":
        return this.array(pos, depth + 1);
      case "n":
        if (text.startsWith("null", pos)) {
          this.pos = pos + 4;
          return null;
        }
        break;
      case "t":
        if (text.startsWith("true", pos)) {
          this.pos = pos + 4;
          return true;
        }
        break;
      case "f":
        if (text.startsWith("false", pos)) {
          this.pos = pos + 5;
          return false;
        }
        break;
      case "N":
        if (text.startsWith("NaN", pos)) return this.constant("NaN", Number.NaN, pos);
        break;
      case "I":
        if (text.startsWith("Infinity", pos)) return this.constant("Infinity", Infinity, pos);
        break;
      case "-":
        if (text.startsWith("-Infinity", pos)) return this.constant("-Infinity", -Infinity, pos);
        break;
      default:
        break;
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) throw this.error("Expecting value", pos);
    const token = match[0];
    this.pos = pos + token.length;
    if (match[1] !== undefined || match[2] !== undefined) {
      const number = Number(token);
      if (this.ktofRules && !Number.isFinite(number)) {
        throw new JsonValueError(`number ${token} is out of range for a float`);
      }
      if (this.floatIsExact !== undefined && !this.floatIsExact(token, number)) this.inexactFloats++;
      return floatValue(number, this.exact);
    }
    const digits = token.length - (token.startsWith("-") ? 1 : 0);
    if (digits > INT_DIGIT_LIMIT) {
      throw new JsonValueError(
        `Exceeds the limit (${INT_DIGIT_LIMIT} digits) for integer string conversion: value has ${digits} digits`,
      );
    }
    return intValue(token, this.exact);
  }

  constant(name: string, value: number, pos: number): number {
    if (this.constantMode === "invalid") throw new JsonValueError(`${name} is not JSON`);
    if (this.constantMode === "syntax") throw this.error("Expecting value", pos);
    this.constants++;
    this.pos = pos + name.length;
    return value;
  }

  string(start: number): string {
    const text = this.text;
    let pos = start + 1;
    let out = "";
    for (;;) {
      let end = pos;
      let c = text.charCodeAt(end);
      while (end < text.length && c !== 34 && c !== 92 && c >= 32) c = text.charCodeAt(++end);
      out += text.slice(pos, end);
      if (end >= text.length) throw this.error("Unterminated string starting at", start);
      if (c === 34) {
        this.pos = end + 1;
        if (this.ktofRules && LONE_SURROGATE.test(out)) {
          throw new JsonValueError("lone surrogate escape in a JSON string");
        }
        return out;
      }
      if (c < 32) throw this.error("Invalid control character at", end);
      const code = text[end + 1];
      if (code === undefined) throw this.error("Unterminated string starting at", start);
      const simple = SIMPLE_ESCAPES[code];
      if (simple !== undefined) {
        out += simple;
        pos = end + 2;
        continue;
      }
      if (code !== "u") throw this.error("Invalid \\escape", end);
      const hex = text.slice(end + 2, end + 6);
      if (!HEX4.test(hex)) throw this.error("Invalid \\uXXXX escape", end + 1);
      // UTF-16 code units: an escaped surrogate pair joins into one character, as in Python.
      out += String.fromCharCode(parseInt(hex, 16));
      pos = end + 6;
    }
  }

  object(start: number, depth: number): unknown {
    if (depth > this.maxDepth) throw new JsonTooDeep("JSON nests too deeply");
    const text = this.text;
    const map = new Map<string, unknown>();
    let pairs = 0;
    let pos = this.skip(start + 1);
    if (text[pos] === "}") {
      this.pos = pos + 1;
      return finishObject(map, this.exact);
    }
    for (;;) {
      if (text[pos] !== '"') {
        throw this.error("Expecting property name enclosed in double quotes", pos);
      }
      const key = this.string(pos);
      pos = this.skip(this.pos);
      if (text[pos] !== ":") throw this.error("Expecting ':' delimiter", pos);
      pos = this.skip(pos + 1);
      const item = this.value(pos, depth);
      if (this.strict && map.has(key)) throw new JsonValueError(`duplicate key '${key}'`);
      // Map.set keeps a repeated key's first position and last value, as a Python dict does.
      map.set(key, item);
      pairs++;
      pos = this.skip(this.pos);
      const c = text[pos];
      if (c === "}") {
        this.pos = pos + 1;
        if (map.size !== pairs) this.duplicates++;
        return finishObject(map, this.exact);
      }
      if (c !== ",") throw this.error("Expecting ',' delimiter", pos);
      pos = this.skip(pos + 1);
    }
  }

  array(start: number, depth: number): unknown[] {
    if (depth > this.maxDepth) throw new JsonTooDeep("JSON nests too deeply");
    const text = this.text;
    const out: unknown[] = [];
    let pos = this.skip(start + 1);
    if (text[pos] === "]") {
      this.pos = pos + 1;
      return out;
    }
    for (;;) {
      out.push(this.value(pos, depth));
      pos = this.skip(this.pos);
      const c = text[pos];
      if (c === "]") {
        this.pos = pos + 1;
        return out;
      }
      if (c !== ",") throw this.error("Expecting ',' delimiter", pos);
      pos = this.skip(pos + 1);
    }
  }
}
