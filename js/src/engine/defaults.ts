/**
 * The engine's vocabulary and defaults: what a report can say and what the gate assumes.
 * Defined here, below everything that uses them, so the engine imports nothing from the
 * layers above it; `client/models.ts` re-exports these names for the wire schema.
 */
export { DEFAULT_MODEL } from "../tokens.js";

/** `auto`: fewest tokens, lossless KTOF; `toon`: plain TOON 4.0. */
export type EncodeMode = "auto" | "toon";

/** Where a fragment was found; see `fragments.ts`. */
export type FragmentKind = "whole" | "fenced" | "embedded" | "jsonl";

export type FragmentAction = "compressed" | "skipped";

/** Why a fragment was (not) replaced; `docs/engine.md` defines each one. */
export type FragmentReason =
  | "compressed"
  | "too_small"
  | "not_json"
  | "no_saving"
  | "bypassed"
  | "cache_prefix"
  | "error"
  | "not_lossless"
  | "duplicate_keys"
  | "malformed";

export const DEFAULT_MIN_TOKENS_SAVED = 10;
export const DEFAULT_MIN_PERCENT_SAVED = 5.0;
