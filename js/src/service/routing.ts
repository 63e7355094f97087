/**
 * `handleRequest`: one HTTP-shaped entry point for every operation, which never throws.
 *
 * The local transport of the client calls it, so local mode answers with the statuses and
 * bodies of the Python reference server (which runs Python's `handle_request`). It is the
 * only place failures become statuses:
 *
 * | status | code | when |
 * | --- | --- | --- |
 * | 400 | `invalid_json` | body is not JSON |
 * | 400 | `ktof_decode_error` | `detail`: `{line, message}` |
 * | 400 | `ktof_encode_error` | `detail`: `{path, message}` |
 * | 404 | `not_found` | unknown path, or an operation's unknown resource |
 * | 405 | `method_not_allowed` | `detail`: `{allowed: [...]}` |
 * | 422 | `validation_error` | `detail`: pydantic-shaped errors |
 * | 500 | `internal_error` | anything unexpected; no stack in the body |
 */
import { KTOFDecodeError, KTOFEncodeError } from "../ktof/index.js";
import { ROUTES, type Operation } from "../models.js";
import { ServiceError } from "./errors.js";
import { OPERATIONS, REQUEST_SCHEMAS, health } from "./operations.js";
import { parseRequestJson } from "./json.js";
import { validate } from "./validate.js";

export type ServiceBody = Record<string, unknown>;

const BY_PATH = new Map<string, [string, Operation]>(
  Object.entries(ROUTES).map(([op, [method, path]]) => [path, [method, op as Operation]]),
);

/** `path` without query string, with one leading and no trailing slash. */
export function normalizePath(path: string): string {
  const bare = path.split("?", 1)[0]?.split("#", 1)[0] ?? "";
  return "/" + bare.replace(/^\/+|\/+$/g, "");
}

/** The `{"error": {...}}` body every failure answers with. */
export function errorBody(code: string, message: string, requestId: string, detail: unknown = null): ServiceBody {
  return { error: { code, message, request_id: requestId, detail } };
}

/** Route, validate, run; `[status, JSON body]` for success and failure alike. */
export function handleRequest(
  method: string,
  path: string,
  body: string | undefined,
  requestId: string,
): [number, ServiceBody] {
  try {
    return dispatch(method, path, body, requestId);
  } catch {
    // The contract is "never throws": anything left is our bug, reported without its stack.
    return [500, errorBody("internal_error", "internal error", requestId)];
  }
}

function dispatch(method: string, path: string, body: string | undefined, requestId: string): [number, ServiceBody] {
  const route = BY_PATH.get(normalizePath(path));
  if (route === undefined) return [404, errorBody("not_found", `no such path: ${path}`, requestId)];
  const [expected, op] = route;
  if (method.toUpperCase() !== expected) {
    const message = `${method.toUpperCase()} is not allowed on ${ROUTES[op][1]}`;
    return [405, errorBody("method_not_allowed", message, requestId, { allowed: [expected] })];
  }
  if (op === "health") return [200, health(requestId)];
  if (body === undefined || body === "") {
    return [400, errorBody("invalid_json", "request body is empty; expected a JSON object", requestId)];
  }
  let payload: unknown;
  try {
    payload = parseRequestJson(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [400, errorBody("invalid_json", `request body is not valid JSON: ${why}`, requestId)];
  }
  const errors = validate(REQUEST_SCHEMAS[op], payload);
  if (errors.length > 0) {
    return [422, errorBody("validation_error", "request body is invalid", requestId, errors)];
  }
  try {
    return [200, OPERATIONS[op](payload as Record<string, unknown>, requestId)];
  } catch (error) {
    if (error instanceof KTOFDecodeError) {
      const detail = { line: error.line, message: error.msg };
      return [400, errorBody("ktof_decode_error", error.message, requestId, detail)];
    }
    if (error instanceof KTOFEncodeError) {
      const detail = { path: error.path, message: error.msg };
      return [400, errorBody("ktof_encode_error", error.message, requestId, detail)];
    }
    if (error instanceof ServiceError) {
      return [error.status, errorBody(error.code, error.message, requestId, error.detail)];
    }
    throw error;
  }
}
