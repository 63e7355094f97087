/**
 * The JSON data model as KTOF carries it in JavaScript, type-exact like Python's.
 *
 * JavaScript has one number type, so int versus float is decided by value, with two escapes:
 *
 * - a `number` is an **int** when it is a safe integer (|n| <= 2^53 - 1) other than `-0`, and a
 *   **float** otherwise (`0.5`, `-0`, `1e300`); a `bigint` is always an int, of any size;
 * - {@link KFloat} marks a float whose value is integral (`new KFloat(3)` is Python's `3.0`).
 *
 * Objects are plain objects or `Map`s with string keys. A plain object iterates integer-like
 * keys ("0", "10") first, whatever order they were written in, so a `Map` is how a document such
 * as `{"b":1,"2":2}` keeps its key order; `decode(text, { exact: true })` returns a `Map` exactly
 * for those objects.
 */

/** A float whose value may be integral: the JS spelling of Python's `3.0`. */
export class KFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** What `JSON.stringify` writes for it (the number; JSON cannot keep `3.0` apart from `3`). */
  toJSON(): number {
    return this.value;
  }

  valueOf(): number {
    return this.value;
  }
}

/** A JSON value as the codec reads and writes it. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | KFloat
  | JsonValue[]
  | { [key: string]: JsonValue }
  | Map<string, JsonValue>;

/** Whether a `number` stands for an int (a safe integer that is not `-0`). */
export function isIntNumber(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0);
}

/** The JS value for an int token: a `number` when safe, else a `bigint` (exact) or a lossy `number`. */
export function intValue(digits: string, exact: boolean): number | bigint {
  const n = Number(digits);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  return exact ? BigInt(digits) : n;
}

/** The JS value for a float: a {@link KFloat} when `exact` and an int-looking number, else the number. */
export function floatValue(n: number, exact: boolean): number | KFloat {
  return exact && isIntNumber(n) ? new KFloat(n) : n;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Whether a plain object with these keys, in this order, would iterate them in this order. */
export function plainObjectKeepsOrder(keys: readonly string[]): boolean {
  let lastIndex = -1;
  let sawOther = false;
  for (const key of keys) {
    if (key.length <= 10 && ARRAY_INDEX.test(key) && Number(key) < 4294967295) {
      const index = Number(key);
      if (sawOther || index <= lastIndex) return false;
      lastIndex = index;
    } else {
      sawOther = true;
    }
  }
  return true;
}

/** A plain object from ordered entries (`__proto__` becomes an own key, as in `JSON.parse`). */
export function plainObject(map: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of map) {
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The decoder's object: a plain object, or (exact mode) a `Map` when a plain one would reorder keys. */
export function finishObject(map: Map<string, unknown>, exact: boolean): unknown {
  if (exact && !plainObjectKeepsOrder([...map.keys()])) return map;
  return plainObject(map);
}
