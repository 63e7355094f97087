/** Kaizen SDK for TypeScript. */
export const VERSION = "0.2.0";
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
