/**
 * KTOF auto mode: per subtree, the rendering with the fewest tokens that decodes exactly (the
 * mirror of Python's `_auto.py`, same algorithm and tie-breaks, so the same bytes).
 *
 * Every container is rendered in each form that can carry it (TOON block, TOON/KTOF table, keyed
 * table, inline compact JSON) and the cheapest wins. Costs are exact: a document's token count
 * is the sum of its lines' counts (pre-tokens never span a newline), so each distinct line is
 * counted once and memoized. A final check against compact JSON makes "never more tokens than
 * JSON" hold by construction.
 */
import { countTokens } from "../tokens.js";
import { dumps } from "./json.js";
import { LITERALS, UNQUOTED_KEY_RE, isNumber } from "./lexical.js";
import type { Normalized } from "./normalize.js";
import { floatOf, isInt, numberText } from "./numbers.js";
import { KFloat } from "./values.js";

type Obj = Map<string, Normalized>;
/**
 * Column kinds, as in the decoder: PLAIN cells are TOON values, JSON cells (`name[]`) compact
 * JSON, FLOAT cells (`name(float)`) numbers that are all floats, so whole ones are written
 * without `.0`; TABLE cells (`name[]{...}`, subfields = the sub-table's fields) are `[N]`
 * followed by N sub-rows one level below the row (docs/ktof.md §3.7).
 */
const PLAIN = 0;
const JSON_CELLS = 1;
const FLOAT = 2;
const TABLE = 3;
type Kind = typeof PLAIN | typeof JSON_CELLS | typeof FLOAT | typeof TABLE;
/**
 * Whole floats below this magnitude are written as their integer digits in a float column
 * (above it Python's repr, e.g. `1e+16`, is the shorter text).
 */
const WHOLE_FLOAT_LIMIT = 1e16;

/** A table field: name, subfields, column kind, optional (`name?`). */
interface KField {
  readonly name: string;
  readonly sub: KField[] | null;
  readonly kind: Kind;
  readonly optional: boolean;
}
/** Lines of one alternative and their exact token cost (each line counted with its newline). */
type Rendering = readonly [string[], number];

const jstr = (text: string): string => JSON.stringify(text);
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x1f\x7f]/;
const NO_SPACE_BEFORE = "-0123456789tfn";
const DIGITS = "0123456789";

/**
 * Objects and tables longer than this as JSON (in code points) are not also costed as inline
 * JSON: at that size the structured forms win, and counting every large subtree again would make
 * encoding quadratic in the nesting depth.
 */
export const JSON_ALTERNATIVE_MAX = 16384;
/** A table with more than this share of empty (absent) cells is also costed as a list. */
export const SPARSE_TABLE = 0.25;

/** Whether `text` has at most `max` code points (Python's `len`), cheaply. */
function withinCodePoints(text: string, max: number): boolean {
  if (text.length <= max) return true;
  if (text.length > 2 * max) return false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (++count > max) return false;
  }
  return true;
}

function needsQuotesBase(text: string): boolean {
  if (!text) return true;
  const first = text[0] as string;
  if (first === " " || first === '"' || text[text.length - 1] === " ") return true;
  if (LITERALS.has(text) || text === "[]") return true;
  if ((first === "-" || (first >= "0" && first <= "9")) && isNumber(text)) return true;
  return CONTROL_RE.test(text);
}

/** A string after `key: `: the whole rest of the line is the value (TOON §7.4). */
function fieldValue(text: string): string {
  return needsQuotesBase(text) ? jstr(text) : text;
}

/** A string after `- ` (a colon or a leading `[` would make it an object or array). */
function itemValue(text: string): string {
  return needsQuotesBase(text) || text.includes(":") || text.includes("[") ? jstr(text) : text;
}

function rootValue(text: string): string {
  if (needsQuotesBase(text) || text.includes(":") || text.includes("[") || text[0] === "{" || text[0] === "#") {
    return jstr(text);
  }
  return text;
}

