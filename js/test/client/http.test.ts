/**
 * The client against a scripted loopback node:http server: retry paths (429/503 with and
 * without Retry-After), timeouts, malformed answers, typed errors, and the API key kept out
 * of every error, log line and printout.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  KaizenAPIError,
  KaizenAuthError,
  KaizenClient,
  type KaizenClientInit,
  KaizenRateLimitError,
  KaizenRequestError,
  KaizenServerError,
  KaizenTimeoutError,
  KaizenValidationError,
  type LogEvent,
} from "../../src/client/index.js";
import { type Handler, OK_BODY, freePort, json, scriptedServer } from "./helpers.js";

const KEY = "sk-kaizen-test-SECRET-0123456789";
const servers: { close: () => Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handlers: Handler[], init: KaizenClientInit = {}) {
  const server = await scriptedServer(handlers);
  servers.push(server);
  const sleeps: number[] = [];
  const logs: LogEvent[] = [];
  const client = new KaizenClient({
    baseUrl: server.url,
    apiKey: KEY,
    env: {},
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
    logger: (event) => logs.push(event),
    ...init,
  });
  return { server, client, sleeps, logs };
}

describe("KaizenClient over HTTP", () => {
  it("sends the key, a request id, an idempotency key and JSON, and returns the body", async () => {
    const { server, client } = await setup([json(200, OK_BODY, { "x-request-id": "rid-from-server" })]);
    const resp = await client.compress({ data: { a: 1 } });
    expect(resp.result).toBe("a: 1");
    expect(resp.request_id).toBe("rid-from-server");
    const [req] = server.seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/v1/compress");
    expect(req?.headers["x-api-key"]).toBe(KEY);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["idempotency-key"]).toMatch(/^kaizen-js-retry-[0-9a-f-]{36}$/);
    expect(req?.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(req?.headers["user-agent"]).toMatch(/^kaizen-client\/\d+\.\d+\.\d+ \(node .*; remote\)$/);
    expect(JSON.parse(req?.body ?? "")).toEqual({ data: { a: 1 } });
  });

  it("retries a 429 after its Retry-After, repeating the request id and idempotency key", async () => {
    const { server, client, sleeps, logs } = await setup([
      json(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "2" }),
      json(200, OK_BODY),
    ]);
    const resp = await client.compress({ data: [1] }, { requestId: "my-rid" });
    expect(resp.request_id).toBe("my-rid");
    expect(sleeps).toEqual([2000]);
    expect(server.seen).toHaveLength(2);
    const [first, second] = server.seen;
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(second?.headers["x-request-id"]).toBe("my-rid");
    expect(logs.filter((e) => e.event === "retry")).toEqual([
      expect.objectContaining({ reason: "HTTP 429", delayMs: 2000, requestId: "my-rid" }),
    ]);
  });

  it("retries a 503 after its retry-after-ms (which wins over retry-after)", async () => {
    const { server, client, sleeps } = await setup([
      json(503, { error: { code: "unavailable", message: "busy" } }, { "retry-after-ms": "250", "retry-after": "9" }),
      json(200, OK_BODY),
    ]);
    await client.optimize({ data: 1 });
    expect(sleeps).toEqual([250]);
    expect(server.seen).toHaveLength(2);
  });

  it("retries 503 with exponential backoff, then raises KaizenServerError", async () => {
    const { server, client, sleeps } = await setup([json(503, { error: { code: "unavailable", message: "busy" } })]);
    const error = await client.compress({ data: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenServerError);
    const apiError = error as KaizenServerError;
    expect(apiError.status).toBe(503);
    expect(apiError.code).toBe("unavailable");
    expect(apiError.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(sleeps).toEqual([500, 1000]);
    expect(server.seen).toHaveLength(3);
  });

  it("does not retry when Retry-After is longer than maxRetryAfterMs; the error carries the hint", async () => {
    const { server, client, sleeps } = await setup([json(429, { error: { code: "rate_limited", message: "later" } }, { "retry-after": "3600" })]);
    const error = await client.compress({ data: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenRateLimitError);
    expect((error as KaizenRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(sleeps).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it("honours x-should-retry: false and maxRetries: 0", async () => {
    const a = await setup([json(503, { error: { code: "x", message: "no" } }, { "x-should-retry": "false" })]);
    await expect(a.client.compress({ data: 1 })).rejects.toBeInstanceOf(KaizenServerError);
    expect(a.server.seen).toHaveLength(1);
    const b = await setup([json(500, { error: { code: "x", message: "no" } })], { maxRetries: 0 });
    await expect(b.client.compress({ data: 1 })).rejects.toBeInstanceOf(KaizenServerError);
    expect(b.server.seen).toHaveLength(1);
  });

  it("maps statuses to error classes and keeps code, detail and request id", async () => {
    const { client } = await setup([
      json(422, { error: { code: "validation_error", message: "request body is invalid", request_id: "r-422", detail: [{ loc: ["data"] }] } }),
    ]);
    const error = await client.compress({ data: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenValidationError);
    const v = error as KaizenValidationError;
    expect(v.requestId).toBe("r-422");
    expect(v.detail).toEqual([{ loc: ["data"] }]);
    expect(v.message).toBe("Kaizen API error (422 validation_error): request body is invalid [request_id=r-422]");
  });

  it("reports a body that is not JSON as malformed_response and a non-object as invalid_response", async () => {
    const html: Handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>oops</html>");
    };
    const a = await setup([html]);
    const error = await a.client.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenAPIError);
    expect((error as KaizenAPIError).code).toBe("malformed_response");
    expect((error as KaizenAPIError).message).toContain("text/html");
    const b = await setup([json(200, [1, 2])]);
    const error2 = await b.client.health().catch((e: unknown) => e);
    expect((error2 as KaizenAPIError).code).toBe("invalid_response");
  });

  it("times out a silent server per attempt, retries, and raises KaizenTimeoutError", async () => {
    const silent: Handler = () => {
      // never answers
    };
    const { server, client, sleeps } = await setup([silent], { timeoutMs: 150 });
    const error = await client.compress({ data: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenTimeoutError);
    expect((error as Error).message).toMatch(/after 3 attempts/);
    expect(sleeps).toEqual([500, 1000]);
    expect(server.seen).toHaveLength(3);
  });

  it("totalTimeoutMs bounds the whole call, sleeps included", async () => {
    const { server, client, sleeps } = await setup([json(503, { error: { code: "busy", message: "busy" } })], {
      initialRetryDelayMs: 200,
    });
    // 200 ms of backoff fits in 300 ms; the next 400 ms does not, so the 503 is raised then.
    const error = await client.compress({ data: 1 }, { totalTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenServerError);
    expect(sleeps).toEqual([200]);
    expect(server.seen).toHaveLength(2);
    const dripping: Handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"operation":');
      // the rest never comes
    };
    const b = await setup([dripping]);
    const error2 = await b.client.compress({ data: 1 }, { totalTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error2).toBeInstanceOf(KaizenTimeoutError);
    expect((error2 as Error).message).toContain("totalTimeoutMs=200");
  });

  it("retries a refused connection and then raises KaizenRequestError", async () => {
    const port = await freePort();
    const sleeps: number[] = [];
    const client = new KaizenClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: KEY,
      env: {},
      random: () => 0,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const error = await client.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenRequestError);
    expect(error).not.toBeInstanceOf(KaizenTimeoutError);
    expect((error as Error).message).toMatch(/Failed to reach Kaizen API at http:\/\/127\.0\.0\.1:\d+ after 3 attempts/);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("an aborted call stops at once, without retries", async () => {
    const silent: Handler = () => undefined;
    const { server, client } = await setup([silent]);
    const controller = new AbortController();
    const pending = client.compress({ data: 1 }, { signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error("caller gave up"));
    }, 50);
    await expect(pending).rejects.toThrow("caller gave up");
    expect(server.seen).toHaveLength(1);
  });
});

describe("the API key never leaks", () => {
  it("not in errors (message, payload, headers, inspect, JSON), logs, or the client's printouts", async () => {
    const echo: Handler = (req, res) => {
      const key = String(req.headers["x-api-key"]);
      res.writeHead(401, { "content-type": "application/json", "x-echo": `got ${key}` });
      res.end(JSON.stringify({ error: { code: "unauthorized", message: `bad key ${key}`, detail: { key, [key]: 1 } } }));
    };
    const { client, logs } = await setup([echo]);
    const error = await client.compress({ data: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenAuthError);
    const auth = error as KaizenAuthError;
    const printed = [
      auth.message,
      String(auth.stack),
      inspect(auth, { depth: null, showHidden: true }),
      JSON.stringify(auth),
      JSON.stringify(auth.payload),
      JSON.stringify(auth.headers),
      JSON.stringify(logs),
      inspect(client, { depth: null, showHidden: true }),
      JSON.stringify(client),
      String(client),
    ];
    for (const text of printed) expect(text).not.toContain(KEY);
    expect(auth.message).toContain("bad key ***");
    expect(auth.headers["x-echo"]).toBe("got ***");
    expect(inspect(client)).toContain('"apiKey":"***"');
    expect(logs.length).toBeGreaterThan(0);
  });

  it("not in a request error either", async () => {
    const port = await freePort();
    const client = new KaizenClient({ baseUrl: `http://127.0.0.1:${port}/${KEY}`, apiKey: KEY, env: {}, maxRetries: 0 });
    const error = await client.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenRequestError);
    expect(inspect(error, { depth: null })).not.toContain(KEY);
  });
});
