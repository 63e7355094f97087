/**
 * KTOF/TOON decoder: one pass over the lines, linear in the input size (the mirror of Python's
 * `decoder.py`). Reads every TOON 4.0 document (strict and non-strict) and the KTOF extensions
 * (docs/ktof.md). Malformed input throws only {@link KTOFDecodeError}, carrying the 1-based line.
 */
import { KTOFDecodeError, repr } from "./errors.js";
import { JsonSyntaxError, JsonTooDeep, JsonValueError, parseJson } from "./json.js";
import {
  UNQUOTED_KEY_RE,
  findUnquoted,
  isNumber,
  parseInt10,
  parsePrimitive,
  scanQuoted,
  splitDelimited,
  stripSpaces,
} from "./lexical.js";
import { finishObject, floatValue } from "./values.js";

/** Deepest nesting the decoder accepts; deeper input is an error. */
export const DECODE_MAX_DEPTH = 200;

/** Options of {@link decode}. */
export interface DecodeOptions {
  /** Enforce counts, indentation and the other checks of TOON §14 (default true). */
  readonly strict?: boolean;
  /** Spaces per indentation level (default 2). */
  readonly indent?: number;
  /**
   * Keep types exact (default false): integral floats as {@link KFloat}, ints beyond 2^53 as
   * `bigint`, and a `Map` for an object whose key order a plain object would change. Without it
   * the result is what `JSON.parse` would give for the same JSON.
   */
  readonly exact?: boolean;
}

/**
 * Column kinds: TOON cells, KTOF `name[]` (compact JSON cells), KTOF `name(float)` (numbers are
 * floats), KTOF `name[]{...}` (a `[N]` cell, then N sub-rows one level below the row, §3.7).
 */
const PLAIN = 0;
const JSON_CELLS = 1;
const FLOAT = 2;
const TABLE = 3;
type Kind = typeof PLAIN | typeof JSON_CELLS | typeof FLOAT | typeof TABLE;
const FLOAT_MARK = "(float)";

interface Field {
  readonly name: string;
  readonly sub: Field[] | null;
  readonly kind: Kind;
  readonly optional: boolean;
}

interface Header {
  key: string | null;
  /** -1 for a KTOF `key[]: <JSON>` field, whose decoded value is `value`. */
  readonly length: number;
  readonly delimiter: string;
  readonly keyed: boolean;
  readonly fields: Field[] | null;
  readonly rest: string;
  readonly value?: unknown;
  /** KTOF (docs/ktof.md §3.5): no ':' after the field list, rows at the header's own depth. */
  readonly unindented?: boolean;
}

const BRACKET_RE = /^(0|[1-9][0-9]*)(:?)([\t|]?)$/;
const COUNT_CELL_RE = /^\[(0|[1-9][0-9]*)\]$/;
/** A value starting with none of these is a string as it stands (not quoted, number, literal, []). */
const PLAIN_STRING_START = new Set("abcdeghijklmopqrsuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.,;!?/\\(){}]<>=+*&^%$@~`'|");
const ABSENT = Symbol("absent");
const NOT_JSON = Symbol("not JSON");
const DIGITS_RE = /^[0-9]+$/;

function jsonMessage(exc: unknown): string {
  return exc instanceof Error ? exc.message : String(exc);
}

/** The document after the lexical pre-pass: content lines with depth and source line number. */
class Lines {
  readonly depth: number[] = [];
  readonly content: string[] = [];
  readonly lineno: number[] = [];
  /** Content index k such that a blank line precedes line k, and that blank line's number. */
  readonly blankIndex: number[] = [];
  readonly blankAt: number[] = [];
  readonly n: number;

  constructor(text: string, indent: number, strict: boolean) {
    let pendingBlank = 0;
    let rawLines = text.split("\n");
    if (text.includes("\r")) rawLines = rawLines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
    let number = 0;
    for (const line of rawLines) {
      number++;
      let spaces = 0;
      while (line.charCodeAt(spaces) === 32) spaces++;
      let stripped = spaces ? line.slice(spaces) : line;
      if (!stripped) {
        if (!pendingBlank) pendingBlank = number;
        continue;
      }
      const first = stripped[0];
      if (first === "#") continue; // §5.1: comment lines vanish before anything else looks at the text
      if (first === "\t") {
        if (!/[^ \t]/.test(stripped)) {
          if (!pendingBlank) pendingBlank = number;
          continue;
        }
        if (strict) throw new KTOFDecodeError("tab used for indentation", number);
        let tabs = 0;
        while (stripped[tabs] === "\t") tabs++;
        stripped = stripped.slice(tabs);
        spaces += tabs * indent;
        if (stripped.startsWith("#")) continue;
      }
      if (spaces % indent && strict) {
        throw new KTOFDecodeError(`indentation of ${spaces} spaces is not a multiple of ${indent}`, number);
      }
      if (pendingBlank) {
        this.blankIndex.push(this.content.length);
        this.blankAt.push(pendingBlank);
        pendingBlank = 0;
      }
      this.depth.push(Math.floor(spaces / indent));
      this.content.push(stripped);
      this.lineno.push(number);
    }
    this.n = this.content.length;
  }
}

class Decoder {
  private depth = 0;

  constructor(
    private readonly lines: Lines,
    private readonly strict: boolean,
    private readonly exact: boolean,
  ) {}

