/**
 * Type-exact equality of JSON values: what "decodes back to exactly the same value" means
 * (the mirror of Python's `_equal.py`). Both sides are normalized, so a plain object and a `Map`
 * with the same entries in the same order are equal, `3` (int) and `new KFloat(3)` are not, and
 * `-0` (a float) differs from `0` (an int).
 */
import { dumps } from "./json.js";
import { normalize } from "./normalize.js";

/** Whether `a` and `b` are the same JSON value, types and key order included. */
export function sameValue(a: unknown, b: unknown): boolean {
  try {
    return dumps(normalize(a, undefined, false)) === dumps(normalize(b, undefined, false));
  } catch {
    return false;
  }
}
