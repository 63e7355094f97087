/**
 * Compact JSON text exactly as Python writes it (`json.dumps(value, separators=(",", ":"),
 * ensure_ascii=False)`): the baseline every saving is measured against, so byte and token
 * counts agree across languages. The codec's own writer over its data model (`1.0` for a
 * `KFloat`, a `bigint`'s digits, a `Map` in its key order).
 */
import { dumpsJson, normalize } from "../ktof/index.js";

/** The value as compact JSON, byte for byte what Python's `json.dumps` gives. */
export function compactJson(value: unknown): string {
  return dumpsJson(normalize(value, undefined, false));
}