  private obj(map: Map<string, unknown>): unknown {
    return finishObject(map, this.exact);
  }

  private primitive(token: string, lineno: number): unknown {
    return parsePrimitive(token, lineno, this.exact);
  }

  private json(text: string, start: number, lineno: number): [unknown, number] {
    try {
      return parseJson(text, start, { strict: this.strict, exact: this.exact });
    } catch (exc) {
      if (exc instanceof JsonTooDeep) throw new KTOFDecodeError("nesting deeper than the decoder allows", lineno);
      throw exc;
    }
  }

  // ------------------------------------------------------------------ root form (§5)
  document(): unknown {
    const lines = this.lines;
    if (lines.n === 0) return this.obj(new Map());
    const first = lines.content[0] as string;
    const line0 = lines.lineno[0] as number;
    if (lines.depth[0] !== 0 && this.strict) throw new KTOFDecodeError("the first line must not be indented", line0);
    if (first === "[]") {
      this.checkTrailing(1);
      return [];
    }
    const header = this.header(first, line0);
    if (header !== null && header.key === null) {
      const [value, end] = this.arrayBody(header, lines.depth[0] as number, 1, line0);
      this.checkTrailing(end);
      return value;
    }
    if (lines.n === 1 && header === null && findUnquoted(first, ":") === -1) {
      return this.primitive(stripSpaces(first), line0);
    }
    const [value, end] = this.objectFields(lines.depth[0] as number, 0);
    if (end < lines.n) throw new KTOFDecodeError("unexpected indentation", lines.lineno[end]);
    return value;
  }

  checkTrailing(end: number): void {
    if (end < this.lines.n && this.strict) {
      throw new KTOFDecodeError("unexpected content after the end of the root value", this.lines.lineno[end]);
    }
  }

  // ------------------------------------------------------------------ objects (§8)
  /** Read the fields at exactly `depth` starting at line `index`. */
  objectFields(depth: number, index: number): [unknown, number] {
    const [map, end] = this.objectMap(depth, index);
    return [this.obj(map), end];
  }

  /** {@link objectFields} before the object is finished (a list item merges it into its own). */
  objectMap(depth: number, index: number): [Map<string, unknown>, number] {
    const lines = this.lines;
    const depths = lines.depth;
    const contents = lines.content;
    const n = lines.n;
    const strict = this.strict;
    this.enter(index);
    const result = new Map<string, unknown>();
    while (index < n) {
      const lineDepth = depths[index] as number;
      if (lineDepth !== depth) {
        if (lineDepth < depth) break;
        throw new KTOFDecodeError("unexpected indentation", lines.lineno[index]);
      }
      const content = contents[index] as string;
      const colon = content.indexOf(":");
      let key = colon > 0 ? content.slice(0, colon) : "";
      let value: unknown;
      if (colon > 0 && !key.includes('"') && !key.includes("[")) {
        // Fast path: a bare key, so neither a header nor a quoted colon is involved.
        const rest = stripSpaces(content.slice(colon + 1));
        if (key.endsWith(" ")) key = key.replace(/ +$/, "");
        index++;
        if (!rest) {
          [value, index] = this.nested(depth, index);
        } else {
          if (index < n && (depths[index] as number) > depth) {
            throw new KTOFDecodeError("unexpected indentation", lines.lineno[index]);
          }
          if (PLAIN_STRING_START.has(rest[0] as string)) value = rest;
          else if (rest === "[]") value = [];
          else value = this.primitive(rest, lines.lineno[index - 1] as number);
        }
      } else {
        [key, value, index] = this.field(content, depth, index);
      }
      if (strict && result.has(key)) throw new KTOFDecodeError(`duplicate key ${repr(key)}`, lines.lineno[index - 1]);
      result.set(key, value);
    }
    this.depth--;
    return [result, index];
  }

  /** Parse one `key: value` / `key[N]...:` line whose nested content sits at depth+1. */
  field(content: string, depth: number, index: number): [string, unknown, number] {
    const lines = this.lines;
    const lineno = lines.lineno[index] as number;
    const header = this.header(content, lineno);
    if (header !== null) {
      if (header.key !== null) {
        const [value, end] = this.arrayBody(header, depth, index + 1, lineno);
        return [header.key, value, end];
      }
      if (this.strict) {
        throw new KTOFDecodeError("an array header without a key is only valid at the root or after '- '", lineno);
      }
    }
    const colon = findUnquoted(content, ":");
    if (colon === -1) throw new KTOFDecodeError(`expected 'key: value', found ${repr(content)}`, lineno);
    const key = this.key(content, colon, lineno);
    const rest = stripSpaces(content.slice(colon + 1));
    index++;
    if (rest) {
      if (index < lines.n && (lines.depth[index] as number) > depth) {
        throw new KTOFDecodeError("unexpected indentation", lines.lineno[index]);
      }
      if (rest === "[]") return [key, [], index];
      return [key, this.primitive(rest, lineno), index];
    }
    const [value, end] = this.nested(depth, index);
    return [key, value, end];
  }

