/**
 * Loose equality of JSON values for plain TOON mode, which writes `1.0` as `1`: Python's `==`
 * (type-exact equality is the codec's `sameValue`). Over the codec's data model
 * (`ktof/values.ts`): `bigint`, `number` and `KFloat` compare by value, objects (plain or
 * `Map`) without regard to key order.
 */
import { KFloat, isIntNumber } from "../ktof/values.js";

type Kind = "null" | "bool" | "int" | "float" | "string" | "array" | "object" | "other";

function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return isIntNumber(value) ? "int" : "float";
    case "string":
      return "string";
    case "object":
      if (value instanceof KFloat) return "float";
      if (Array.isArray(value)) return "array";
      return "object";
    default:
      return "other";
  }
}

function entries(value: object): [string, unknown][] {
  return value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value);
}

function numeric(value: unknown): number | bigint | undefined {
  if (typeof value === "number" || typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1 : 0; // Python: True == 1
  if (value instanceof KFloat) return value.value;
  return undefined;
}

/**
 * Python's `==` on JSON values: numbers by value (`1 == 1.0 == True`, `0.0 == -0.0`), objects
 * without regard to key order. What plain TOON (which writes `1.0` as `1`) promises.
 */
export function valueEqual(a: unknown, b: unknown): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined || y !== undefined) {
    if (x === undefined || y === undefined) return false;
    // Loose equality compares a bigint with a number by value.
    return x == y;
  }
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  if (kind === "array") {
    const xs = a as unknown[];
    const ys = b as unknown[];
    return xs.length === ys.length && xs.every((item, i) => valueEqual(item, ys[i]));
  }
  if (kind === "object") {
    const xs = new Map(entries(a as object));
    const ys = new Map(entries(b as object));
    if (xs.size !== ys.size) return false;
    for (const [key, item] of xs) {
      if (!ys.has(key) || !valueEqual(item, ys.get(key))) return false;
    }
    return true;
  }
  return a === b;
}