/** A string in an inline array or table row, split on `delimiter`. */
function cellValue(text: string, delimiter: string, first: boolean, plain: boolean): string {
  if (needsQuotesBase(text) || text.includes(delimiter) || text.includes('"')) return jstr(text);
  if (first && (text[0] === "#" || (plain && (text.includes(":") || text.startsWith("- "))))) {
    return jstr(text);
  }
  return text;
}

/** A key before `: `; the decoder takes everything before the first unquoted colon. */
function fieldKey(key: string): string {
  if (UNQUOTED_KEY_RE.test(key)) return key;
  if (
    !key ||
    ' "#'.includes(key[0] as string) ||
    key[key.length - 1] === " " ||
    key.includes(":") ||
    key.includes('"') ||
    key.includes("[") ||
    CONTROL_RE.test(key)
  ) {
    return jstr(key);
  }
  return key;
}

// eslint-disable-next-line no-control-regex
const FLOW_KEY_QUOTE_RE = /[,:[\]{}"\\\x00-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const FLOW_QUOTE_RE = /[,[\]{}"\\\x00-\x1f\x7f]/;

/** A key inside a flow value (docs/ktof.md §3.2): bare unless the parser would misread it. */
function flowKey(key: string): string {
  if (!key || key[0] === " " || key[key.length - 1] === " " || FLOW_KEY_QUOTE_RE.test(key)) return jstr(key);
  return key;
}

/**
 * A string inside a flow value: bare unless it would read as punctuation, a literal or a number,
 * or lose a space at either end (a colon is fine: the key ended at the first one).
 */
function flowString(text: string): string {
  if (!text || text[0] === " " || text[text.length - 1] === " " || FLOW_QUOTE_RE.test(text)) return jstr(text);
  const first = text[0] as string;
  if (LITERALS.has(text) || ((first === "-" || (first >= "0" && first <= "9")) && isNumber(text))) return jstr(text);
  return text;
}

/** A container as a KTOF flow value: JSON with bare keys and strings where unambiguous (`{lib:[es2023]}`). */
function flow(value: Normalized): string {
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [key, item] of value) parts.push(flowKey(key) + ":" + flow(item));
    return "{" + parts.join(",") + "}";
  }
  if (Array.isArray(value)) return "[" + value.map(flow).join(",") + "]";
  if (typeof value === "string") return flowString(value);
  if (value instanceof KFloat || (typeof value === "number" && !isInt(value))) return numberText(value);
  return dumps(value);
}

/** A key before `[` (headers follow TOON's stricter key grammar). */
function headerKey(key: string): string {
  return UNQUOTED_KEY_RE.test(key) ? key : jstr(key);
}

function isContainer(value: Normalized): boolean {
  return Array.isArray(value) || value instanceof Map;
}

/** A candidate table layout for a list of objects (or the values of a keyed object). */
interface Table {
  readonly fields: KField[];
  /** No KTOF markers: the header is pure TOON. */
  readonly plain: boolean;
  /** Share of top-level cells that are empty (absent keys). */
  readonly sparseness: number;
  /** Index of the nested table column (§3.7), or -1. */
  readonly table: number;
}

/**
 * The same plan with its nested table column written as a JSON column instead, or null when it
 * has none: the two are costed against each other.
 */
function withJsonColumn(plan: Table): Table | null {
  if (plan.table < 0) return null;
  const fields = [...plan.fields];
  const { name, optional } = fields[plan.table] as KField;
  fields[plan.table] = { name, sub: null, kind: JSON_CELLS, optional };
  return { fields, plain: false, sparseness: plan.sparseness, table: -1 };
}

/**
 * Choose columns for `objects` keeping each object's key order; null when no table fits.
 * `firstOptional` allows an optional first column (a row may then start with the delimiter);
 * callers pass false where such a row would start with a tab, which reads as indentation.
 * `nested` allows one column of lists of objects to become a nested table column (§3.7);
 * `subFirstOptional` is `firstOptional` for its sub-rows, which start their line after the
 * indentation even in a keyed table (so never with a tab delimiter).
 */
