/**
 * The client against the REAL Python reference server (`kaizen serve`) over loopback, and the
 * local engine transport against it: the same operations must give the same answers. Skipped
 * (with the reason printed) only when no Python with kaizen_client is found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KaizenAuthError,
  KaizenClient,
  KaizenNotFoundError,
  KaizenValidationError,
  type LogEvent,
} from "../../src/client/index.js";
import { referencePython, startReferenceServer } from "./helpers.js";

const KEY = "sk-reference-test-key-0123456789";
const python = referencePython(["fastapi", "uvicorn"]);
if (python === undefined) {
  console.warn(
    "reference-server tests skipped: no Python with kaizen_client and its server extra " +
      "(set KAIZEN_PYTHON, or install python/[test] into the repository's .venv)",
  );
}

const CHAT = [
  { role: "system", content: "You answer questions about orders." },
  {
    role: "user",
    content:
      "Here are the orders:\n" +
      JSON.stringify(
        Array.from({ length: 12 }, (_, i) => ({ id: i + 1, sku: `SKU-${1000 + i}`, qty: (i % 4) + 1, price: 9.5 + i, shipped: i % 2 === 0 })),
        null,
        2,
      ) +
      "\nWhich ones shipped?",
  },
  { role: "assistant", content: '{"note": "assistant JSON is never touched, even when it is long enough"}' },
];

describe.skipIf(python === undefined)("against the Python reference server", () => {
  let server: { url: string; stop: () => Promise<void> };
  const logs: LogEvent[] = [];
  let remote: KaizenClient;
  const local = new KaizenClient({ baseUrl: "local", env: {} });

  beforeAll(async () => {
    server = await startReferenceServer(python ?? "", {
      KAIZEN_API_KEYS: KEY,
      KAIZEN_TEST_FAIL_FIRST: "/v1/optimize",
    });
    remote = new KaizenClient({
      baseUrl: server.url,
      apiKey: KEY,
      env: {},
      logger: (event) => logs.push(event),
      sleep: () => Promise.resolve(),
    });
  }, 60_000);

  afterAll(async () => {
    await server.stop();
  });

  it("health answers in both modes", async () => {
    expect(await remote.health()).toMatchObject({ status: "ok", operation: "health", mode: "server" });
    expect(await local.health()).toMatchObject({ status: "ok", operation: "health", mode: "local" });
  });

  it("retries the server's injected 503 on /v1/optimize and succeeds", async () => {
    const resp = await remote.optimize({ data: { a: [1, 2, 3] } }, { requestId: "retry-me" });
    expect(resp.status).toBe("ok");
    const mine = logs.filter((e) => e.requestId === "retry-me");
    expect(mine.filter((e) => e.event === "response").map((e) => e.status)).toEqual([503, 200]);
    expect(mine.filter((e) => e.event === "retry")).toHaveLength(1);
  });

  const bodies = {
    compress: { data: { users: [{ id: 1, name: "Ada", tags: ["x", "y"] }, { id: 2, name: "Bob", tags: [] }], n: 1.5 }, token_models: ["gpt-4o", "gpt-4"], metadata: { t: 1 } },
    optimize: { data: [{ a: 1, b: "two" }, { a: 3, b: "four" }], options: { mode: "toon" as const } },
    decompress: { data: "items[2]{a,b}:\n  1,x\n  2,y" },
    optimize_response: { ktof: "a: 1\nb[2]: 1,2", metadata: { m: true } },
    optimize_request: { prompt: { model: "gpt-4o", messages: CHAT } , token_models: ["gpt-4o"] },
    prompts_encode: { prompt: CHAT },
    prompts_decode: { ktof: "x: 1" },
  };

  it.each(Object.keys(bodies))("%s: local mode answers what the server answers", async (op) => {
    const method = {
      compress: "compress",
      optimize: "optimize",
      decompress: "decompress",
      optimize_response: "optimizeResponse",
      optimize_request: "optimizeRequest",
      prompts_encode: "promptsEncode",
      prompts_decode: "promptsDecode",
    }[op] as "compress";
    const body = bodies[op as keyof typeof bodies] as Parameters<KaizenClient["compress"]>[0];
    const fromServer = await remote[method](body, { requestId: `same-${op}` });
    const fromLocal = await local[method](body, { requestId: `same-${op}` });
    // The server also stores an encoded prompt for prompts_decode; the local engine stores nothing.
    const { payload_id: stored, ...served } = fromServer as Record<string, unknown>;
    expect(stored === undefined || op === "prompts_encode").toBe(true);
    expect(fromLocal).toEqual(served);
  });

  it("maps the server's errors to typed errors, with its request id and detail", async () => {
    const wrongKey = new KaizenClient({ baseUrl: server.url, apiKey: "sk-wrong-key-000000", env: {}, maxRetries: 0 });
    const auth = await wrongKey.compress({ data: 1 }).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(KaizenAuthError);
    expect((auth as KaizenAuthError).status).toBe(401);

    for (const client of [remote, local]) {
      const bad = await client.compress({} as never, { requestId: "bad-body" }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(KaizenValidationError);
      expect((bad as KaizenValidationError).status).toBe(422);
      expect((bad as KaizenValidationError).requestId).toBe("bad-body");
      expect((bad as KaizenValidationError).detail).toEqual([expect.objectContaining({ type: "missing", loc: ["data"], msg: "Field required" })]);

      const broken = await client.decompress({ data: "a[3]: 1,2" }).catch((e: unknown) => e);
      expect(broken).toBeInstanceOf(KaizenValidationError);
      expect((broken as KaizenValidationError).code).toBe("ktof_decode_error");
      expect((broken as KaizenValidationError).detail).toMatchObject({ line: 1 });

      const missing = await client.promptsDecode({ payload_id: "nope" }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(KaizenNotFoundError);
    }
  });
});
