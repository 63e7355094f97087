/**
 * Token-level rules shared by the encoder and the decoder: numbers, quoting, escapes (the mirror
 * of Python's `_lexical.py`). Both directions live here so that what the encoder leaves unquoted
 * is, by construction, what the decoder reads back as the same value.
 */
import { KTOFDecodeError, repr } from "./errors.js";
import { INT_DIGIT_LIMIT } from "./numbers.js";
import { floatValue, intValue } from "./values.js";

/** TOON 4.0 §4: a token is a number iff it matches this grammar. */
export const NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** §7.2: strings that look numeric (including leading zeros and "+") must be quoted. */
const NUMERIC_LIKE_RE = /^[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
export const UNQUOTED_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Characters that force quoting wherever they appear (§7.2). */
// eslint-disable-next-line no-control-regex
const ALWAYS_QUOTE_RE = /[:"\\[\]{}\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const ESCAPE_RE = /[\\"\x00-\x1f]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
const UNESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  '"': '"',
  n: "\n",
  r: "\r",
  t: "\t",
  // KTOF also reads the rest of JSON's escapes (TOON rejects them, so no TOON text contains them).
  b: "\b",
  f: "\f",
  "/": "/",
};
const HEX4 = /^[0-9a-fA-F]{4}$/;

export const LITERALS: ReadonlyMap<string, boolean | null> = new Map([
  ["true", true],
  ["false", false],
  ["null", null],
]);

/** Whether `token` matches the number grammar. */
export function isNumber(token: string): boolean {
  return NUMBER_RE.test(token);
}