function planTable(
  objects: readonly Normalized[],
  allowMarkers: boolean,
  firstOptional = false,
  nested = false,
  subFirstOptional = false,
): Table | null {
  for (const obj of objects) if (!(obj instanceof Map) || obj.size === 0) return null;
  const maps = objects as readonly Obj[];
  const order = columnOrder(maps);
  if (order === null) return null;
  let minSize = Infinity;
  for (const obj of maps) minSize = Math.min(minSize, obj.size);
  if (order.length > 4 * minSize + 8) return null;
  const count = maps.length;
  const firstKey = order[0] as string;
  if (!firstOptional) for (const obj of maps) if (!obj.has(firstKey)) return null;
  const fields: KField[] = [];
  let plain = true;
  let table = -1;
  for (const key of order) {
    const present: Normalized[] = [];
    for (const obj of maps) if (obj.has(key)) present.push(obj.get(key) as Normalized);
    const optional = present.length !== count;
    if (optional && !allowMarkers) return null;
    let dicts = 0;
    let lists = 0;
    let floats = 0;
    let ints = 0;
    for (const value of present) {
      if (value instanceof Map) dicts++;
      else if (Array.isArray(value)) lists++;
      else if (value instanceof KFloat || typeof value === "bigint") {
        if (typeof value === "bigint") ints++;
        else floats++;
      } else if (typeof value === "number") {
        if (isInt(value)) ints++;
        else floats++;
      }
    }
    if (dicts === 0 && lists === 0) {
      const kind = allowMarkers && floats > 0 && ints === 0 && hasWhole(present) ? FLOAT : PLAIN;
      fields.push({ name: key, sub: null, kind, optional });
      plain = plain && !optional && kind === PLAIN;
      continue;
    }
    if (dicts === present.length && !optional) {
      const sub = planTable(present, false);
      if (sub !== null && sameOrder(present as Obj[])) {
        fields.push({ name: key, sub: sub.fields, kind: PLAIN, optional: false });
        continue;
      }
    }
    if (!allowMarkers) return null;
    if (nested && table < 0 && lists === present.length) {
      const sub = subTable(present as Normalized[][], subFirstOptional);
      if (sub !== null) {
        table = fields.length;
        fields.push({ name: key, sub: sub.fields, kind: TABLE, optional });
        plain = false;
        continue;
      }
    }
    fields.push({ name: key, sub: null, kind: JSON_CELLS, optional });
    plain = false;
  }
  let presentCells = 0;
  for (const obj of maps) presentCells += obj.size;
  const sparseness = 1.0 - presentCells / (order.length * count);
  return { fields, plain, sparseness, table };
}

/**
 * One table for the objects of every list in a column (a nested table column's rows), or null:
 * each list must hold only non-empty objects, and at least one object in all.
 */
function subTable(lists: readonly Normalized[][], firstOptional: boolean): Table | null {
  const rows: Normalized[] = [];
  for (const items of lists) for (const item of items) rows.push(item);
  if (!rows.length) return null;
  return planTable(rows, true, firstOptional);
}

function isFloat(value: Normalized): value is number | KFloat {
  return value instanceof KFloat || (typeof value === "number" && !isInt(value));
}

/** Whether a float column pays: at least two whole floats (`2.0`), each two tokens cheaper as `2`. */
function hasWhole(values: readonly Normalized[]): boolean {
  let whole = 0;
  for (const value of values) {
    if (isFloat(value)) {
      const v = floatOf(value);
      if (Number.isInteger(v) && Math.abs(v) < WHOLE_FLOAT_LIMIT && ++whole >= 2) return true;
    }
  }
  return false;
}

