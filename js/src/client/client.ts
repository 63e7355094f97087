/**
 * `KaizenClient`: the eight operations of the Kaizen REST API (`openapi.json`), over fetch or
 * the in-process engine, with Python's retry policy, typed errors and request ids.
 *
 * One call is one flow (`#call`): build the request once (one request id, one idempotency key
 * for every retry), then attempt, classify, back off and parse. Sleeping, the clocks and the
 * randomness are injectable, so tests drive every retry path without waiting.
 */
import { randomUUID } from "node:crypto";
import { VERSION } from "../version.js";
import { type KaizenClientOptions, type Mode, type ResolvedConfig, resolveConfig } from "./config.js";
import {
  KaizenAPIError,
  KaizenRequestError,
  KaizenTimeoutError,
  apiErrorClass,
} from "./errors.js";
import { IDEMPOTENCY_HEADER, newIdempotencyKey } from "./idempotency.js";
import { localEngineTransport } from "./local.js";
import type {
  DecodeRequest,
  EncodeRequest,
  HealthResponse,
  KaizenResponse,
  Operation,
  OptimizeRequestPayload,
  OptimizeRequestResponse,
  OptimizeResponsePayload,
  PromptDecodePayload,
  PromptEncodePayload,
  PromptsEncodeResponse,
} from "../models.js";
import { ROUTES } from "../models.js";
import { REDACTED, redactHeaders, redactText, redactValue } from "./redact.js";
import { RetryPolicy, isRetryableStatus, parseRetryAfter } from "./retry.js";
import {
  type Transport,
  type TransportResponse,
  fetchTransport,
  isRetryableTransportError,
} from "./transports.js";

/** One line of the client's log; it never holds the API key or a body. */
export interface LogEvent {
  event: "request" | "response" | "retry";
  method: string;
  path: string;
  requestId: string;
  mode: Mode;
  attempt?: number;
  status?: number | string;
  ms?: number;
  delayMs?: number;
  reason?: string;
}

/** Everything a client can be given: configuration plus the pieces tests replace. */
export interface KaizenClientInit extends KaizenClientOptions {
  /** Replaces the default transport (fetch in remote mode, the engine in local mode). */
  transport?: Transport | undefined;
  /** The fetch the default remote transport uses. */
  fetch?: typeof fetch | undefined;
  /** Called for each request, response and retry (e.g. `(e) => console.debug(e)`). */
  logger?: ((event: LogEvent) => void) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  /** Wall clock, epoch ms (reads HTTP-date `retry-after`). */
  now?: (() => number) | undefined;
  /** Monotonic clock, ms (deadlines and durations). */
  clock?: (() => number) | undefined;
}

/** Per-call options of every operation. */
export interface CallOptions {
  /** Sent as `X-Request-ID` (default: the default header, else a fresh id). */
  requestId?: string | undefined;
  /** One key for the logical call (default: a fresh `kaizen-js-retry-<uuid>`); POST only. */
  idempotencyKey?: string | undefined;
  totalTimeoutMs?: number | undefined;
  /** Aborts the call (no retry after an abort). */
  signal?: AbortSignal | undefined;
}

/** Marks an abort the client caused because an attempt ran out of time. */
class AttemptTimeout extends Error {
  override name = "AttemptTimeout";
}

const NOT_JSON = Symbol("not json");

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The async Kaizen client; local engine by default, HTTP when given a URL or an API key. */
export class KaizenClient {
  readonly #config: ResolvedConfig;
  readonly #policy: RetryPolicy;
  readonly #transport: Transport;
  readonly #logger: ((event: LogEvent) => void) | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #clock: () => number;
  readonly #userAgent: string;

