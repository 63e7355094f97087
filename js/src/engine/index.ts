/**
 * The in-process Kaizen engine: what the local transport answers with and the AI SDK
 * middleware runs. `compressMessages` rewrites the JSON inside chat messages as KTOF where
 * it pays, `compressText` does the same to one string; see `docs/engine.md`.
 */
export { clearCache, configureCache } from "./cache.js";
export { compactJson } from "./compact.js";
export {
  DEFAULT_MIN_PERCENT_SAVED,
  DEFAULT_MIN_TOKENS_SAVED,
  type EncodeMode,
  type FragmentAction,
  type FragmentKind,
  type FragmentReason,
} from "./defaults.js";
export { parseJsonl, toJsonl } from "./jsonl.js";
export { type CompressionOptions, TextCompressor, compressMessages, compressText } from "./messages.js";
export type { CompressionReport, FragmentDecision } from "./report.js";
