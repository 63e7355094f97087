/**
 * Idempotency keys: one per logical call, so a retried POST is answered, not redone.
 *
 * The client sends `Idempotency-Key: kaizen-js-retry-<uuid4>` on every POST (Python sends
 * `kaizen-python-retry-<uuid4>`), built once per call and repeated on each retry. The server
 * and the local engine keep the first successful answer for a key, scoped to the API key that
 * sent it, and give it back for any repeat. This module holds the key rules, the request
 * fingerprint and the bounded, expiring memory the local transport uses.
 */
import { createHash, randomUUID } from "node:crypto";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Response header set when the answer is a replay of an earlier one. */
export const REPLAYED_HEADER = "Idempotent-Replayed";
export const KEY_PREFIX = "kaizen-js-retry-";
/** Longest key accepted; longer keys are refused, not truncated. */
export const MAX_KEY_LENGTH = 255;

/** A fresh key for one logical call. */
export function newIdempotencyKey(): string {
  return KEY_PREFIX + randomUUID();
}

/** 1..255 visible ASCII characters (no space): anything else is refused with a 400. */
export function validKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && /^[\x21-\x7e]+$/.test(key);
}

/** What must match for a repeated key to be a replay: method, path and body bytes. */
export function fingerprint(method: string, path: string, body: string | undefined): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n`)
    .update(body ?? "")
    .digest("hex");
}

/** The first answer to a key: status, JSON body text, and the request it answered. */
export interface StoredResult {
  status: number;
  body: string;
  fingerprint: string;
}

/**
 * First answers by (owner, key), expiring after `ttlMs`, at most `maxEntries` and `maxBytes`
 * (oldest forgotten first). A `Map` iterates in insertion order, which with one TTL is also
 * expiry order, so each sweep step is O(1).
 */
export class ResultCache {
  readonly #entries = new Map<string, { result: StoredResult; expiresAt: number }>();
  #bytes = 0;

  constructor(
    readonly ttlMs = 3_600_000,
    readonly maxEntries = 1000,
    readonly maxBytes = 32 * 1024 * 1024,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(ttlMs > 0 && maxEntries > 0 && maxBytes > 0)) {
      throw new RangeError("ResultCache needs ttlMs, maxEntries and maxBytes > 0");
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(owner: string, key: string): StoredResult | undefined {
    this.#sweep(this.clock());
    return this.#entries.get(JSON.stringify([owner, key]))?.result;
  }

  /** Keep `result` unless the key already has an answer; return the answer kept. */
  putFirst(owner: string, key: string, result: StoredResult): StoredResult {
    const now = this.clock();
    this.#sweep(now);
    const id = JSON.stringify([owner, key]);
    const existing = this.#entries.get(id);
    if (existing !== undefined) return existing.result;
    const size = Buffer.byteLength(result.body);
    if (size > this.maxBytes) return result; // answered, not remembered
    while (this.#entries.size > 0 && (this.#entries.size >= this.maxEntries || this.#bytes + size > this.maxBytes)) {
      this.#dropOldest();
    }
    this.#entries.set(id, { result, expiresAt: now + this.ttlMs });
    this.#bytes += size;
    return result;
  }

  #sweep(now: number): void {
    for (const entry of this.#entries.values()) {
      if (entry.expiresAt > now) return;
      this.#dropOldest();
    }
  }

  #dropOldest(): void {
    const first = this.#entries.entries().next();
    if (first.done === true) return;
    const [id, entry] = first.value;
    this.#entries.delete(id);
    this.#bytes -= Buffer.byteLength(entry.result.body);
  }
}