  /** After `key:` with nothing behind the colon: an object at depth+1, or `{}`. */
  nested(depth: number, index: number): [unknown, number] {
    const lines = this.lines;
    if (index < lines.n && (lines.depth[index] as number) > depth) {
      const childDepth = lines.depth[index] as number;
      if (childDepth !== depth + 1 && this.strict) {
        throw new KTOFDecodeError("indentation jumps more than one level", lines.lineno[index]);
      }
      return this.objectFields(childDepth, index);
    }
    return [this.obj(new Map()), index];
  }

  key(content: string, colon: number, lineno: number): string {
    if (content[0] === '"') {
      const [key, end] = scanQuoted(content, 0, lineno);
      if (stripSpaces(content.slice(end, colon))) {
        throw new KTOFDecodeError("unexpected text between a quoted key and ':'", lineno);
      }
      return key;
    }
    return stripSpaces(content.slice(0, colon));
  }

  // ------------------------------------------------------------------ headers (§6)
  /** The array header on this line, or null when the line is not one (§5.2 fall-through). */
  header(content: string, lineno: number): Header | null {
    let keyOrNull: string | null;
    let bracketAt: number;
    if (content[0] === '"') {
      if (!content.includes("[")) return null;
      const [key, end] = scanQuoted(content, 0, lineno);
      if (end >= content.length || content[end] !== "[") return null;
      keyOrNull = key;
      bracketAt = end;
    } else {
      bracketAt = content.indexOf("[");
      if (bracketAt === -1) return null;
      const colon = content.indexOf(":");
      if (colon !== -1 && colon < bracketAt) return null;
      const keytext = content.slice(0, bracketAt);
      if (keytext) {
        if (!UNQUOTED_KEY_RE.test(keytext)) return null;
        keyOrNull = keytext;
      } else {
        keyOrNull = null;
      }
    }
    const close = content.indexOf("]", bracketAt);
    if (close === -1) return this.malformed("unclosed '[' in array header", lineno);
    if (close === bracketAt + 1 && keyOrNull !== null) {
      const jsonValue = this.jsonField(content, close + 1, lineno);
      if (jsonValue !== null) {
        jsonValue.key = keyOrNull;
        return jsonValue;
      }
    }
    const inner = content.slice(bracketAt + 1, close);
    const match = BRACKET_RE.exec(inner);
    if (match === null) return this.malformed(`invalid array length [${inner}]`, lineno);
    const length = Number(parseInt10(match[1] as string, lineno, false));
    const keyed = Boolean(match[2]);
    const delimiter = match[3] || ",";
    let pos = close + 1;
    let fields: Field[] | null = null;
    if (pos < content.length && content[pos] === "{") {
      [fields, pos] = this.fields(content, pos, delimiter, lineno);
      if (fields === null) return null;
      const problem = tableColumnsProblem(fields);
      if (problem) return this.malformed(problem, lineno);
    }
    if (pos === content.length && fields !== null && length > 0) {
      // KTOF unindented table (docs/ktof.md §3.5): the next `length` lines are its rows.
      return { key: keyOrNull, length, delimiter, keyed, fields, rest: "", unindented: true };
    }
    if (pos >= content.length || content[pos] !== ":") {
      return this.malformed("expected ':' after the array header", lineno);
    }
    const rest = content.slice(pos + 1);
    if (fields !== null || keyed) {
      if (stripSpaces(rest)) return this.malformed("a header with fields carries no inline values", lineno);
      if (fields === null) return this.malformed("a keyed header needs a field list", lineno);
    }
    return { key: keyOrNull, length, delimiter, keyed, fields, rest };
  }

  /** KTOF `key[]: <JSON>` (docs/ktof.md §3.2); null when the line is not one. */
  jsonField(content: string, pos: number, lineno: number): Header | null {
    if (content[pos] !== ":") return null;
    const rest = stripSpaces(content.slice(pos + 1));
    if (!rest || (rest[0] !== "{" && rest[0] !== "[")) return null;
    let value: unknown;
    try {
      let end: number;
      [value, end] = this.flow(rest, 0, lineno);
      if (stripSpaces(rest.slice(end))) {
        throw new JsonValueError(`unexpected text after the JSON value: ${repr(rest.slice(end))}`);
      }
    } catch (exc) {
      if (exc instanceof JsonSyntaxError || exc instanceof JsonValueError) {
        if (this.strict) throw new KTOFDecodeError(`invalid JSON value after '[]:': ${jsonMessage(exc)}`, lineno);
        return null;
      }
      throw exc;
    }
    return { key: null, length: -1, delimiter: ",", keyed: false, fields: null, rest: "", value };
  }

  /** A header syntax error: thrown in strict mode; otherwise "not a header" (§6). */
  malformed(message: string, lineno: number): null {
    if (this.strict) throw new KTOFDecodeError(message, lineno);
    return null;
  }

