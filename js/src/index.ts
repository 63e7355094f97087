/** Kaizen SDK for TypeScript. */
export { VERSION } from "./version.js";
export * from "./ktof/index.js";
export {
  countTokens,
  countTokensBatch,
  countTokensWithEncoding,
  encodingForModel,
  tokenizerInfo,
  DEFAULT_MODEL,
  type EncodingName,
  type TokenizerInfo,
} from "./tokens.js";
export * from "./client/index.js";
export {
  DEFAULT_MIN_PERCENT_SAVED,
  DEFAULT_MIN_TOKENS_SAVED,
  TextCompressor,
  clearCache,
  compactJson,
  compressMessages,
  compressText,
  configureCache,
  parseJsonl,
  toJsonl,
  type CompressionOptions,
  type CompressionReport,
  type EncodeMode,
  type FragmentAction,
  type FragmentDecision,
  type FragmentKind,
  type FragmentReason,
} from "./engine/index.js";
