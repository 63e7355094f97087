/**
 * A JSON reader with Python's `json` semantics, for finding JSON inside text.
 *
 * `JSON.parse` cannot say where a value ends inside longer text, nor how far a broken one got,
 * and it turns `1.0` into `1` and `12345678901234567890` into a rounded number. The engine
 * needs all four, so this is a small recursive-descent port of CPython's scanner
 * (`raw_decode` at an index: no leading whitespace, errors at the index the C scanner reports)
 * that builds the codec's type-exact values (`ktof/values.ts`: `KFloat` for an integral float
 * literal, `bigint` beyond 2^53, a `Map` when a plain object would reorder keys) and notes,
 * while parsing, what would make a value differ from its text: duplicate keys, float literals
 * that do not survive the trip (`exact.ts`) and `NaN`/`Infinity`.
 */
import { finishObject, floatValue, intValue } from "../ktof/values.js";
import { floatIsExact } from "./exact.js";

/** Python's `json.JSONDecodeError`: `pos` is where parsing stopped. */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(`${reason}: char ${pos}`);
  }
}

/** Nesting deeper than this fails like CPython's RecursionError (not a syntax error). */
export class JsonTooDeepError extends Error {
  override name = "JsonTooDeepError";
}

export const MAX_DEPTH = 990;

/** What makes a parsed value differ from its text (Python's `_SourceParser._problem`). */
export type SourceProblem = "not_json" | "duplicate_keys" | "not_lossless";

export interface Decoded {
  value: unknown;
  /** Index just past the value. */
  end: number;
  problem: SourceProblem | undefined;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const WS = /[ \t\n\r]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** One parse of one value; counters say what the value's text and value disagree on. */
class Scanner {
  inexact = 0;
  duplicates = 0;
  constants = 0;

  constructor(
    private readonly text: string,
    private readonly allowConstants: boolean,
  ) {}

  skipWs(pos: number): number {
    WS.lastIndex = pos;
    WS.test(this.text);
    return WS.lastIndex;
  }

  value(pos: number, depth: number): [unknown, number] {
    const text = this.text;
    const ch = text[pos];
    switch (ch) {
      case '"':
        return this.string(pos + 1);
      case "{":
        return this.object(pos + 1, depth + 1);
      case "[":
        return this.array(pos + 1, depth + 1);
      case "n":
        if (text.startsWith("null", pos)) return [null, pos + 4];
        break;
      case "t":
        if (text.startsWith("true", pos)) return [true, pos + 4];
        break;
      case "f":
        if (text.startsWith("false", pos)) return [false, pos + 5];
        break;
      case "N":
        if (text.startsWith("NaN", pos)) return this.constant(Number.NaN, pos, pos + 3);
        break;
      case "I":
        if (text.startsWith("Infinity", pos)) return this.constant(Infinity, pos, pos + 8);
        break;
      case "-":
        if (text.startsWith("-Infinity", pos)) return this.constant(-Infinity, pos, pos + 9);
        break;
      default:
        break;
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) throw new JsonSyntaxError("Expecting value", pos);
    const literal = match[0];
    const end = pos + literal.length;
    if (match[1] === undefined && match[2] === undefined) {
      // Python's int() refuses more than 4300 digits; it surfaces as a ValueError there.
      if (literal.length > 4300 + (literal.startsWith("-") ? 1 : 0)) throw new JsonTooDeepError("integer too long");
      return [intValue(literal, true), end];
    }
    const number = Number(literal);
    if (!floatIsExact(literal, number)) this.inexact++;
    return [floatValue(number, true), end];
  }

  constant(value: number, pos: number, end: number): [unknown, number] {
    if (!this.allowConstants) throw new JsonSyntaxError("Expecting value", pos);
    this.constants++;
    return [value, end];
  }

