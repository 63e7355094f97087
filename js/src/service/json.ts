/**
 * Reading a request body as Python's `json.loads` does, type-exactly (`1.0` stays a float,
 * big integers stay exact), so a value sent through the local transport is encoded exactly as
 * the Python server encodes it. The reader is the codec's (`ktof/json.ts`); this module picks
 * its options and words its errors for the service's 400 response.
 */
import { JsonSyntaxError, JsonTooDeep, JsonValueError, parseJsonDocument, SOURCE_MAX_DEPTH } from "../ktof/json.js";

/**
 * A whole JSON document (surrounding JSON whitespace allowed), as the service reads request
 * bodies: type-exact values, no `NaN`/`Infinity`. Throws the codec's `JsonSyntaxError`,
 * `JsonTooDeep` or `JsonValueError` (an integer past Python's digit limit).
 */
export function parseJsonExact(text: string): unknown {
  return parseJsonDocument(text, { exact: true, rules: "python", constants: "syntax", maxDepth: SOURCE_MAX_DEPTH });
}

/** The body's value; throws an `Error` whose message says what is wrong. */
export function parseRequestJson(body: string): unknown {
  try {
    return parseJsonExact(body);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new Error(`${error.msg}: char ${error.pos}`, { cause: error });
    if (error instanceof JsonTooDeep || error instanceof JsonValueError) {
      throw new Error("request body is nested too deeply", { cause: error });
    }
    throw error;
  }
}