  /** Parse `{a,b{c,d}}` at `start`; return the field tree and the index after `}`. */
  fields(content: string, start: number, delimiter: string, lineno: number): [Field[] | null, number] {
    if (this.depth > DECODE_MAX_DEPTH) throw new KTOFDecodeError("field groups nest too deeply", lineno);
    const fields: Field[] = [];
    const seen = new Set<string>();
    let pos = start + 1;
    const n = content.length;
    for (;;) {
      let name: string;
      if (pos < n && content[pos] === '"') {
        [name, pos] = scanQuoted(content, pos, lineno);
      } else {
        let end = pos;
        while (end < n) {
          const c = content[end] as string;
          if (c === "{" || c === "}" || c === "[" || c === "?" || c === "(" || c === delimiter) break;
          end++;
        }
        name = content.slice(pos, end);
        if (!UNQUOTED_KEY_RE.test(name)) {
          if (!name && end < n && content[end] === "}" && !fields.length) {
            this.malformed("empty field list '{}'", lineno);
            return [null, pos];
          }
          this.malformed(`invalid field name ${repr(name)} in header`, lineno);
          return [null, pos];
        }
        pos = end;
      }
      let sub: Field[] | null = null;
      if (pos < n && content[pos] === "{") {
        this.depth++;
        [sub, pos] = this.fields(content, pos, delimiter, lineno);
        this.depth--;
        if (sub === null) return [null, pos];
      }
      let kind: Kind = PLAIN;
      if (sub === null && content.startsWith("[]{", pos)) {
        kind = TABLE; // docs/ktof.md §3.7
        this.depth++;
        [sub, pos] = this.fields(content, pos + 2, delimiter, lineno);
        this.depth--;
        if (sub === null) return [null, pos];
      } else if (sub === null && content.startsWith("[]", pos)) {
        kind = JSON_CELLS;
        pos += 2;
      } else if (sub === null && content.startsWith(FLOAT_MARK, pos)) {
        kind = FLOAT;
        pos += FLOAT_MARK.length;
      }
      const optional = pos < n && content[pos] === "?";
      if (optional) pos++;
      if (seen.has(name) && this.strict) {
        throw new KTOFDecodeError(`duplicate field name ${repr(name)} in header`, lineno);
      }
      seen.add(name);
      fields.push({ name, sub, kind, optional });
      if (pos >= n) {
        this.malformed("unclosed '{' in header", lineno);
        return [null, pos];
      }
      if (content[pos] === "}") return [fields, pos + 1];
      if (content[pos] !== delimiter) {
        this.malformed("field names must be separated by the header's delimiter", lineno);
        return [null, pos];
      }
      pos++;
    }
  }

  // ------------------------------------------------------------------ arrays (§9, §10)
  /** Decode the value a header introduces; its rows or items sit at depth+1. */
  arrayBody(header: Header, depth: number, index: number, lineno: number): [unknown, number] {
    if (header.length < 0) {
      this.noChildren(depth, index);
      return [header.value, index];
    }
    const rowDepth = header.unindented === true ? depth : depth + 1;
    if (header.keyed) return this.keyedRows(header, rowDepth, index, lineno);
    if (header.fields !== null) return this.tableRows(header, rowDepth, index, lineno);
    const rest = stripSpaces(header.rest);
    if (rest) {
      const values = this.primitives(splitDelimited(rest, header.delimiter), lineno);
      this.checkCount(values.length, header.length, "values", lineno);
      this.noChildren(depth, index);
      return [values, index];
    }
    const lines = this.lines;
    if (index < lines.n && (lines.depth[index] as number) > depth) {
      return this.listItems(header, lines.depth[index] as number, index, lineno, depth);
    }
    this.checkCount(0, header.length, "items", lineno);
    return [[], index];
  }

  /** After a table's rows: nothing may be indented below them. */
  afterRows(unindented: boolean, rows: number, depth: number, index: number): void {
    if (!unindented) {
      this.noChildren(!rows ? depth - 1 : depth, index);
    } else if (index < this.lines.n && (this.lines.depth[index] as number) > depth) {
      throw new KTOFDecodeError("unexpected indentation", this.lines.lineno[index]);
    }
  }

  noChildren(depth: number, index: number): void {
    const lines = this.lines;
    if (index < lines.n && (lines.depth[index] as number) > depth) {
      throw new KTOFDecodeError("unexpected indentation", lines.lineno[index]);
    }
  }

  checkCount(found: number, declared: number, what: string, lineno: number): void {
    if (found !== declared && this.strict) {
      throw new KTOFDecodeError(`declared ${declared} ${what}, found ${found}`, lineno);
    }
  }