  string(start: number): [string, number] {
    const text = this.text;
    let pos = start;
    let out = "";
    let chunkStart = pos;
    for (;;) {
      if (pos >= text.length) throw new JsonSyntaxError("Unterminated string starting at", start - 1);
      const code = text.charCodeAt(pos);
      if (code === 0x22) {
        out += text.slice(chunkStart, pos);
        return [out, pos + 1];
      }
      if (code < 0x20) throw new JsonSyntaxError("Invalid control character at", pos);
      if (code !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(chunkStart, pos);
      const esc = text[pos + 1];
      if (esc === undefined) throw new JsonSyntaxError("Unterminated string starting at", start - 1);
      if (esc === "u") {
        const unit = this.hex4(pos);
        let next = pos + 6;
        let piece = String.fromCharCode(unit);
        // A high surrogate escape followed by a low one is one character, as in Python.
        if (unit >= 0xd800 && unit <= 0xdbff && text[next] === "\\" && text[next + 1] === "u") {
          const low = this.hex4(next);
          if (low >= 0xdc00 && low <= 0xdfff) {
            piece += String.fromCharCode(low);
            next += 6;
          }
        }
        out += piece;
        pos = next;
      } else {
        const mapped = ESCAPES[esc];
        if (mapped === undefined) throw new JsonSyntaxError("Invalid \\escape", pos);
        out += mapped;
        pos += 2;
      }
      chunkStart = pos;
    }
  }

  hex4(backslash: number): number {
    const digits = this.text.slice(backslash + 2, backslash + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new JsonSyntaxError("Invalid \\uXXXX escape", backslash + 1);
    return parseInt(digits, 16);
  }

  object(start: number, depth: number): [unknown, number] {
    if (depth > MAX_DEPTH) throw new JsonTooDeepError("maximum recursion depth exceeded");
    const text = this.text;
    const map = new Map<string, unknown>();
    let pairs = 0;
    let pos = this.skipWs(start);
    if (text[pos] === "}") return [finishObject(map, true), pos + 1];
    for (;;) {
      if (text[pos] !== '"') throw new JsonSyntaxError("Expecting property name enclosed in double quotes", pos);
      const [key, afterKey] = this.string(pos + 1);
      pos = this.skipWs(afterKey);
      if (text[pos] !== ":") throw new JsonSyntaxError("Expecting ':' delimiter", pos);
      pos = this.skipWs(pos + 1);
      const [value, afterValue] = this.value(pos, depth);
      // Map.set keeps a repeated key's first position and last value, as a Python dict does.
      map.set(key, value);
      pairs++;
      pos = this.skipWs(afterValue);
      const ch = text[pos];
      if (ch === "}") {
        if (map.size !== pairs) this.duplicates++;
        return [finishObject(map, true), pos + 1];
      }
      if (ch !== ",") throw new JsonSyntaxError("Expecting ',' delimiter", pos);
      pos = this.skipWs(pos + 1);
    }
  }

  array(start: number, depth: number): [unknown[], number] {
    if (depth > MAX_DEPTH) throw new JsonTooDeepError("maximum recursion depth exceeded");
    const text = this.text;
    const out: unknown[] = [];
    let pos = this.skipWs(start);
    if (text[pos] === "]") return [out, pos + 1];
    for (;;) {
      const [value, afterValue] = this.value(pos, depth);
      out.push(value);
      pos = this.skipWs(afterValue);
      const ch = text[pos];
      if (ch === "]") return [out, pos + 1];
      if (ch !== ",") throw new JsonSyntaxError("Expecting ',' delimiter", pos);
      pos = this.skipWs(pos + 1);
    }
  }

  problem(): SourceProblem | undefined {
    if (this.constants > 0) return "not_json";
    if (this.duplicates > 0) return "duplicate_keys";
    if (this.inexact > 0) return "not_lossless";
    return undefined;
  }
}

/**
 * The JSON value starting exactly at `text[start]` (Python's `raw_decode`), where it ends and
 * what makes it differ from its text. Throws `JsonSyntaxError` (with `pos`) or
 * `JsonTooDeepError`. `NaN`/`Infinity` parse and are reported as problem `not_json`.
 */
export function rawDecode(text: string, start: number): Decoded {
  const scanner = new Scanner(text, true);
  const [value, end] = scanner.value(start, 0);
  return { value, end, problem: scanner.problem() };
}

/**
 * A whole JSON document (surrounding JSON whitespace allowed), as the service reads request
 * bodies: type-exact values, no `NaN`/`Infinity`. Throws `JsonSyntaxError`/`JsonTooDeepError`.
 */
export function parseJsonExact(text: string): unknown {
  const scanner = new Scanner(text, false);
  const begin = scanner.skipWs(0);
  const [value, end] = scanner.value(begin, 0);
  const rest = scanner.skipWs(end);
  if (rest !== text.length) throw new JsonSyntaxError("Extra data", rest);
  return value;
}