/** A float in a float column: whole values as digits (`2`, `-0`), others as usual. */
function floatCell(value: number | KFloat): string {
  const v = floatOf(value);
  if (Number.isInteger(v) && Math.abs(v) < WHOLE_FLOAT_LIMIT) return Object.is(v, -0) ? "-0" : String(v);
  return numberText(value);
}

/** One header order in which every object's keys appear in its own order, or null. */
function columnOrder(objects: readonly Obj[]): string[] | null {
  const first = [...(objects[0] as Obj).keys()];
  if (sameOrder(objects)) return first;
  const seen = new Map<string, number>();
  const names: string[] = [];
  const after: Set<number>[] = [];
  const indegree: number[] = [];
  for (const obj of objects) {
    let previous = -1;
    for (const key of obj.keys()) {
      let id = seen.get(key);
      if (id === undefined) {
        id = names.length;
        seen.set(key, id);
        names.push(key);
        after.push(new Set());
        indegree.push(0);
      }
      if (previous !== -1) {
        const edges = after[previous] as Set<number>;
        if (!edges.has(id)) {
          edges.add(id);
          indegree[id] = (indegree[id] as number) + 1;
        }
      }
      previous = id;
    }
  }
  // Kahn's algorithm, ties broken by first appearance (a min-heap of ids).
  const ready = new MinHeap();
  indegree.forEach((degree, id) => {
    if (degree === 0) ready.push(id);
  });
  const order: string[] = [];
  while (ready.size) {
    const id = ready.pop();
    order.push(names[id] as string);
    for (const next of after[id] as Set<number>) {
      const degree = (indegree[next] as number) - 1;
      indegree[next] = degree;
      if (degree === 0) ready.push(next);
    }
  }
  return order.length === names.length ? order : null;
}

class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[i] = items[parent] as number;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
        if ((items[child] as number) >= last) break;
        items[i] = items[child] as number;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

function sameOrder(objects: readonly Obj[]): boolean {
  const first = [...(objects[0] as Obj).keys()];
  for (const obj of objects) {
    if (obj.size !== first.length) return false;
    let i = 0;
    for (const key of obj.keys()) if (key !== first[i++]) return false;
  }
  return true;
}

function space(cells: string): string {
  return cells.length && NO_SPACE_BEFORE.includes(cells[0] as string) ? "" : " ";
}

function bracket(length: number, delimiter: string, keyed = false): string {
  return `[${length}${keyed ? ":" : ""}${delimiter === "," ? "" : delimiter}]`;
}

function header(fields: readonly KField[], delimiter: string): string {
  const parts: string[] = [];
  for (const { name, sub, kind, optional } of fields) {
    let text = headerKey(name);
    if (kind === TABLE) text += "[]" + header(sub as KField[], delimiter);
    else if (sub !== null) text += header(sub, delimiter);
    if (kind === JSON_CELLS) text += "[]";
    else if (kind === FLOAT) text += "(float)";
    if (optional) text += "?";
    parts.push(text);
  }
  return "{" + parts.join(delimiter) + "}";
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
}

/**
 * Exact token count of the root JSON object form `" " + jsonText` (docs/ktof.md §3.1): only the
 * first pre-token (the punctuation run that opens the object) changes when the space is put in
 * front, so it is recounted alone; the text is counted whole when that run meets non-ASCII.
 */
export function markedObjectCost(jsonText: string, jsonCost: number, model: string): number {
  let end = 0;
  const n = jsonText.length;
  while (end < n) {
    const c = jsonText.charCodeAt(end);
    if (c >= 128) return countTokens(" " + jsonText, model);
    if (isAsciiAlnum(c) || isAsciiSpace(c)) break;
    end++;
  }
  const head = jsonText.slice(0, end);
  return jsonCost - countTokens(head, model) + countTokens(" " + head, model);
}

/** Renders one document; costs are exact token counts, memoized per distinct line. */
export class AutoWriter {
  private readonly memo = new Map<string, number>();
  /** Container -> its flow text: every level of a nested value offers its flow text, so without
   * the memo deep documents would rebuild their subtrees once per level. */
  private readonly flows = new Map<Normalized[] | Obj, string>();
  private readonly pad: string[] = [];

