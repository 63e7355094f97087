/**
 * The TOON 4.0 writer (`mode: "toon"`): canonical output, byte for byte as the spec's fixtures
 * and as Python's `_toon.py`. Input is already normalized (see `normalize.ts`).
 */
import { encodeKey, encodeString } from "./lexical.js";
import { MAX_DEPTH, type Normalized } from "./normalize.js";
import { toonNumber } from "./numbers.js";

type Obj = Map<string, Normalized>;
/** A header's field tree: name and nested fields (null for a leaf). */
type Fields = (readonly [string, Fields | null])[];

/** The text would nest deeper than the decoder accepts. */
export class TooDeep extends Error {
  override name = "TooDeep";
}

function isContainer(value: Normalized): boolean {
  return Array.isArray(value) || value instanceof Map;
}

function sameKeySet(a: Obj, b: Obj): boolean {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) if (!b.has(key)) return false;
  return true;
}

/** §9.3 column classification: the header's field tree if `objects` are tabular, else null. */
export function tableFields(objects: readonly Normalized[], depth = 0): Fields | null {
  if (depth >= MAX_DEPTH) throw new TooDeep();
  const first = objects[0];
  if (!(first instanceof Map) || first.size === 0) return null;
  for (const obj of objects) {
    if (!(obj instanceof Map) || !sameKeySet(first, obj)) return null;
  }
  const maps = objects as readonly Obj[];
  const fields: Fields = [];
  for (const [key, sample] of first) {
    if (sample instanceof Map) {
      const sub = tableFields(
        maps.map((obj) => obj.get(key) as Normalized),
        depth + 1,
      );
      if (sub === null) return null;
      fields.push([key, sub]);
      continue;
    }
    for (const obj of maps) if (isContainer(obj.get(key) as Normalized)) return null;
    fields.push([key, null]);
  }
  return fields;
}

/** §9.5: the field tree when `obj` (2+ entries of uniform objects) is keyed-tabular. */
function keyedFields(obj: Obj): Fields | null {
  if (obj.size < 2) return null;
  return tableFields([...obj.values()]);
}

function headerFields(fields: Fields, delimiter: string): string {
  const parts: string[] = [];
  for (const [name, sub] of fields) {
    parts.push(sub === null ? encodeKey(name) : encodeKey(name) + headerFields(sub, delimiter));
  }
  return "{" + parts.join(delimiter) + "}";
}

function leafValues(obj: Obj, fields: Fields, out: Normalized[]): void {
  for (const [name, sub] of fields) {
    const value = obj.get(name) as Normalized;
    if (sub === null) out.push(value);
    else leafValues(value as Obj, sub, out);
  }
}

function bracket(length: number, delimiter: string, keyed = false): string {
  return `[${length}${keyed ? ":" : ""}${delimiter === "," ? "" : delimiter}]`;
}

/** Canonical TOON 4.0 emission with a document delimiter and indent size. */
export class ToonWriter {
  private readonly lines: string[] = [];
  private readonly keys = new Map<string, string>();
  private readonly strings = new Map<string, Map<string, string>>();
  private readonly pad: string[] = [];

  constructor(
    readonly indent: number,
    readonly delimiter: string,
  ) {}

  indentation(depth: number): string {
    const pad = this.pad;
    while (depth >= pad.length) pad.push(" ".repeat(this.indent * pad.length));
    return pad[depth] as string;
  }

  primitive(value: Normalized, delimiter: string): string {
    if (typeof value === "string") {
      let memo = this.strings.get(delimiter);
      if (memo === undefined) {
        memo = new Map();
        this.strings.set(delimiter, memo);
      }
      let text = memo.get(value);
      if (text === undefined) {
        text = encodeString(value, delimiter);
        memo.set(value, text);
      }
      return text;
    }
    if (value === true) return "true";
    if (value === false) return "false";
    if (value === null) return "null";
    return toonNumber(value as number);
  }

  key(key: string): string {
    let text = this.keys.get(key);
    if (text === undefined) {
      text = encodeKey(key);
      this.keys.set(key, text);
    }
    return text;
  }

  row(values: readonly Normalized[], delimiter: string): string {
    return values.map((value) => this.primitive(value, delimiter)).join(delimiter);
  }