/** Quote and escape per §7.1 (lowercase `\uXXXX` for other controls). */
export function quote(text: string): string {
  ESCAPE_RE.lastIndex = 0;
  if (!ESCAPE_RE.test(text)) return `"${text}"`;
  ESCAPE_RE.lastIndex = 0;
  return (
    '"' +
    text.replace(ESCAPE_RE, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`) +
    '"'
  );
}

/** §7.2: whether a string value must be quoted where `delimiter` is the relevant delimiter. */
export function needsQuotes(text: string, delimiter: string): boolean {
  if (!text) return true;
  const first = text[0] ?? "";
  const last = text[text.length - 1] ?? "";
  if (first === " " || first === "\t" || last === " " || last === "\t" || first === "-" || first === "#") {
    return true;
  }
  if (LITERALS.has(text)) return true;
  if (ALWAYS_QUOTE_RE.test(text)) return true;
  if (text.includes(delimiter)) return true;
  return "+0123456789.".includes(first) && NUMERIC_LIKE_RE.test(text);
}

export function encodeString(text: string, delimiter: string): string {
  return needsQuotes(text, delimiter) ? quote(text) : text;
}

/** §7.3: keys and field names are bare only when they match the unquoted-key pattern. */
export function encodeKey(key: string): string {
  return UNQUOTED_KEY_RE.test(key) ? key : quote(key);
}

function tooManyDigits(digits: number): string {
  return (
    `integer literal of ${digits} digits exceeds Python's limit of ${INT_DIGIT_LIMIT} digits ` +
    "(sys.set_int_max_str_digits)"
  );
}

/** An int token (already known to match the number grammar) as a JS value; checks the digit limit. */
export function parseInt10(text: string, lineno: number, exact: boolean): number | bigint {
  const digits = text.length - (text.startsWith("-") ? 1 : 0);
  if (digits > INT_DIGIT_LIMIT) throw new KTOFDecodeError(tooManyDigits(digits), lineno);
  return intValue(text, exact);
}

/**
 * Index of `char` in `text[start:end]`, or -1: `str.find(char, start, end)`. `indexOf` has no end
 * bound, and an unbounded search repeated per cell or per escape would make a line's scan
 * quadratic; a slice is a view in V8, not a copy.
 */
function findIn(text: string, char: string, start: number, end: number): number {
  if (start >= end) return -1;
  const at = text.slice(start, end).indexOf(char);
  return at === -1 ? -1 : start + at;
}

/** Read the quoted string opening at `text[start]`; return [value, index after its quote]. Linear. */
export function scanQuoted(text: string, start: number, lineno: number): [string, number] {
  let i = start + 1;
  let quoteAt = text.indexOf('"', i);
  if (quoteAt === -1) throw new KTOFDecodeError("unterminated string", lineno);
  if (findIn(text, "\\", i, quoteAt) === -1) return [text.slice(i, quoteAt), quoteAt + 1];
  const parts: string[] = [];
  const n = text.length;
  for (;;) {
    if (quoteAt < i) {
      quoteAt = text.indexOf('"', i);
      if (quoteAt === -1) throw new KTOFDecodeError("unterminated string", lineno);
    }
    const backslash = findIn(text, "\\", i, quoteAt);
    if (backslash === -1) {
      parts.push(text.slice(i, quoteAt));
      return [parts.join(""), quoteAt + 1];
    }
    parts.push(text.slice(i, backslash));
    if (backslash + 1 >= n) throw new KTOFDecodeError("unterminated string", lineno);
    const code = text[backslash + 1] ?? "";
    const simple = UNESCAPES[code];
    if (simple !== undefined) {
      parts.push(simple);
      i = backslash + 2;
      continue;
    }
    if (code !== "u") throw new KTOFDecodeError(`invalid escape sequence \\${code}`, lineno);
    const hex = text.slice(backslash + 2, backslash + 6);
    if (!HEX4.test(hex)) throw new KTOFDecodeError("\\u escape needs four hex digits", lineno);
    const codepoint = parseInt(hex, 16);
    if (codepoint >= 0xd800 && codepoint <= 0xdfff) {
      throw new KTOFDecodeError(`lone surrogate escape \\u${hex}`, lineno);
    }
    parts.push(String.fromCharCode(codepoint));
    i = backslash + 6;
  }
}

/** §4: type an already space-trimmed value token. */
export function parsePrimitive(token: string, lineno: number, exact: boolean): unknown {
  if (!token) return "";
  const first = token[0];
  if (first === '"') {
    const [value, end] = scanQuoted(token, 0, lineno);
    if (end !== token.length) {
      throw new KTOFDecodeError(`unexpected text after closing quote: ${repr(token.slice(end))}`, lineno);
    }
    return value;
  }
  if ((first === "-" || (first !== undefined && first >= "0" && first <= "9")) && NUMBER_RE.test(token)) {
    if (token.includes(".") || token.includes("e") || token.includes("E")) {
      const number = Number(token);
      if (!Number.isFinite(number)) {
        throw new KTOFDecodeError(`number ${token} is out of range for a float`, lineno);
      }
      return floatValue(number, exact);
    }
    return parseInt10(token, lineno, exact);
  }
  if (first === "t" || first === "f" || first === "n") {
    const literal = LITERALS.get(token);
    if (literal !== undefined) return literal;
  }
  return token;
}

/** Index of the quote closing a string whose content starts at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (;;) {
    const end = text.indexOf('"', start);
    if (end === -1) return -1;
    let backslashes = 0;
    let k = end - 1;
    while (k >= start && text[k] === "\\") {
      backslashes++;
      k--;
    }
    if (!(backslashes & 1)) return end;
    start = end + 1;
  }
}

/** Index of the first `char` outside double quotes at or after `start`, or -1. Linear. */
export function findUnquoted(text: string, char: string, start = 0): number {
  const n = text.length;
  let pos = start;
  let hit = text.indexOf(char, pos);
  for (;;) {
    if (hit !== -1 && hit < pos) hit = text.indexOf(char, pos);
    const quoteAt = findIn(text, '"', pos, hit !== -1 ? hit : n);
    if (quoteAt === -1) return hit;
    const close = closingQuote(text, quoteAt + 1);
    if (close === -1) return -1;
    pos = close + 1;
  }
}

function trimSpaces(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) === 32) a++;
  while (b > a && text.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/** `str.strip(" ")`: trims U+0020 only (§12). */
export const stripSpaces = trimSpaces;

/** Split on unquoted `delimiter`; tokens are trimmed of U+0020 only (§11.2, §12). */
export function splitDelimited(text: string, delimiter: string): string[] {
  const parts = text.split(delimiter);
  if (!text.includes('"')) {
    if (!text.includes(" ")) return parts;
    return parts.map(trimSpaces);
  }
  const tokens: string[] = [];
  let pending: string[] = [];
  let inQuotes = false;
  for (const part of parts) {
    inQuotes = insideQuotesAfter(part, inQuotes);
    pending.push(part);
    if (!inQuotes) {
      tokens.push(trimSpaces(pending.join(delimiter)));
      pending = [];
    }
  }
  if (pending.length) tokens.push(trimSpaces(pending.join(delimiter)));
  return tokens;
}

function insideQuotesAfter(part: string, inQuotes: boolean): boolean {
  let pos = 0;
  for (;;) {
    if (inQuotes) {
      const close = closingQuote(part, pos);
      if (close === -1) return true;
      inQuotes = false;
      pos = close + 1;
    } else {
      const opening = part.indexOf('"', pos);
      if (opening === -1) return false;
      inQuotes = true;
      pos = opening + 1;
    }
  }
}