  /** §12: in strict mode no blank line may stand between an array's first and last line. */
  checkSpan(first: number, end: number): void {
    if (!this.strict || end - first < 2) return;
    const blanks = this.lines.blankIndex;
    // bisect_right(blanks, first)
    let lo = 0;
    let hi = blanks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first < (blanks[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    if (lo < blanks.length && (blanks[lo] as number) < end) {
      throw new KTOFDecodeError("blank line inside an array", this.lines.blankAt[lo]);
    }
  }

  tableRows(header: Header, depth: number, index: number, lineno: number): [unknown, number] {
    const lines = this.lines;
    const reader = new RowReader(header.fields as Field[], header.delimiter, this);
    const delimiter = header.delimiter;
    const rows: unknown[] = [];
    const start = index;
    const unindented = header.unindented === true;
    // Unindented: exactly `length` rows at the header's own depth, then the document goes on.
    const last = unindented ? header.length : -1;
    while (index < lines.n && lines.depth[index] === depth && rows.length !== last) {
      const content = lines.content[index] as string;
      if (!reader.marked && !unindented) {
        const colon = findUnquoted(content, ":");
        if (colon !== -1) {
          const cut = findUnquoted(content, delimiter);
          if (cut === -1 || colon < cut) break; // §9.3: a key-value line ends the rows
        }
      }
      rows.push(reader.read(content, lines.lineno[index] as number));
      index++;
      if (reader.pending !== null) index = this.subRows(reader, depth + 1, index);
    }
    this.checkSpan(start, index);
    this.checkCount(rows.length, header.length, "rows", lineno);
    this.afterRows(unindented, rows.length, depth, index);
    return [rows, index];
  }

  keyedRows(header: Header, depth: number, index: number, lineno: number): [unknown, number] {
    const lines = this.lines;
    const reader = new RowReader(header.fields as Field[], header.delimiter, this);
    const result = new Map<string, unknown>();
    const start = index;
    let count = 0;
    const unindented = header.unindented === true;
    // Unindented: exactly `length` entry rows at the header's own depth.
    const last = unindented ? header.length : -1;
    while (index < lines.n && lines.depth[index] === depth && count !== last) {
      const content = lines.content[index] as string;
      const rowLine = lines.lineno[index] as number;
      const colon = findUnquoted(content, ":");
      if (colon === -1) {
        if (this.strict) throw new KTOFDecodeError("an entry row needs 'key: values'", rowLine);
        index++;
        continue;
      }
      const key = this.key(content, colon, rowLine);
      if (this.strict && result.has(key)) throw new KTOFDecodeError(`duplicate key ${repr(key)}`, rowLine);
      result.set(key, reader.read(stripSpaces(content.slice(colon + 1)), rowLine));
      count++;
      index++;
      if (reader.pending !== null) index = this.subRows(reader, depth + 1, index);
    }
    this.checkSpan(start, index);
    this.checkCount(count, header.length, "entries", lineno);
    this.afterRows(unindented, count, depth, index);
    return [this.obj(result), index];
  }

  /**
   * The sub-rows a row's `[N]` cell announces (docs/ktof.md §3.7): the next N lines, one level
   * below the row, read with the column's own field list into that cell's list.
   */
  subRows(reader: RowReader, depth: number, index: number): number {
    const pending = reader.pending as PendingRows;
    const sub = reader.sub as RowReader;
    reader.pending = null;
    const { rows, count, lineno } = pending;
    const lines = this.lines;
    while (rows.length < count && index < lines.n && lines.depth[index] === depth) {
      rows.push(sub.read(lines.content[index] as string, lines.lineno[index] as number));
      index++;
    }
    if (rows.length !== count) throw new KTOFDecodeError(`declared ${count} rows, found ${rows.length}`, lineno);
    return index;
  }

  listItems(header: Header, depth: number, index: number, lineno: number, parentDepth: number): [unknown, number] {
    const lines = this.lines;
    if (depth !== parentDepth + 1 && this.strict) {
      throw new KTOFDecodeError("indentation jumps more than one level", lines.lineno[index]);
    }
    this.enter(index);
    const items: unknown[] = [];
    const start = index;
    while (index < lines.n && lines.depth[index] === depth) {
      const content = lines.content[index] as string;
      if (content === "-") {
        items.push(this.obj(new Map()));
        index++;
        continue;
      }
      if (!content.startsWith("- ")) {
        throw new KTOFDecodeError(`expected a list item '- ...', found ${repr(content)}`, lines.lineno[index]);
      }
      let value: unknown;
      [value, index] = this.listItem(content.slice(2).replace(/^ +/, ""), depth, index);
      items.push(value);
    }
    this.depth--;
    this.checkSpan(start, index);
    this.checkCount(items.length, header.length, "items", lineno);
    return [items, index];
  }

  /** One `- ...` item at `depth`; an object item's fields sit at depth+1 (§10). */
  listItem(rest: string, depth: number, index: number): [unknown, number] {
    const lines = this.lines;
    const lineno = lines.lineno[index] as number;
    if (rest === "[]") {
      this.noChildren(depth, index + 1);
      return [[], index + 1];
    }
    if (!rest) return [this.obj(new Map()), index + 1];
    const header = this.header(rest, lineno);
    if (header !== null && header.key === null) {
      if (header.fields !== null || header.keyed) {
        if (this.strict) throw new KTOFDecodeError("a list item cannot carry a tabular header without a key", lineno);
      } else {
        return this.arrayBody(header, depth, index + 1, lineno);
      }
    }
    if (header === null && findUnquoted(rest, ":") === -1) {
      this.noChildren(depth, index + 1);
      return [this.primitive(stripSpaces(rest), lineno), index + 1];
    }
    const [key, value, fieldEnd] = this.field(rest, depth + 1, index);
    let end = fieldEnd;
    const result = new Map<string, unknown>([[key, value]]);
    if (end < lines.n && lines.depth[end] === depth + 1) {
      let more: Map<string, unknown>;
      [more, end] = this.objectMap(depth + 1, end);
      for (const [moreKey, moreValue] of more) {
        if (this.strict && result.has(moreKey)) throw new KTOFDecodeError(`duplicate key ${repr(moreKey)}`, lineno);
        result.set(moreKey, moreValue);
      }
    }
    return [this.obj(result), end];
  }

  enter(index: number): void {
    this.depth++;
    if (this.depth > DECODE_MAX_DEPTH) {
      const lines = this.lines;
      const lineno = lines.n ? (lines.lineno[Math.min(index, lines.n - 1)] as number) : 0;
      throw new KTOFDecodeError(`nesting deeper than ${DECODE_MAX_DEPTH} levels`, lineno);
    }
  }

  /** Type each token; plain strings and plain non-negative ints skip the full check. */
  primitives(tokens: readonly string[], lineno: number): unknown[] {
    const cells: unknown[] = [];
    for (const token of tokens) {
      if (token && PLAIN_STRING_START.has(token[0] as string)) cells.push(token);
      else if (DIGITS_RE.test(token) && (token[0] !== "0" || token.length === 1)) {
        cells.push(parseInt10(token, lineno, this.exact));
      } else cells.push(this.primitive(token, lineno));
    }
    return cells;
  }

  // Used by RowReader.
  get isStrict(): boolean {
    return this.strict;
  }

  /** A cell of a `name(float)` column: number tokens are floats (`2` is 2.0, `-0` is -0.0). */
  floatCell(token: string, lineno: number): unknown {
    const first = token[0] as string;
    if ((first === "-" || (first >= "0" && first <= "9")) && isNumber(token)) {
      const number = Number(token);
      if (!Number.isFinite(number)) throw new KTOFDecodeError(`number ${token} is out of range for a float`, lineno);
      return floatValue(number, this.exact);
    }
    return this.primitive(token, lineno);
  }

  parsePrimitiveToken(token: string, lineno: number): unknown {
    return this.primitive(token, lineno);
  }

  parseJsonAt(text: string, start: number, lineno: number): [unknown, number] {
    return this.json(text, start, lineno);
  }

  /** A KTOF flow value (docs/ktof.md §3.2) at `text[start]` (a `{` or `[`). */
  flow(text: string, start: number, lineno: number): [unknown, number] {
    return new FlowParser(text, this.strict, this.exact, lineno).value(start, 0);
  }

  finish(map: Map<string, unknown>): unknown {
    return this.obj(map);
  }
}

const FLOW_BARE_END = /[,\]}]/g;
const FLOW_KEY_END = /[,:[\]{}"]/g;
const FLOW_BARE_BAD = /[[{"]/;

function searchFrom(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  const match = re.exec(text);
  return match === null ? text.length : match.index;
}

function rstripSpaceTab(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(0, end);
}

/**
 * The KTOF flow value (docs/ktof.md §3.2): JSON's syntax, except that a key or string needs no
 * quotes when it has no `, : [ ] { } "` or backslash, no control character and no space at either
 * end, and (for values) is not `true`/`false`/`null` or a number; bare tokens are typed like TOON
 * values. Every JSON text is a flow value with the same meaning. One left-to-right pass. Syntax
 * errors throw {@link JsonValueError}; nesting past 200 levels and over-long integers throw
 * {@link KTOFDecodeError} (as Python's `parse_flow`).
 */
class FlowParser {
  private readonly n: number;

  constructor(
    private readonly text: string,
    private readonly strict: boolean,
    private readonly exact: boolean,
    private readonly lineno: number,
  ) {
    this.n = text.length;
  }

  private skip(pos: number): number {
    const text = this.text;
    while (pos < this.n && (text[pos] === " " || text[pos] === "\t")) pos++;
    return pos;
  }

  value(pos: number, depth: number): [unknown, number] {
    pos = this.skip(pos);
    if (pos >= this.n) throw new JsonValueError(`expected a value at column ${pos + 1}`);
    const text = this.text;
    const ch = text[pos];
    if (ch === "{" || ch === "[") {
      if (depth >= DECODE_MAX_DEPTH) throw new KTOFDecodeError("nesting deeper than the decoder allows", this.lineno);
      return ch === "{" ? this.obj(pos + 1, depth + 1) : this.array(pos + 1, depth + 1);
    }
    if (ch === '"') return scanQuoted(text, pos, this.lineno);
    const end = searchFrom(FLOW_BARE_END, text, pos);
    const token = rstripSpaceTab(text.slice(pos, end));
    if (!token || FLOW_BARE_BAD.test(token)) throw new JsonValueError(`expected a value at column ${pos + 1}`);
    return [parsePrimitive(token, this.lineno, this.exact), end];
  }

  private obj(pos: number, depth: number): [unknown, number] {
    const text = this.text;
    const result = new Map<string, unknown>();
    pos = this.skip(pos);
    if (pos < this.n && text[pos] === "}") return [finishObject(result, this.exact), pos + 1];
    for (;;) {
      pos = this.skip(pos);
      let key: string;
      if (pos < this.n && text[pos] === '"') {
        [key, pos] = scanQuoted(text, pos, this.lineno);
      } else {
        const end = searchFrom(FLOW_KEY_END, text, pos);
        key = rstripSpaceTab(text.slice(pos, end));
        if (!key) throw new JsonValueError(`expected a key at column ${pos + 1}`);
        pos = end;
      }
      pos = this.skip(pos);
      if (pos >= this.n || text[pos] !== ":") throw new JsonValueError(`expected ':' after key ${repr(key)}`);
      let value: unknown;
      [value, pos] = this.value(pos + 1, depth);
      if (this.strict && result.has(key)) throw new JsonValueError(`duplicate key ${repr(key)}`);
      result.set(key, value);
      pos = this.skip(pos);
      if (pos < this.n && text[pos] === ",") {
        pos++;
        continue;
      }
      if (pos < this.n && text[pos] === "}") return [finishObject(result, this.exact), pos + 1];
      throw new JsonValueError(`expected ',' or '}' at column ${pos + 1}`);
    }
  }

  private array(pos: number, depth: number): [unknown[], number] {
    const text = this.text;
    const items: unknown[] = [];
    pos = this.skip(pos);
    if (pos < this.n && text[pos] === "]") return [items, pos + 1];
    for (;;) {
      let value: unknown;
      [value, pos] = this.value(pos, depth);
      items.push(value);
      pos = this.skip(pos);
      if (pos < this.n && text[pos] === ",") {
        pos++;
        continue;
      }
      if (pos < this.n && text[pos] === "]") return [items, pos + 1];
      throw new JsonValueError(`expected ',' or ']' at column ${pos + 1}`);
    }
  }
}

/** The column kind of each leaf cell, in row order (a table column is one `[N]` cell). */
function leafKinds(fields: readonly Field[], out: Kind[] = []): Kind[] {
  for (const { sub, kind } of fields) {
    if (sub === null || kind === TABLE) out.push(kind);
    else leafKinds(sub, out);
  }
  return out;
}

/**
 * Why a header's nested table columns (§3.7) are malformed, or "": at most one per header, at
 * its top level (not inside a field group), and no table column inside one.
 */
function tableColumnsProblem(fields: readonly Field[]): string {
  const tables = fields.filter((f) => f.kind === TABLE);
  if (tables.length > 1) return "a header holds at most one table column 'name[]{...}'";
  if (fields.some((f) => f.sub !== null && holdsTable(f.sub))) {
    return "a table column 'name[]{...}' must be a top-level field of its header";
  }
  return "";
}

function holdsTable(fields: readonly Field[]): boolean {
  return fields.some(({ sub, kind }) => kind === TABLE || (sub !== null && holdsTable(sub)));
}

/** A table column's rows still to read: the list to fill, its declared count, the row's line. */
interface PendingRows {
  readonly rows: unknown[];
  readonly count: number;
  readonly lineno: number;
}

function hasMarkers(fields: readonly Field[]): boolean {
  return fields.some(({ sub, kind, optional }) => kind !== PLAIN || optional || (sub !== null && hasMarkers(sub)));
}

/**
 * Turns one table row (or the cells of a keyed entry row) into an object. Plain TOON headers
 * split on the delimiter; headers with KTOF markers are scanned cell by cell, since a JSON cell
 * may contain the delimiter.
 */
class RowReader {
  readonly marked: boolean;
  private readonly leaves: Kind[];
  private readonly width: number;
  private readonly flat: boolean;
  private readonly names: string[];
  /** A nested table column's (§3.7) row reader, or null. */
  readonly sub: RowReader | null;
  /** After reading a row with a `[N]` cell: its rows, until the decoder reads them. */
  pending: PendingRows | null = null;

  constructor(
    private readonly fieldList: Field[],
    private readonly delimiter: string,
    private readonly decoder: Decoder,
  ) {
    this.leaves = leafKinds(fieldList);
    this.width = this.leaves.length;
    this.marked = hasMarkers(fieldList);
    this.flat = !this.marked && fieldList.every((f) => f.sub === null);
    this.names = fieldList.map((f) => f.name);
    const table = fieldList.find((f) => f.kind === TABLE);
    this.sub = table?.sub ? new RowReader(table.sub, delimiter, decoder) : null;
  }

  read(content: string, lineno: number): unknown {
    if (this.marked) return this.readMarked(content, lineno);
    const tokens = content ? splitDelimited(content, this.delimiter) : [];
    let cells = this.decoder.primitives(tokens, lineno);
    const width = this.width;
    if (cells.length !== width) {
      if (this.decoder.isStrict) {
        throw new KTOFDecodeError(`row has ${cells.length} values, header declares ${width}`, lineno);
      }
      cells = [...cells, ...new Array<null>(width).fill(null)].slice(0, width);
    }
    if (this.flat) {
      const map = new Map<string, unknown>();
      this.names.forEach((name, i) => map.set(name, cells[i]));
      return this.decoder.finish(map);
    }
    return this.build(this.fieldList, cells[Symbol.iterator]());
  }

  private build(fields: readonly Field[], cells: Iterator<unknown>): unknown {
    const map = new Map<string, unknown>();
    for (const { name, sub } of fields) {
      map.set(name, sub === null ? cells.next().value : this.build(sub, cells));
    }
    return this.decoder.finish(map);
  }

  private readMarked(line: string, lineno: number): unknown {
    const delimiter = this.delimiter;
    const n = line.length;
    let pos = 0;
    const cells: unknown[] = [];
    for (let i = 0; i < this.leaves.length; i++) {
      if (i) {
        if (pos >= n || line[pos] !== delimiter) {
          throw new KTOFDecodeError(`row has ${i} values, header declares ${this.width}`, lineno);
        }
        pos++;
      }
      while (pos < n && line[pos] === " ") pos++;
      const kind = this.leaves[i];
      if (kind === JSON_CELLS && pos < n && line[pos] !== delimiter) {
        let value: unknown;
        try {
          const c = line[pos];
          [value, pos] =
            c === "{" || c === "["
              ? this.decoder.flow(line, pos, lineno)
              : this.decoder.parseJsonAt(line, pos, lineno);
        } catch (exc) {
          // Python catches ValueError here, of which its KTOFDecodeError is a subclass.
          if (exc instanceof JsonSyntaxError || exc instanceof JsonValueError || exc instanceof KTOFDecodeError) {
            throw new KTOFDecodeError(`invalid JSON in column ${i + 1}: ${jsonMessage(exc)}`, lineno);
          }
          throw exc;
        }
        cells.push(value);
        while (pos < n && line[pos] === " ") pos++;
        continue;
      }
      let cut = findUnquoted(line, delimiter, pos);
      if (cut === -1) cut = n;
      const token = stripSpaces(line.slice(pos, cut));
      pos = cut;
      if (!token) cells.push(ABSENT);
      else if (kind === FLOAT) cells.push(this.decoder.floatCell(token, lineno));
      else if (kind === TABLE) cells.push(this.tableCell(token, lineno));
      else cells.push(this.decoder.parsePrimitiveToken(token, lineno));
    }
    if (pos !== n) {
      throw new KTOFDecodeError(`row has more values than the ${this.width} the header declares`, lineno);
    }
    const row = this.buildMarked(this.fieldList, cells[Symbol.iterator]());
    // Every cell empty and optional: an object without keys.
    return row === ABSENT ? this.decoder.finish(new Map()) : row;
  }

  /** A nested table column's `[N]` cell: an empty list the decoder fills with N rows. */
  private tableCell(token: string, lineno: number): unknown[] {
    const match = COUNT_CELL_RE.exec(token);
    if (match === null) {
      throw new KTOFDecodeError(`expected a row count '[N]' in a table column, found ${repr(token)}`, lineno);
    }
    const rows: unknown[] = [];
    this.pending = { rows, count: Number(parseInt10(match[1] as string, lineno, false)), lineno };
    return rows;
  }

  /** Build an object from cells where `ABSENT` marks an empty cell. */
  private buildMarked(fields: readonly Field[], cells: Iterator<unknown>): unknown {
    const map = new Map<string, unknown>();
    for (const { name, sub, kind, optional } of fields) {
      let value: unknown = sub === null || kind === TABLE ? cells.next().value : this.buildMarked(sub, cells);
      if (value === ABSENT) {
        if (optional) continue;
        value = ""; // TOON §9.1: an empty token is the empty string
      }
      map.set(name, value);
    }
    return map.size || !fields.length ? this.decoder.finish(map) : ABSENT;
  }
}

/**
 * Decode TOON 4.0 or KTOF text to a JavaScript value.
 *
 * `text` is a string, or UTF-8 bytes (`Uint8Array`; a leading byte order mark is skipped).
 * Everything it rejects throws {@link KTOFDecodeError} with the line (0 when no line is to blame).
 */
export function decode(text: string | Uint8Array, options: DecodeOptions = {}): unknown {
  const strict = options.strict ?? true;
  const indent = options.indent ?? 2;
  const exact = options.exact ?? false;
  if (typeof text !== "string") text = textOf(text);
  if (typeof indent !== "number" || !Number.isInteger(indent)) {
    throw new TypeError(`decode() option indent must be an integer, not ${String(indent)}`);
  }
  if (indent < 1) throw new KTOFDecodeError(`option indent must be at least 1, not ${indent}`);
  if (text.startsWith(" {") || text.replace(/^[ \t\r\n]+/, "").startsWith("[")) {
    const value = rootJson(text, strict, exact);
    if (value !== NOT_JSON) return value;
  }
  return new Decoder(new Lines(text, indent, strict), strict, exact).document();
}

function textOf(data: Uint8Array): string {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`decode() needs a string or UTF-8 bytes, not ${typeof data}`);
  }
  const start = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data.subarray(start));
  } catch {
    const where = start + firstInvalidUtf8(data.subarray(start));
    let line = 1;
    for (let i = 0; i < where; i++) if (data[i] === 0x0a) line++;
    throw new KTOFDecodeError(`invalid UTF-8 at byte ${where}`, line);
  }
}

