/**
 * KTOF: token-optimized text for JSON data, a superset of TOON 4.0, byte-identical to the Python
 * SDK's `kaizen_client.ktof`. `encode(value, { mode: "toon" })` emits exactly TOON 4.0;
 * `mode: "auto"` (the default) emits the readable text with the fewest tokens that still decodes
 * to exactly the same value. `decode` reads both.
 */
export { decode, type DecodeOptions } from "./decoder.js";
export { encode, encodeCounted, type EncodeOptions, type Mode } from "./encoder.js";
export { KTOFDecodeError, KTOFEncodeError, KTOFError } from "./errors.js";
export { dumps as dumpsJson, parseJsonDocument, JsonSyntaxError, JsonValueError } from "./json.js";
export { normalize, type Normalized, type DefaultFn } from "./normalize.js";
export { sameValue } from "./equal.js";
export { KFloat, type JsonValue } from "./values.js";
