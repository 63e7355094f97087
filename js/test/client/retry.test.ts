import { describe, expect, it } from "vitest";
import { RetryPolicy, isRetryableStatus, parseRetryAfter } from "../../src/client/retry.js";

describe("retry policy (Python's _retry.py, in ms)", () => {
  it("retries 408, 409, 429 and 5xx, and obeys x-should-retry", () => {
    for (const status of [408, 409, 429, 500, 502, 503, 599]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [200, 400, 401, 404, 413, 422, 600]) expect(isRetryableStatus(status)).toBe(false);
    expect(isRetryableStatus(503, { "X-Should-Retry": "false" })).toBe(false);
    expect(isRetryableStatus(400, new Headers({ "x-should-retry": "true" }))).toBe(true);
  });

  it("backs off 0.5 s * 2^n capped at 8 s, minus at most 25 % jitter", () => {
    const policy = new RetryPolicy();
    expect([0, 1, 2, 3, 4, 5].map((n) => policy.backoff(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(policy.backoff(0, () => 1)).toBe(375);
    expect(policy.backoff(1, () => 0.5)).toBe(875);
  });

  it("reads retry-after-ms before retry-after (seconds or HTTP date)", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter({ "retry-after-ms": "250", "retry-after": "9" }, now)).toBe(250);
    expect(parseRetryAfter({ "Retry-After": "2" }, now)).toBe(2000);
    expect(parseRetryAfter({ "retry-after": "1.5" }, now)).toBe(1500);
    expect(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }, now)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "-3" }, now)).toBe(-3000);
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });

  it("follows a reasonable hint, backs off on a useless one, gives up on a long one", () => {
    const policy = new RetryPolicy();
    expect(policy.decide(0, 3000, () => 0)).toEqual({ action: "retry", delayMs: 3000 });
    expect(policy.decide(1, 0, () => 0)).toEqual({ action: "retry", delayMs: 1000 });
    expect(policy.decide(1, -5, () => 0)).toEqual({ action: "retry", delayMs: 1000 });
    expect(policy.decide(0, undefined, () => 0)).toEqual({ action: "retry", delayMs: 500 });
    expect(policy.decide(0, 120_000, () => 0)).toEqual({ action: "retry", delayMs: 120_000 });
    expect(policy.decide(0, 120_001, () => 0)).toEqual({ action: "give_up" });
  });

  it("refuses a negative or fractional retry count", () => {
    expect(() => new RetryPolicy(-1)).toThrow(RangeError);
    expect(() => new RetryPolicy(1.5)).toThrow(RangeError);
  });
});