/** Offset of the first byte that starts no valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + size));
    } catch {
      return i;
    }
    i += size;
  }
  return bytes.length;
}

/** KTOF root JSON (docs/ktof.md §3.1): a JSON array, or one space and a JSON object. */
function rootJson(text: string, strict: boolean, exact: boolean): unknown {
  const isObject = text.startsWith(" {");
  const start = text.length - text.replace(/^[ \t\r\n]+/, "").length;
  let value: unknown;
  let end: number;
  try {
    [value, end] = parseJson(text, start, { strict, exact });
  } catch (exc) {
    if (exc instanceof JsonTooDeep) throw new KTOFDecodeError("nesting deeper than the decoder allows", 1);
    if (exc instanceof JsonSyntaxError) {
      if (isObject && strict) throw new KTOFDecodeError(`invalid JSON object: ${exc.msg}`, exc.lineno);
      return NOT_JSON;
    }
    if (exc instanceof JsonValueError) throw new KTOFDecodeError(exc.message, 1);
    throw exc;
  }
  const isArray = Array.isArray(value);
  const wanted = isObject ? !isArray && typeof value === "object" && value !== null : isArray;
  if (/[^ \t\r\n]/.test(text.slice(end)) || !wanted) {
    if (isObject && strict) throw new KTOFDecodeError("a document starting with ' {' must be one JSON object", 1);
    return NOT_JSON;
  }
  return value;
}
