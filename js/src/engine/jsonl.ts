/**
 * JSON lines as one table (Python's `engine/jsonl.py`): `parseJsonl` says whether a text is
 * JSON lines by the engine's rule, `toJsonl` turns decoded records back into lines.
 */
import { compactJson } from "./compact.js";
import { MIN_JSONL_LINES, findFragments } from "./fragments.js";

export { MIN_JSONL_LINES };

/**
 * The records of `text` if the engine sees it as JSON lines it may rewrite, else undefined
 * (also for JSON lines it would keep as they are: a duplicate key, an inexact float, NaN).
 */
export function parseJsonl(text: string): unknown[] | undefined {
  const fragments = findFragments(text);
  const only = fragments[0];
  if (fragments.length !== 1 || only === undefined || only.kind !== "jsonl" || !only.parsed) return undefined;
  return only.value as unknown[];
}

/** JSON lines from `records`: one compact JSON value per line, no trailing newline. */
export function toJsonl(records: Iterable<unknown>): string {
  return [...records].map((record) => compactJson(record)).join("\n");
}
