/**
 * Client configuration and the mode rule, as in Python's `KaizenClientConfig`, applied once:
 *
 * - `baseUrl: "local"` (any case) forces the in-process engine;
 * - another explicit `baseUrl` means HTTP to it;
 * - no `baseUrl`: `KAIZEN_BASE_URL` if set; else the hosted API if an API key is known
 *   (option or `KAIZEN_API_KEY`); else the local engine, so the SDK works with no account.
 *
 * Environment variables are read when a client is created, never at import. Durations are
 * milliseconds (`KAIZEN_TIMEOUT` is seconds, as in Python).
 */
import { INITIAL_RETRY_DELAY_MS, MAX_RETRY_AFTER_MS, MAX_RETRY_DELAY_MS } from "./retry.js";

export const DEFAULT_BASE_URL = "https://api.getkaizen.io/";
export const LOCAL = "local";
/** Host the local transport is addressed by; nothing ever resolves it. */
export const LOCAL_BASE_URL = "http://kaizen.local";
export const DEFAULT_TIMEOUT_MS = 30_000;

export type Mode = "local" | "remote";

/** What a client can be told; every field is optional. */
export interface KaizenClientOptions {
  /** `"local"`, or the API's URL; see the mode rule above. */
  baseUrl?: string | undefined;
  /** Sent as `x-api-key`; never printed, logged or put in an error. */
  apiKey?: string | undefined;
  /** Longest wait for one attempt (connect to last body byte); default 30 s. */
  timeoutMs?: number | undefined;
  /** Overall deadline of one call, every attempt and backoff sleep included; default none. */
  totalTimeoutMs?: number | undefined;
  /** Retries after the first attempt (remote mode only; local failures are deterministic). */
  maxRetries?: number | undefined;
  initialRetryDelayMs?: number | undefined;
  maxRetryDelayMs?: number | undefined;
  /** Longest `retry-after` honoured; a server asking for longer is not retried. */
  maxRetryAfterMs?: number | undefined;
  /** Added to every request (`X-Request-ID` here is the default request id). */
  defaultHeaders?: Record<string, string> | undefined;
  /** Where `KAIZEN_*` variables are read from (default `process.env`). */
  env?: Record<string, string | undefined> | undefined;
}

/** Options with every default applied and the mode decided. */
export interface ResolvedConfig {
  mode: Mode;
  /** Base URL requests go to, without a trailing slash. */
  endpoint: string;
  apiKey: string | undefined;
  timeoutMs: number;
  totalTimeoutMs: number | undefined;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  maxRetryAfterMs: number;
  defaultHeaders: Record<string, string>;
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number > 0 (milliseconds), got ${String(value)}`);
  }
  return value;
}

function envTimeout(env: Record<string, string | undefined>): number {
  const raw = env.KAIZEN_TIMEOUT;
  if (raw === undefined || raw.trim() === "") return DEFAULT_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`KAIZEN_TIMEOUT must be a number of seconds > 0, got ${JSON.stringify(raw)}`);
  }
  return seconds * 1000;
}

export function resolveConfig(options: KaizenClientOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? (env.KAIZEN_API_KEY || undefined);
  let baseUrl = options.baseUrl?.trim();
  if (!baseUrl) {
    const fromEnv = env.KAIZEN_BASE_URL?.trim();
    baseUrl = fromEnv ? fromEnv : apiKey ? DEFAULT_BASE_URL : LOCAL;
  }
  const mode: Mode = baseUrl.toLowerCase() === LOCAL ? "local" : "remote";
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be an integer >= 0, got ${String(maxRetries)}`);
  }
  return {
    mode,
    endpoint: mode === "local" ? LOCAL_BASE_URL : baseUrl.replace(/\/+$/, ""),
    apiKey,
    timeoutMs: positive("timeoutMs", options.timeoutMs) ?? envTimeout(env),
    totalTimeoutMs: positive("totalTimeoutMs", options.totalTimeoutMs),
    // Local failures are deterministic (the same engine gives the same answer): no retries.
    maxRetries: mode === "remote" ? maxRetries : 0,
    initialRetryDelayMs: options.initialRetryDelayMs ?? INITIAL_RETRY_DELAY_MS,
    maxRetryDelayMs: options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS,
    maxRetryAfterMs: options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS,
    defaultHeaders: { ...(options.defaultHeaders ?? {}) },
  };
}
