/** Loopback servers for client tests: a scripted node:http server and the Python reference server. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: Seen, res: ServerResponse, index: number) => void;

/** A node:http server on 127.0.0.1 answering with `handlers[i]` for the i-th request (the last one repeats). */
export async function scriptedServer(handlers: Handler[]): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)];
      handler?.(entry, res, seen.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

export const OK_BODY = {
  operation: "compress",
  status: "ok",
  result: "a: 1",
  stats: { original_bytes: 7, compressed_bytes: 4, reduction_ratio: 0.5714 },
};

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => {
    resolve();
  }));
  return port;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * The Python with `kaizen_client` installed: `KAIZEN_PYTHON` (set by dev.py), else the repo's
 * venv; with `modules`, only if it also imports them (the server needs fastapi and uvicorn).
 */
export function referencePython(modules: readonly string[] = []): string | undefined {
  const fromEnv = process.env.KAIZEN_PYTHON;
  const venv = join(repoRoot, ".venv", "bin", "python");
  const python = fromEnv && existsSync(fromEnv) ? fromEnv : existsSync(venv) ? venv : undefined;
  if (python === undefined) return undefined;
  try {
    execFileSync(python, ["-c", ["kaizen_client", ...modules].map((m) => `import ${m}`).join("; ")], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return python;
}

/** Starts `python -m kaizen_client.cli serve` on a free port and waits until it answers. */
export async function startReferenceServer(
  python: string,
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    python,
    ["-m", "kaizen_client.cli", "serve", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kaizen serve exited (${String(child.exitCode)}): ${stderr}`);
    try {
      const res = await fetch(`${url}/`, { headers: { "x-api-key": env.KAIZEN_API_KEYS ?? "" } });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) {
      child.kill();
      throw new Error(`kaizen serve did not answer within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
