/**
 * Local mode as a transport: requests are answered by the engine in this process, through
 * the same service routing as the Python reference server (`service/routing.ts`). Because
 * local mode is only a transport, local and remote clients share every line of request
 * building, retrying, error mapping and response parsing.
 *
 * Idempotency: like the reference server, the transport answers a POST whose
 * `Idempotency-Key` it has already answered (same API key, same request) with the first
 * result, from a bounded, expiring `ResultCache`.
 */
import { randomUUID } from "node:crypto";
import { compactJson } from "../engine/compact.js";
import { handleRequest } from "../service/routing.js";
import { REPLAYED_HEADER, ResultCache, fingerprint, validKey } from "./idempotency.js";
import type { Transport, TransportRequest, TransportResponse } from "./transports.js";

function headerOf(request: TransportRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function requestIdOf(request: TransportRequest): string {
  return headerOf(request, "x-request-id") || randomUUID().replaceAll("-", "");
}

function answer(request: TransportRequest, status: number, body: string, replayed = false): TransportResponse {
  const headers = new Headers({ "content-type": "application/json", "x-request-id": requestIdOf(request) });
  if (replayed) headers.set(REPLAYED_HEADER.toLowerCase(), "true");
  return { status, headers, body };
}

function errorAnswer(request: TransportRequest, status: number, code: string, message: string): TransportResponse {
  const error = { code, message, request_id: requestIdOf(request), detail: null };
  return answer(request, status, compactJson({ error }));
}

/** A transport answered by the in-process engine; `idempotency` keeps first answers. */
export function localEngineTransport(idempotency: ResultCache = new ResultCache()): Transport {
  return (request) => {
    // Settled on a later tick, like any I/O, so callers never depend on synchronous answers.
    return Promise.resolve().then(() => {
      request.signal.throwIfAborted();
      const path = new URL(request.url).pathname;
      const key = request.method === "POST" ? headerOf(request, "idempotency-key") : undefined;
      let owner: string | undefined;
      if (key !== undefined) {
        if (!validKey(key)) {
          return errorAnswer(request, 400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        owner = headerOf(request, "x-api-key") ?? "";
        const stored = idempotency.get(owner, key);
        if (stored !== undefined) {
          if (stored.fingerprint !== fingerprint(request.method, path, request.body)) {
            return errorAnswer(request, 422, "idempotency_key_reused", "Idempotency-Key was already used with a different request");
          }
          return answer(request, stored.status, stored.body, true);
        }
      }
      const [status, payload] = handleRequest(request.method, path, request.body, requestIdOf(request));
      const body = compactJson(payload);
      if (owner === undefined || key === undefined || status !== 200) return answer(request, status, body);
      const mine = { status, body, fingerprint: fingerprint("POST", path, request.body) };
      const kept = idempotency.putFirst(owner, key, mine);
      return answer(request, kept.status, kept.body, kept !== mine);
    });
  };
}