  constructor(
    readonly model: string,
    readonly indent: number,
    readonly delimiter: string,
  ) {}

  indentation(depth: number): string {
    const pad = this.pad;
    while (depth >= pad.length) pad.push(" ".repeat(this.indent * pad.length));
    return pad[depth] as string;
  }

  /** A one-line rendering; the count of a line is memoized (lines recur across forms). */
  line(text: string): Rendering {
    let n = this.memo.get(text);
    if (n === undefined) {
      n = countTokens(text + "\n", this.model);
      this.memo.set(text, n);
    }
    return [[text], n];
  }

  /** {@link flow}, memoized per container. */
  flow(value: Normalized): string {
    if (!(value instanceof Map) && !Array.isArray(value)) return flow(value);
    let text = this.flows.get(value);
    if (text === undefined) {
      if (value instanceof Map) {
        const parts: string[] = [];
        for (const [key, item] of value) parts.push(flowKey(key) + ":" + this.flow(item));
        text = "{" + parts.join(",") + "}";
      } else {
        text = "[" + value.map((item) => this.flow(item)).join(",") + "]";
      }
      this.flows.set(value, text);
    }
    return text;
  }

  /** One tokenizer call for many lines that will not recur (table rows). */
  linesCost(lines: readonly string[]): number {
    return countTokens(lines.join("\n") + "\n", this.model);
  }

  scalar(value: Normalized, quoteFn: (text: string) => string): string {
    if (typeof value === "string") return quoteFn(value);
    if (value === true) return "true";
    if (value === false) return "false";
    if (value === null) return "null";
    return numberText(value as number);
  }

  cell(value: Normalized, delimiter: string, first = false, plain = true): string {
    if (typeof value === "string") return cellValue(value, delimiter, first, plain);
    return this.scalar(value, fieldValue);
  }

  /** The text and its exact token count (null where it was not needed to choose). */
  document(value: Normalized, compareJson = true): [string, number | null] {
    let lines: string[];
    let cost: number;
    const isObject = value instanceof Map;
    if (isObject) {
      if (!value.size) return ["", 0];
      [lines, cost] = this.bestObjectRoot(value);
    } else if (Array.isArray(value)) {
      if (!value.length) return ["[]", null];
      [lines, cost] = this.bestArray(null, value, 0, "");
    } else {
      return [this.scalar(value, rootValue), null];
    }
    const text = lines.join("\n");
    cost = this.exactCost(lines, text, cost);
    if (compareJson) {
      const jsonText = dumps(value);
      const jsonCost = countTokens(jsonText, this.model);
      if (!isObject) {
        if (jsonCost < cost) return [jsonText, jsonCost];
      } else {
        const rootCost = markedObjectCost(jsonText, jsonCost, this.model);
        if (rootCost < cost) return [" " + jsonText, rootCost];
      }
    }
    return [text, cost];
  }

  /** The exact count of `text` from the per-line `cost` (see Python's `exact_cost`). */
  exactCost(lines: readonly string[], text: string, cost: number): number {
    for (let i = 1; i < lines.length; i++) {
      if ((lines[i] as string).startsWith("/")) return countTokens(text, this.model);
    }
    const last = lines[lines.length - 1] as string;
    return cost + countTokens(last, this.model) - (this.line(last)[1]);
  }

  bestObjectRoot(obj: Obj): Rendering {
    const keyed = this.keyedTable(null, obj, 0, "");
    if (keyed !== null && !keyed[1]) return keyed[0];
    const block = this.objectBlock(obj, 0);
    return keyed !== null && keyed[0][1] < block[1] ? keyed[0] : block;
  }

