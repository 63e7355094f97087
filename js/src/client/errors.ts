/**
 * Errors the Kaizen client throws, one class per thing a caller may want to catch; the same
 * hierarchy as Python's `kaizen_client.errors`.
 *
 * `KaizenRequestError` means the API was never heard from (DNS, refused connection, timeout);
 * `KaizenAPIError` and its subclasses mean it answered with an error status, or with something
 * that is not the JSON it promised. No error ever holds the API key: the client scrubs it from
 * messages, payloads and headers before an error is built (see `redact.ts`).
 */

/** Base class of every error the SDK throws on purpose. */
export class KaizenError extends Error {
  override name = "KaizenError";
}

/** The request failed before an HTTP response arrived; `cause` is the transport's error. */
export class KaizenRequestError extends KaizenError {
  override name = "KaizenRequestError";
  readonly requestId: string | undefined;

  constructor(message: string, options: { cause?: unknown; requestId?: string | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.requestId = options.requestId;
  }
}

/**
 * No complete answer in time: one attempt's `timeoutMs`, or the call's `totalTimeoutMs`
 * (every retry and backoff sleep included) ran out.
 */
export class KaizenTimeoutError extends KaizenRequestError {
  override name = "KaizenTimeoutError";
}

/** The `{"error": {...}}` envelope of an error body, when there is one. */
function envelope(payload: unknown): Record<string, unknown> {
  if (payload !== null && typeof payload === "object" && !Array.isArray(payload)) {
    const error = (payload as Record<string, unknown>).error;
    if (error !== null && typeof error === "object" && !Array.isArray(error)) {
      return error as Record<string, unknown>;
    }
  }
  return {};
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function defaultMessage(payload: unknown, error: Record<string, unknown>): string {
  if (typeof error.message === "string") return error.message;
  if (payload !== null && typeof payload === "object" && "detail" in payload) {
    return String((payload as Record<string, unknown>).detail);
  }
  if (typeof payload === "string") return payload.slice(0, 200) || "(empty body)";
  return payload === undefined ? "undefined" : JSON.stringify(payload);
}

/** What an API error is built from; `headers` are the response's (never the request's). */
export interface APIErrorInit {
  status: number;
  payload: unknown;
  headers?: Record<string, string>;
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  /** Used when neither `requestId`, the error body nor the `x-request-id` header names one. */
  fallbackRequestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * The API answered with an error status (or an unreadable body). `payload` is the parsed JSON
 * body (or the raw text), `code`/`message`/`detail` come from its `{"error": {...}}` envelope;
 * `retryAfterMs` is the server's `retry-after(-ms)` hint when it sent one.
 */
export class KaizenAPIError extends KaizenError {
  override name = "KaizenAPIError";
  readonly status: number;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** The API's own message (`message` adds status, code and request id around it). */
  readonly apiMessage: string;

  constructor(init: APIErrorInit) {
    const error = envelope(init.payload);
    const code = init.code ?? nonEmptyString(error.code);
    const apiMessage = init.message ?? defaultMessage(init.payload, error);
    const requestId =
      init.requestId ??
      nonEmptyString(error.request_id) ??
      nonEmptyString(init.headers?.["x-request-id"]) ??
      init.fallbackRequestId;
    const codeText = code === undefined ? "" : ` ${code}`;
    const rid = requestId === undefined ? "" : ` [request_id=${requestId}]`;
    super(`Kaizen API error (${init.status}${codeText}): ${apiMessage}${rid}`);
    this.status = init.status;
    this.payload = init.payload;
    this.headers = init.headers ?? {};
    this.code = code;
    this.apiMessage = apiMessage;
    this.requestId = requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The `detail` member of the error envelope (field errors, line numbers, ...). */
  get detail(): unknown {
    return envelope(this.payload).detail;
  }
}

/** 400 / 422: the request body was rejected; `detail` says which part. */
export class KaizenValidationError extends KaizenAPIError {
  override name = "KaizenValidationError";
}

/** 401 / 403: missing, wrong or insufficient API key. */
export class KaizenAuthError extends KaizenAPIError {
  override name = "KaizenAuthError";
}

/** 404 / 410: unknown route or payload id; `expired` is true for 410 (it existed once). */
export class KaizenNotFoundError extends KaizenAPIError {
  override name = "KaizenNotFoundError";
  get expired(): boolean {
    return this.status === 410;
  }
}

/** 413: the body is over the server's size limit. */
export class KaizenPayloadTooLargeError extends KaizenAPIError {
  override name = "KaizenPayloadTooLargeError";
}

/** 429: slow down; `retryAfterMs` is the server's hint, if it gave one. */
export class KaizenRateLimitError extends KaizenAPIError {
  override name = "KaizenRateLimitError";
}

/** 5xx: the server failed; retried automatically before this is thrown. */
export class KaizenServerError extends KaizenAPIError {
  override name = "KaizenServerError";
}

/** The most specific `KaizenAPIError` subclass for an HTTP status. */
export function apiErrorClass(status: number): typeof KaizenAPIError {
  if (status === 400 || status === 422) return KaizenValidationError;
  if (status === 401 || status === 403) return KaizenAuthError;
  if (status === 404 || status === 410) return KaizenNotFoundError;
  if (status === 413) return KaizenPayloadTooLargeError;
  if (status === 429) return KaizenRateLimitError;
  if (status >= 500 && status < 600) return KaizenServerError;
  return KaizenAPIError;
}
