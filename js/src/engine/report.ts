/**
 * What `compressMessages` decided, fragment by fragment, and the totals of those decisions,
 * in the wire shape of the API's `CompressionReport` (snake_case, as Python's `to_dict()`),
 * so a report from the engine, the local transport and the server read the same. Totals are
 * computed from the fragments, never tracked separately, so they always equal the sums.
 */
import type { FragmentAction, FragmentKind, FragmentReason } from "./defaults.js";

export type { FragmentAction, FragmentKind, FragmentReason } from "./defaults.js";

/** One JSON fragment: where it is, what was done and what it cost in tokens. */
export interface FragmentDecision {
  message_index: number;
  path: string;
  kind: FragmentKind;
  action: FragmentAction;
  reason: FragmentReason;
  tokens_before: number;
  tokens_after: number;
}

/** All decisions of one call plus their totals (`model` counted the tokens). */
export interface CompressionReport {
  model: string;
  fragments: FragmentDecision[];
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  fragments_compressed: number;
}

/** The report of `fragments`; the totals are their sums. */
export function reportFromFragments(model: string, fragments: readonly FragmentDecision[]): CompressionReport {
  let before = 0;
  let after = 0;
  let compressed = 0;
  for (const f of fragments) {
    before += f.tokens_before;
    after += f.tokens_after;
    if (f.action === "compressed") compressed++;
  }
  return {
    model,
    fragments: [...fragments],
    tokens_before: before,
    tokens_after: after,
    tokens_saved: before - after,
    fragments_compressed: compressed,
  };
}