  objectBlock(obj: Obj, depth: number): Rendering {
    const lines: string[] = [];
    let cost = 0;
    const pad = this.indentation(depth);
    for (const [key, value] of obj) {
      const [fieldLines, fieldCost] = this.field(key, value, depth, pad);
      for (const line of fieldLines) lines.push(line);
      cost += fieldCost;
    }
    return [lines, cost];
  }

  /** One object field whose line starts with `lead`; nested content at depth+1. */
  field(key: string, value: Normalized, depth: number, lead: string): Rendering {
    if (value instanceof Map) {
      if (!value.size) return this.line(`${lead}${fieldKey(key)}:`);
      const keyed = this.keyedTable(key, value, depth, lead);
      let best: Rendering;
      if (keyed !== null && !keyed[1]) {
        best = keyed[0];
      } else {
        const [opener, openerCost] = this.line(`${lead}${fieldKey(key)}:`);
        const [body, bodyCost] = this.objectBlock(value, depth + 1);
        best = [[...opener, ...body], openerCost + bodyCost];
        if (keyed !== null && keyed[0][1] < best[1]) best = keyed[0];
      }
      const jsonText = this.flow(value);
      if (withinCodePoints(jsonText, JSON_ALTERNATIVE_MAX)) {
        const inline = this.line(`${lead}${headerKey(key)}[]: ${jsonText}`);
        if (inline[1] < best[1]) best = inline;
      }
      return best;
    }
    if (Array.isArray(value)) {
      if (!value.length) return this.line(`${lead}${fieldKey(key)}: []`);
      return this.bestArray(key, value, depth, lead);
    }
    if (typeof value === "string") {
      const text = fieldValue(value);
      // No space before a digit either: the tokenizers never merge a space into digits.
      const gap = DIGITS.includes(text[0] as string) ? "" : " ";
      return this.line(`${lead}${fieldKey(key)}:${gap}${text}`);
    }
    // No space before numbers and literals: "a:1" is a token cheaper than "a: 1" (TOON §12 trims it).
    return this.line(`${lead}${fieldKey(key)}:${this.scalar(value, fieldValue)}`);
  }

  bestArray(key: string | null, items: Normalized[], depth: number, lead: string): Rendering {
    const name = key === null ? "" : headerKey(key);
    let best: Rendering | null = null;
    let jsonAllowed = true;
    if (!items.some(isContainer)) {
      best = this.inline(name, items, lead);
    } else if (items.every((item) => item instanceof Map && item.size > 0)) {
      const firstOptional = this.delimiter !== "\t";
      const plan = planTable(items, true, firstOptional, true, firstOptional);
      if (plan !== null) {
        best = this.bestTable(name, items as Obj[], plan, depth, lead);
        jsonAllowed = false;
      }
      // A table of 4 or more rows is not also costed as list items (docs/ktof.md §4).
      if (plan === null || items.length < 4) {
        const listed = this.listed(name, items, depth, lead);
        if (best === null || listed[1] < best[1]) best = listed;
      }
    } else {
      best = this.listed(name, items, depth, lead);
    }
    if (best === null) throw new Error("unreachable: no rendering");
    if (key !== null) {
      const jsonText = this.flow(items);
      if (jsonAllowed || withinCodePoints(jsonText, JSON_ALTERNATIVE_MAX)) {
        const inline = this.line(`${lead}${name}[]: ${jsonText}`);
        if (inline[1] < best[1]) best = inline;
      }
    }
    return best;
  }

  inline(name: string, items: readonly Normalized[], lead: string): Rendering {
    const delimiter = this.delimiter;
    const cells = items.map((item) => this.cell(item, delimiter)).join(delimiter);
    return this.line(`${lead}${name}${bracket(items.length, delimiter)}:${space(cells)}${cells}`);
  }

  listed(name: string, items: Normalized[], depth: number, lead: string): Rendering {
    const [head, headCost] = this.line(`${lead}${name}${bracket(items.length, this.delimiter)}:`);
    const lines = [...head];
    const cost = headCost + this.items(items, depth + 1, lines);
    return [lines, cost];
  }

