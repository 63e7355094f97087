/** The Kaizen REST client: `KaizenClient`, its errors, options and wire types. */
export { type CallOptions, KaizenClient, type KaizenClientInit, type LogEvent } from "./client.js";
export { DEFAULT_BASE_URL, type KaizenClientOptions, type Mode as ClientMode } from "./config.js";
export {
  KaizenAPIError,
  KaizenAuthError,
  KaizenError,
  KaizenNotFoundError,
  KaizenPayloadTooLargeError,
  KaizenRateLimitError,
  KaizenRequestError,
  KaizenServerError,
  KaizenTimeoutError,
  KaizenValidationError,
  apiErrorClass,
} from "./errors.js";
export { IDEMPOTENCY_HEADER, KEY_PREFIX, ResultCache } from "./idempotency.js";
export { localEngineTransport } from "./local.js";
export {
  ROUTES,
  type DecodeOptions as RequestDecodeOptions,
  type DecodeRequest,
  type Delimiter,
  type EncodeOptions as RequestEncodeOptions,
  type EncodeRequest,
  type ErrorResponse,
  type HealthResponse,
  type KaizenResponse,
  type Metadata,
  type Operation,
  type OptimizeRequestPayload,
  type OptimizeRequestResponse,
  type OptimizeResponsePayload,
  type PromptDecodePayload,
  type PromptEncodePayload,
  type PromptsEncodeResponse,
  type Stats,
  type TokenStats,
} from "../models.js";
export { RetryPolicy, isRetryableStatus, parseRetryAfter } from "./retry.js";
export { type Transport, type TransportRequest, type TransportResponse, fetchTransport } from "./transports.js";
