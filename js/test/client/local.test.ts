/** Local mode: the default without URL or key, answered in-process, no network, no retries. */
import { describe, expect, it } from "vitest";
import {
  KaizenClient,
  KaizenValidationError,
  localEngineTransport,
  type TransportRequest,
} from "../../src/client/index.js";
import { resolveConfig } from "../../src/client/config.js";
import { ResultCache } from "../../src/client/idempotency.js";
import { handleRequest } from "../../src/service/routing.js";

describe("mode rule", () => {
  it("is local with no URL and no key, remote with a key or a URL, local when told", () => {
    expect(resolveConfig({ env: {} }).mode).toBe("local");
    expect(resolveConfig({ env: { KAIZEN_API_KEY: "sk-x" } })).toMatchObject({ mode: "remote", endpoint: "https://api.getkaizen.io" });
    expect(resolveConfig({ env: { KAIZEN_BASE_URL: "http://h:1/" } })).toMatchObject({ mode: "remote", endpoint: "http://h:1" });
    expect(resolveConfig({ baseUrl: "LOCAL", apiKey: "sk-x", env: {} }).mode).toBe("local");
    expect(resolveConfig({ env: { KAIZEN_TIMEOUT: "2.5" } }).timeoutMs).toBe(2500);
    expect(() => resolveConfig({ env: { KAIZEN_TIMEOUT: "soon" } })).toThrow(/KAIZEN_TIMEOUT/);
    expect(resolveConfig({ env: {}, maxRetries: 5 }).maxRetries).toBe(0); // local failures are deterministic
  });
});

describe("local engine transport", () => {
  it("answers every operation without fetch", async () => {
    const client = new KaizenClient({
      env: {},
      fetch: () => Promise.reject(new Error("no network in local mode")),
    });
    expect(client.mode).toBe("local");
    const compressed = await client.compress({ data: { rows: [{ a: 1, b: 2 }, { a: 3, b: 4 }] } });
    expect(compressed.result).toBe("rows[2]{a,b}\n1,2\n3,4"); // an unindented root-field table (docs/ktof.md §3.5), as Python writes it
    const back = await client.decompress({ data: compressed.result });
    expect(back.result).toEqual({ rows: [{ a: 1, b: 2 }, { a: 3, b: 4 }] });
  });

  it("keeps 1.0 a float and big integers exact, as the Python server does", async () => {
    const client = new KaizenClient({ env: {} });
    // The typed client sends what JSON.stringify writes; a raw transport call can send 1.0.
    const transport = localEngineTransport();
    const request = (body: string): TransportRequest => ({
      method: "POST",
      url: "http://kaizen.local/v1/compress",
      headers: { "x-request-id": "r" },
      body,
      signal: new AbortController().signal,
    });
    const exact = await transport(request('{"data":{"x":1.0,"big":12345678901234567890}}'));
    expect((JSON.parse(exact.body) as { result: string }).result).toBe("x:1.0\nbig:12345678901234567890"); // what Python writes
    expect((await client.compress({ data: { x: 1 } })).result).toBe("x:1");
  });

  it("replays an idempotency key's first answer and refuses its reuse for another body", async () => {
    const transport = localEngineTransport(new ResultCache());
    const client = new KaizenClient({ env: {}, transport });
    const first = await client.compress({ data: [1, 2] }, { idempotencyKey: "k-1", requestId: "r1" });
    const again = await client.compress({ data: [1, 2] }, { idempotencyKey: "k-1", requestId: "r1" });
    expect(again).toEqual(first);
    const reused = await client.compress({ data: [3] }, { idempotencyKey: "k-1" }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(KaizenValidationError);
    expect((reused as KaizenValidationError).code).toBe("idempotency_key_reused");
    const invalid = await client.compress({ data: [3] }, { idempotencyKey: "has space" }).catch((e: unknown) => e);
    expect((invalid as KaizenValidationError).code).toBe("invalid_idempotency_key");
  });

  it("routes like the server: 404, 405, invalid JSON, validation errors", () => {
    expect(handleRequest("GET", "/v2/nothing", undefined, "r")).toEqual([
      404,
      { error: { code: "not_found", message: "no such path: /v2/nothing", request_id: "r", detail: null } },
    ]);
    const [status, body] = handleRequest("GET", "/v1/compress", undefined, "r");
    expect(status).toBe(405);
    expect(body).toMatchObject({ error: { code: "method_not_allowed", detail: { allowed: ["POST"] } } });
    expect(handleRequest("POST", "/v1/compress", "{nope", "r")[0]).toBe(400);
    expect(handleRequest("POST", "/v1/compress", "", "r")[1]).toMatchObject({ error: { code: "invalid_json" } });
    expect(handleRequest("POST", "/v1/compress", '{"data": NaN}', "r")[0]).toBe(400);
    const [s422, b422] = handleRequest("POST", "/v1/compress", '{"data":1,"options":{"indent":0,"mode":"x"}}', "r");
    expect(s422).toBe(422);
    expect((b422.error as { detail: unknown }).detail).toEqual([
      expect.objectContaining({ type: "greater_than_equal", loc: ["options", "indent"] }),
      expect.objectContaining({ type: "literal_error", loc: ["options", "mode"], msg: "Input should be 'auto' or 'toon'" }),
    ]);
    const [sDecode] = handleRequest("POST", "/v1/prompts/decode", "{}", "r");
    expect(sDecode).toBe(422);
  });
});