  /** Append list items at `depth` to `lines`; return their cost. */
  items(items: readonly Normalized[], depth: number, lines: string[]): number {
    const pad = this.indentation(depth);
    let cost = 0;
    const add = (rendering: Rendering): void => {
      for (const line of rendering[0]) lines.push(line);
      cost += rendering[1];
    };
    for (const item of items) {
      if (item instanceof Map) {
        if (!item.size) {
          add(this.line(`${pad}-`));
          continue;
        }
        let lead = `${pad}- `;
        for (const [key, value] of item) {
          add(this.field(key, value, depth + 1, lead));
          lead = this.indentation(depth + 1);
        }
      } else if (Array.isArray(item)) {
        if (!item.length) {
          add(this.line(`${pad}- ${bracket(0, this.delimiter)}:`));
        } else if (!item.some(isContainer)) {
          add(this.inline("", item, `${pad}- `));
        } else {
          add(this.line(`${pad}- ${bracket(item.length, this.delimiter)}:`));
          cost += this.items(item, depth + 1, lines);
        }
      } else {
        add(this.line(`${pad}- ${this.scalar(item, itemValue)}`));
      }
    }
    return cost;
  }

  /**
   * {@link table}; with a nested table column, the cheaper of it and the same table with that
   * column as JSON (ties keep the JSON column).
   */
  bestTable(name: string, items: readonly Obj[], plan: Table, depth: number, lead: string): Rendering {
    let best = this.table(name, items, plan, depth, lead);
    const plain = withJsonColumn(plan);
    if (plain !== null) {
      const other = this.table(name, items, plain, depth, lead);
      if (other[1] <= best[1]) best = other;
    }
    return best;
  }

  table(name: string, items: readonly Obj[], plan: Table, depth: number, lead: string): Rendering {
    const delimiter = this.delimiter;
    const head = `${lead}${name}${bracket(items.length, delimiter)}${header(plan.fields, delimiter)}`;
    const rows = items.map((item) => this.row(item, plan, delimiter, false, plan.plain));
    let flatRows: string[] | null = null;
    if (!lead) {
      // Unindented rows are counted. Under a root field they must still never look like a
      // `key: value` line to a reader (the document goes on after them), so a first cell with
      // a colon (or "- ") is quoted; rows of the root array run to the end of the document.
      const quoteFirst = Boolean(name);
      flatRows = rows;
      if (quoteFirst !== plan.plain) flatRows = items.map((item) => this.row(item, plan, delimiter, false, quoteFirst));
    }
    return this.tableLayout(head, rows, depth, flatRows);
  }

  /**
   * TOON layout (`header:`, rows one level deeper) or, for a header at column 0, the KTOF
   * unindented layout (`header` without `:`, rows at column 0) when it costs fewer tokens
   * (docs/ktof.md §3.5); `flatRows` are its rows, null where that layout is not considered.
   */
  tableLayout(head: string, rows: readonly string[], depth: number, flatRows: string[] | null): Rendering {
    const pad = this.indentation(depth + 1);
    // A row's sub-rows (§3.7) sit on its own lines, one level deeper than the row.
    const indented = rows.map((row) => pad + row.replaceAll("\n", "\n" + pad));
    const [headLines, headCost] = this.line(head + ":");
    let best: Rendering = [[...headLines, ...indented], headCost + this.linesCost(indented)];
    if (flatRows !== null) {
      const [flatHead, flatHeadCost] = this.line(head);
      const flatCost = flatHeadCost + this.linesCost(flatRows);
      if (flatCost < best[1]) best = [[...flatHead, ...flatRows], flatCost];
    }
    return best;
  }

