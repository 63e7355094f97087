/**
 * When to retry and how long to wait: pure functions, so tests need no clock and no sleep.
 *
 * The policy of Python's `kaizen_client._retry` (itself openai-python's), in milliseconds:
 *
 * - `retry-after-ms` wins over `retry-after` (seconds or an HTTP date);
 * - a hint is honoured only when `0 < hint <= maxRetryAfterMs` (120 s); a longer one is not
 *   retried at all (the error is thrown at once with its `retryAfterMs`), zero, negative or
 *   unreadable hints fall back to the exponential backoff;
 * - backoff is `500 * 2**n` ms capped at 8 s, minus at most 25 % jitter;
 * - 408, 409, 429 and every 5xx are retried; `x-should-retry: true|false` overrides that.
 *
 * A POST is retried safely because the client sends one `Idempotency-Key` per logical call
 * and the server (and the local engine) answer a repeated key with the first result.
 */

/** First backoff (openai-python's `INITIAL_RETRY_DELAY`, 0.5 s). */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Longest backoff (openai-python's `MAX_RETRY_DELAY`, 8 s). */
export const MAX_RETRY_DELAY_MS = 8_000;
/** Longest server-requested wait that is honoured; a longer one is not retried. */
export const MAX_RETRY_AFTER_MS = 120_000;
/** At most this fraction of a backoff is taken off at random. */
export const MAX_JITTER = 0.25;

/** Case-insensitive header lookup over a plain object or a `Headers`. */
export type HeaderSource = Headers | Record<string, string>;

export function header(headers: HeaderSource | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** 408, 409, 429 and every 5xx, unless the server says otherwise in `x-should-retry`. */
export function isRetryableStatus(status: number, headers?: HeaderSource): boolean {
  const hint = header(headers, "x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status < 600);
}

function finite(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  // Python's float(): a plain decimal number, nothing else ("", "1s", "0x10" are not numbers).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Milliseconds the server asked us to wait, from `retry-after-ms` or `retry-after`, or
 * undefined. An HTTP date is read against `nowMs` (epoch ms). Negative values are returned as
 * given: deciding whether to honour them is `RetryPolicy.decide`'s job.
 */
export function parseRetryAfter(headers: HeaderSource | undefined, nowMs: number): number | undefined {
  const millis = finite(header(headers, "retry-after-ms"));
  if (millis !== undefined) return millis;
  const raw = header(headers, "retry-after");
  if (raw === undefined) return undefined;
  const seconds = finite(raw);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP date: IMF-fixdate, which Date.parse reads; anything else is unreadable.
  if (!/[a-z]{3},?\s+\d/i.test(raw)) return undefined;
  const at = Date.parse(raw.trim());
  return Number.isNaN(at) ? undefined : at - nowMs;
}

/** What to do after a retryable failure: retry after `delayMs`, or give up. */
export type Decision = { action: "retry"; delayMs: number } | { action: "give_up" };

/** openai-python's backoff; a server's hint is followed when it is reasonable. */
export class RetryPolicy {
  constructor(
    readonly maxRetries = 2,
    readonly initialDelayMs = INITIAL_RETRY_DELAY_MS,
    readonly maxDelayMs = MAX_RETRY_DELAY_MS,
    readonly maxRetryAfterMs = MAX_RETRY_AFTER_MS,
  ) {
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`maxRetries must be an integer >= 0, got ${String(maxRetries)}`);
    }
  }

  /** `initial * 2**n` ms capped at `maxDelayMs`, minus up to 25 %; `n` counts from 0. */
  backoff(retryNumber: number, random: () => number): number {
    const base = Math.min(this.initialDelayMs * 2 ** Math.min(retryNumber, 1000), this.maxDelayMs);
    return base * (1 - MAX_JITTER * random());
  }

  /** Retry `retryNumber` (0 for the first retry): how long to wait, or give up. */
  decide(retryNumber: number, retryAfterMs: number | undefined, random: () => number): Decision {
    if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs) return { action: "give_up" };
    if (retryAfterMs !== undefined && retryAfterMs > 0) return { action: "retry", delayMs: retryAfterMs };
    return { action: "retry", delayMs: this.backoff(retryNumber, random) };
  }
}
