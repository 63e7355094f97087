/**
 * How a request reaches an answer. A transport is one async function: request in, status,
 * headers and body text out. The client owns everything else (headers, retries, timeouts,
 * errors), so the fetch transport and the local engine transport (`local.ts`) go through the
 * same code and fail the same way for the same bad input, as Python's httpx transports do.
 */

/** One attempt, as the client built it; `signal` aborts it (timeout or the caller). */
export interface TransportRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

/** The answer: status, headers and the whole body as text. */
export interface TransportResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends one request. Throws when no answer arrived (network failure, abort); an error status
 * is an answer, not a throw.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * The HTTP transport over `fetch` (Node's built-in, or one you pass). The body is read under
 * the same signal, so a server dripping its body cannot outlive the call's deadline.
 */
export function fetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
      redirect: "error",
    });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * Whether a transport failure is worth another try: the network or the server hiccuped
 * (Python retries httpx's TimeoutException, NetworkError and RemoteProtocolError). fetch
 * reports those as `TypeError("fetch failed")` with a `cause` carrying the system code; a bad
 * URL or a refused redirect is not retried.
 */
export function isRetryableTransportError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof TypeError && error.message === "fetch failed" && !isRedirect(error);
}

function isRedirect(error: TypeError): boolean {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && /redirect/i.test(cause.message);
}