  /** The keyed-table rendering and whether the nested block is also worth costing. */
  keyedTable(key: string | null, obj: Obj, depth: number, lead: string): [Rendering, boolean] | null {
    if (obj.size < 2) return null;
    const values = [...obj.values()];
    if (!values.every((v) => v instanceof Map && v.size > 0)) return null;
    const plan = planTable(values, true, true, true, this.delimiter !== "\t");
    if (plan === null) return null;
    let best = this.keyedLayout(key, obj, plan, depth, lead);
    const plain = withJsonColumn(plan);
    if (plain !== null) {
      const other = this.keyedLayout(key, obj, plain, depth, lead);
      if (other[1] <= best[1]) best = other; // ties keep the JSON column
    }
    const alsoBlock = obj.size < 4 || plan.sparseness > SPARSE_TABLE;
    return [best, alsoBlock];
  }

  keyedLayout(key: string | null, obj: Obj, plan: Table, depth: number, lead: string): Rendering {
    const delimiter = this.delimiter;
    const name = key === null ? "" : headerKey(key);
    const head = `${lead}${name}${bracket(obj.size, delimiter, true)}${header(plan.fields, delimiter)}`;
    const rows: string[] = [];
    for (const [entryKey, entry] of obj) {
      const cells = this.row(entry as Obj, plan, delimiter, true);
      rows.push(`${fieldKey(entryKey)}:${space(cells)}${cells}`);
    }
    // Entry rows (`key: cells`) unindented only as the whole document: under a root field they
    // would look like the fields that follow them.
    const flatRows = key === null && !lead ? rows : null;
    return this.tableLayout(head, rows, depth, flatRows);
  }

  /**
   * One row's cells; `keyed` rows follow `key:`. `quoteFirst` quotes a first cell holding a
   * colon or starting with `- ` (TOON §9.3 would end plain rows there).
   */
  row(obj: Obj, plan: Table, delimiter: string, keyed = false, quoteFirst = false): string {
    const cells: string[] = [];
    this.rowCells(obj, plan.fields, delimiter, cells, quoteFirst && !keyed, !keyed);
    let text = cells.join(delimiter);
    if (plan.table >= 0) {
      const { name, sub } = plan.fields[plan.table] as KField;
      const items = obj.get(name);
      if (Array.isArray(items) && items.length) text += this.subRows(items as Obj[], sub as KField[], delimiter);
    }
    return text;
  }

  /**
   * A nested table column's rows (§3.7), each on its own line one level below the row; a first
   * cell that would read as `key: value` is quoted, as in plain rows.
   */
  subRows(items: readonly Obj[], fields: readonly KField[], delimiter: string): string {
    const unit = "\n" + this.indentation(1);
    let text = "";
    for (const item of items) {
      const cells: string[] = [];
      this.rowCells(item, fields, delimiter, cells, true, true);
      text += unit + cells.join(delimiter);
    }
    return text;
  }

  rowCells(
    obj: Obj,
    fields: readonly KField[],
    delimiter: string,
    cells: string[],
    plain: boolean,
    startsLine: boolean,
  ): void {
    for (const { name, sub, kind, optional } of fields) {
      if (optional && !obj.has(name)) {
        cells.push("");
        continue;
      }
      const value = obj.get(name) as Normalized;
      if (kind === TABLE) cells.push(`[${(value as Normalized[]).length}]`); // its rows follow the row: see row()
      else if (sub !== null) this.rowCells(value as Obj, sub, delimiter, cells, plain, startsLine);
      else if (kind === JSON_CELLS) cells.push(value instanceof Map || Array.isArray(value) ? this.flow(value) : dumps(value));
      else if (kind === FLOAT && isFloat(value)) cells.push(floatCell(value));
      else cells.push(this.cell(value, delimiter, startsLine && !cells.length, plain));
    }
  }
}

/** Auto-mode text of a normalized value and, where computed, its exact token count. */
export function encodeAuto(
  value: Normalized,
  model: string,
  indent: number,
  delimiter: string,
  compareJson = true,
): [string, number | null] {
  return new AutoWriter(model, indent, delimiter).document(value, compareJson);
}