  constructor(init: KaizenClientInit = {}) {
    const config = resolveConfig(init);
    this.#config = config;
    this.#policy = new RetryPolicy(
      config.maxRetries,
      config.initialRetryDelayMs,
      config.maxRetryDelayMs,
      config.maxRetryAfterMs,
    );
    this.#transport =
      init.transport ?? (config.mode === "local" ? localEngineTransport() : fetchTransport(init.fetch));
    this.#logger = init.logger;
    this.#sleep = init.sleep ?? defaultSleep;
    this.#random = init.random ?? Math.random;
    this.#now = init.now ?? Date.now;
    this.#clock = init.clock ?? (() => performance.now());
    this.#userAgent = `kaizen-client/${VERSION} (node ${process.versions.node}; ${config.mode})`;
  }

  /** `"local"` (in-process engine) or `"remote"` (HTTP). */
  get mode(): Mode {
    return this.#config.mode;
  }

  /** Where requests go (`http://kaizen.local` in local mode). */
  get baseUrl(): string {
    return this.#config.endpoint;
  }

  /** What `console.log`, `util.inspect` and `JSON.stringify` show: never the key. */
  toJSON(): Record<string, unknown> {
    return {
      mode: this.mode,
      baseUrl: this.baseUrl,
      apiKey: this.#config.apiKey === undefined ? null : REDACTED,
      maxRetries: this.#config.maxRetries,
      timeoutMs: this.#config.timeoutMs,
      defaultHeaders: redactHeaders(this.#config.defaultHeaders, [this.#config.apiKey]),
    };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  toString(): string {
    return `KaizenClient ${JSON.stringify(this.toJSON())}`;
  }

  // ------------------------------------------------------------------ operations

  /** JSON -> KTOF with size stats (`POST /v1/compress`). */
  compress(body: EncodeRequest, options?: CallOptions): Promise<KaizenResponse<string>> {
    return this.#call("compress", body, options);
  }

  /** KTOF -> JSON (`POST /v1/decompress`). */
  decompress(body: DecodeRequest, options?: CallOptions): Promise<KaizenResponse> {
    return this.#call("decompress", body, options);
  }

  /** Encode and count tokens (`POST /v1/optimize`). */
  optimize(body: EncodeRequest, options?: CallOptions): Promise<KaizenResponse<string>> {
    return this.#call("optimize", body, options);
  }

  /** Compress an outbound provider request (`POST /v1/optimize/request`). */
  optimizeRequest(body: OptimizeRequestPayload, options?: CallOptions): Promise<OptimizeRequestResponse> {
    return this.#call("optimize_request", body, options);
  }

  /** Expand KTOF in a provider response (`POST /v1/optimize/response`). */
  optimizeResponse(body: OptimizeResponsePayload, options?: CallOptions): Promise<KaizenResponse> {
    return this.#call("optimize_response", body, options);
  }

  /** Find JSON inside a prompt and re-encode it as KTOF (`POST /v1/prompts/encode`). */
  promptsEncode(body: PromptEncodePayload, options?: CallOptions): Promise<PromptsEncodeResponse> {
    return this.#call("prompts_encode", body, options);
  }

  /** Restore an encoded prompt (`POST /v1/prompts/decode`). */
  promptsDecode(body: PromptDecodePayload, options?: CallOptions): Promise<KaizenResponse> {
    return this.#call("prompts_decode", body, options);
  }

  /** Liveness check (`GET /`). */
  health(options?: Omit<CallOptions, "idempotencyKey">): Promise<HealthResponse> {
    return this.#call("health", undefined, options);
  }

  // ------------------------------------------------------------------ the call itself

  #requestId(explicit: string | undefined): string {
    if (explicit) return explicit;
    for (const [name, value] of Object.entries(this.#config.defaultHeaders)) {
      if (name.toLowerCase() === "x-request-id" && value) return value;
    }
    return randomUUID().replaceAll("-", "");
  }

  #headers(requestId: string, hasBody: boolean, idempotencyKey: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": this.#userAgent };
    if (hasBody) headers["Content-Type"] = "application/json";
    for (const [name, value] of Object.entries(this.#config.defaultHeaders)) {
      const lower = name.toLowerCase();
      if (lower !== "x-request-id" && lower !== "idempotency-key") headers[name] = value;
    }
    if (idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = idempotencyKey;
    // One documented scheme, as in Python: x-api-key (callers needing Bearer use defaultHeaders).
    if (this.#config.apiKey) headers["x-api-key"] = this.#config.apiKey;
    headers["X-Request-ID"] = requestId;
    return headers;
  }

  async #call<T>(operation: Operation, payload: unknown, options: CallOptions = {}): Promise<T> {
    const [method, path] = ROUTES[operation];
    const requestId = this.#requestId(options.requestId);
    let body: string | undefined;
    if (method === "POST") {
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        throw new TypeError(`${operation}() takes a request object, not ${describe(payload)}`);
      }
      // Values JSON cannot hold (a bigint, a cycle) throw here, before any I/O.
      body = JSON.stringify(payload);
    }
    // One key per logical call, built once here, so every retry repeats it.
    const key = method === "POST" ? options.idempotencyKey || newIdempotencyKey() : undefined;
    const headers = this.#headers(requestId, body !== undefined, key);
    const url = `${this.#config.endpoint}${path}`;
    const budget = options.totalTimeoutMs ?? this.#config.totalTimeoutMs;
    if (budget !== undefined && !(budget > 0)) {
      throw new RangeError(`totalTimeoutMs must be > 0, got ${String(budget)}`);
    }
    const deadline = budget === undefined ? undefined : this.#clock() + budget;
    const attempts = this.#policy.maxRetries + 1;
    const mode = this.mode;
    for (let attempt = 0; attempt < attempts; attempt++) {
      options.signal?.throwIfAborted();
      this.#log({ event: "request", method, path, requestId, mode, attempt: attempt + 1 });
      const started = this.#clock();
      let response: TransportResponse;
      try {
        response = await this.#attempt(method, url, headers, body, deadline, options.signal);
      } catch (error) {
        const ms = this.#clock() - started;
        const timedOut = error instanceof AttemptTimeout;
        this.#log({ event: "response", method, path, requestId, mode, status: errorName(error), ms });
        if (options.signal?.aborted === true && !timedOut) throw options.signal.reason;
        if (deadline !== undefined && this.#clock() >= deadline) {
          throw this.#deadlineError(budget, requestId, attempt + 1, error);
        }
        if (attempt + 1 < attempts && (timedOut || isRetryableTransportError(error))) {
          const delayMs = this.#policy.backoff(attempt, this.#random);
          if (this.#fits(deadline, delayMs)) {
            this.#log({ event: "retry", method, path, requestId, mode, delayMs, reason: errorName(error) });
            await this.#sleep(delayMs);
            continue;
          }
        }
        throw this.#requestError(error, requestId, attempt + 1, timedOut);
      }
      const ms = this.#clock() - started;
      const { status } = response;
      this.#log({ event: "response", method, path, requestId, mode, status, ms });
      if (attempt + 1 < attempts && isRetryableStatus(status, response.headers)) {
        const hint = parseRetryAfter(response.headers, this.#now());
        const decision = this.#policy.decide(attempt, hint, this.#random);
        if (decision.action === "retry" && this.#fits(deadline, decision.delayMs)) {
          const reason = `HTTP ${status}`;
          this.#log({ event: "retry", method, path, requestId, mode, delayMs: decision.delayMs, reason });
          await this.#sleep(decision.delayMs);
          continue;
        }
      }
      return this.#parse(operation, response, requestId) as T;
    }
    throw new Error("unreachable: the last attempt always returns or throws");
  }

  /** One attempt under its own timer: `timeoutMs`, cut to what is left of the deadline. */
  async #attempt(
    method: "GET" | "POST",
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TransportResponse> {
    let limit = this.#config.timeoutMs;
    if (deadline !== undefined) limit = Math.max(1, Math.min(limit, deadline - this.#clock()));
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => {
      controller.abort(new AttemptTimeout(`no complete answer within ${Math.round(limit)} ms`));
    }, limit);
    try {
      return await this.#transport({ method, url, headers: { ...headers }, body, signal: controller.signal });
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      throw reason instanceof AttemptTimeout ? reason : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #fits(deadline: number | undefined, delayMs: number): boolean {
    return deadline === undefined || this.#clock() + delayMs < deadline;
  }

  #log(event: LogEvent): void {
    if (this.#logger === undefined) return;
    try {
      this.#logger(event);
    } catch {
      // A broken logger must not break the call.
    }
  }

  // ------------------------------------------------------------------ responses and errors

  #parse(operation: Operation, response: TransportResponse, requestId: string): unknown {
    const rid = response.headers.get("x-request-id") ?? requestId;
    let data: unknown = NOT_JSON;
    try {
      data = JSON.parse(response.body);
    } catch {
      // not JSON: handled below
    }
    const ok = response.status >= 200 && response.status < 300;
    if (data === NOT_JSON) {
      if (!ok) throw this.#apiError(response, response.body, rid);
      const ctype = response.headers.get("content-type") ?? "no content-type";
      throw this.#apiError(response, response.body, rid, {
        code: "malformed_response",
        message:
          `Kaizen API returned HTTP ${response.status} with a body that is not valid JSON ` +
          `(${ctype}): ${JSON.stringify(response.body.slice(0, 200))}`,
      });
    }
    if (!ok) throw this.#apiError(response, data, rid);
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      throw this.#apiError(response, data, rid, {
        code: "invalid_response",
        message: `Kaizen API response to ${operation} is JSON but not an object (${describe(data)})`,
      });
    }
    // As openai-python (and the Python client) do: a well-formed object is never rejected for
    // its shape, so a field renamed upstream does not break every call.
    const object = data as Record<string, unknown>;
    if (typeof object.request_id !== "string") object.request_id = rid;
    return object;
  }

  #apiError(
    response: TransportResponse,
    payload: unknown,
    requestId: string,
    override: { code?: string; message?: string } = {},
  ): KaizenAPIError {
    const secrets = [this.#config.apiKey];
    const hint = parseRetryAfter(response.headers, this.#now());
    const Class = override.code === undefined ? apiErrorClass(response.status) : KaizenAPIError;
    return new Class({
      status: response.status,
      payload: redactValue(payload, secrets),
      headers: redactHeaders(response.headers, secrets),
      code: override.code,
      message: override.message === undefined ? undefined : redactText(override.message, secrets),
      fallbackRequestId: requestId,
      retryAfterMs: hint === undefined ? undefined : Math.max(0, hint),
    });
  }

  #requestError(error: unknown, requestId: string, attempts: number, timedOut: boolean): KaizenRequestError {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    const detail = `${errorName(error)}: ${errorMessage(error)}`;
    const where = this.mode === "local" ? "the local Kaizen engine" : `Kaizen API at ${this.#config.endpoint}`;
    const Class = timedOut ? KaizenTimeoutError : KaizenRequestError;
    const message = redactText(`Failed to reach ${where}${tries} (${detail})`, [this.#config.apiKey]);
    // The transport's error stays out of `cause`: its text and its own causes are not ours to
    // scrub (a URL, a proxy's echo); its name and code are in the message.
    return new Class(message, { requestId });
  }

  #deadlineError(budget: number | undefined, requestId: string, attempts: number, cause: unknown): KaizenTimeoutError {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    const why = redactText(`${errorName(cause)}: ${errorMessage(cause)}`, [this.#config.apiKey]);
    return new KaizenTimeoutError(
      `Kaizen call did not finish within totalTimeoutMs=${String(budget)}${tries} (${why})`,
      { requestId },
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = cause !== null && typeof cause === "object" ? (cause as { code?: unknown }).code : undefined;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