  document(value: Normalized): string {
    if (value instanceof Map) {
      if (value.size) {
        const fields = keyedFields(value);
        if (fields !== null) this.keyed(null, value, fields, 0, "");
        else this.fields(value, 0);
      }
    } else if (Array.isArray(value)) {
      if (value.length) this.array(null, value, 0, "");
      else this.lines.push("[]");
    } else {
      this.lines.push(this.primitive(value, this.delimiter));
    }
    return this.lines.join("\n");
  }

  fields(obj: Obj, depth: number): void {
    if (depth >= MAX_DEPTH) throw new TooDeep();
    const lead = this.indentation(depth);
    for (const [key, value] of obj) this.field(this.key(key), value, depth, lead);
  }

  /** Emit `key` and its value; `lead` is the line's start (indent, maybe `- `). */
  field(key: string, value: Normalized, depth: number, lead: string): void {
    if (value instanceof Map) {
      if (!value.size) {
        this.lines.push(`${lead}${key}:`);
        return;
      }
      const fields = keyedFields(value);
      if (fields !== null) {
        this.keyed(key, value, fields, depth, lead);
        return;
      }
      this.lines.push(`${lead}${key}:`);
      this.fields(value, depth + 1);
    } else if (Array.isArray(value)) {
      if (value.length) this.array(key, value, depth, lead);
      else this.lines.push(`${lead}${key}: []`);
    } else {
      this.lines.push(`${lead}${key}: ${this.primitive(value, this.delimiter)}`);
    }
  }

  keyed(key: string | null, obj: Obj, fields: Fields, depth: number, lead: string): void {
    const delimiter = this.delimiter;
    const head = `${lead}${key ?? ""}${bracket(obj.size, delimiter, true)}`;
    this.lines.push(`${head}${headerFields(fields, delimiter)}:`);
    const pad = this.indentation(depth + 1);
    for (const [entryKey, entry] of obj) {
      const cells: Normalized[] = [];
      leafValues(entry as Obj, fields, cells);
      this.lines.push(`${pad}${this.key(entryKey)}: ${this.row(cells, delimiter)}`);
    }
  }

  array(key: string | null, items: Normalized[], depth: number, lead: string): void {
    const delimiter = this.delimiter;
    const name = key ?? "";
    if (!items.some(isContainer)) {
      this.lines.push(`${lead}${name}${bracket(items.length, delimiter)}: ${this.row(items, delimiter)}`);
      return;
    }
    const fields = tableFields(items);
    if (fields !== null) {
      this.table(name, items as Obj[], fields, depth, lead);
      return;
    }
    this.lines.push(`${lead}${name}${bracket(items.length, delimiter)}:`);
    this.items(items, depth + 1);
  }

  table(name: string, items: Obj[], fields: Fields, depth: number, lead: string): void {
    const delimiter = this.delimiter;
    this.lines.push(`${lead}${name}${bracket(items.length, delimiter)}${headerFields(fields, delimiter)}:`);
    const pad = this.indentation(depth + 1);
    for (const item of items) {
      const cells: Normalized[] = [];
      leafValues(item, fields, cells);
      this.lines.push(pad + this.row(cells, delimiter));
    }
  }

  /** §9.4 / §10: expanded list items at `depth`. */
  items(items: Normalized[], depth: number): void {
    if (depth >= MAX_DEPTH) throw new TooDeep();
    const pad = this.indentation(depth);
    const delimiter = this.delimiter;
    for (const item of items) {
      if (item instanceof Map) {
        if (!item.size) {
          this.lines.push(`${pad}-`);
          continue;
        }
        let lead = `${pad}- `;
        for (const [key, value] of item) {
          this.field(this.key(key), value, depth + 1, lead);
          lead = this.indentation(depth + 1);
        }
      } else if (Array.isArray(item)) {
        if (!item.length) {
          this.lines.push(`${pad}- ${bracket(0, delimiter)}:`);
        } else if (!item.some(isContainer)) {
          this.lines.push(`${pad}- ${bracket(item.length, delimiter)}: ${this.row(item, delimiter)}`);
        } else {
          this.lines.push(`${pad}- ${bracket(item.length, delimiter)}:`);
          this.items(item, depth + 1);
        }
      } else {
        this.lines.push(`${pad}- ${this.primitive(item, delimiter)}`);
      }
    }
  }
}
