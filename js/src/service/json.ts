/**
 * Reading a request body as Python's `json.loads` does, type-exactly (`1.0` stays a float,
 * big integers stay exact), so a value sent through the local transport is encoded exactly as
 * the Python server encodes it.
 */
import { JsonTooDeepError, parseJsonExact } from "../engine/json.js";

/** The body's value; throws an `Error` whose message says what is wrong. */
export function parseRequestJson(body: string): unknown {
  try {
    return parseJsonExact(body);
  } catch (error) {
    if (error instanceof JsonTooDeepError) throw new Error("request body is nested too deeply", { cause: error });
    throw error;
  }
}
