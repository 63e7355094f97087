/**
 * The TypeScript SDK keeps Python's layers (docs/architecture.md): each layer imports only the
 * ones below it, so the engine runs without the client and `ai` stays optional.
 *
 *   version, tokens  <  ktof  <  engine  <  models  <  service  <  client  <  index
 *                                 engine  <  ai-sdk (type-only imports from @ai-sdk/provider)
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Layer of a module (path relative to src, without extension). */
function layer(module: string): string {
  const top = module.split("/")[0] ?? module;
  return top === module ? module : top;
}

/** What each layer may import (besides itself and node: builtins). */
const ALLOWED: Record<string, string[]> = {
  version: [],
  tokens: [],
  ktof: ["tokens"],
  engine: ["ktof", "tokens"],
  models: ["engine"],
  service: ["models", "engine", "ktof", "tokens", "version"],
  client: ["models", "service", "engine", "version"],
  "ai-sdk": ["engine"],
  index: ["version", "ktof", "tokens", "client", "engine"],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function violations(): string[] {
  const found: string[] = [];
  for (const path of files(SRC)) {
    const module = relative(SRC, path).replace(/\.ts$/, "");
    const mine = layer(module);
    const allowed = ALLOWED[mine];
    if (allowed === undefined) {
      found.push(`${module}: not placed in a layer`);
      continue;
    }
    const source = readFileSync(path, "utf8");
    for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
      const typeOnly = match[2] !== undefined;
      const target = match[3] ?? "";
      if (target.startsWith("node:")) continue;
      if (!target.startsWith(".")) {
        const ok = (mine === "ai-sdk" && typeOnly && target === "@ai-sdk/provider") || (mine === "tokens" && target.startsWith("gpt-tokenizer"));
        if (!ok) found.push(`${module}: imports package ${target}`);
        continue;
      }
      const resolved = relative(SRC, join(dirname(path), target)).replace(/\.js$/, "");
      const theirs = layer(resolved);
      if (theirs !== mine && !allowed.includes(theirs)) found.push(`${module} (${mine}) imports ${resolved} (${theirs})`);
    }
  }
  return found;
}

describe("layering", () => {
  it("every module imports only the layers below it", () => {
    expect(violations()).toEqual([]);
  });
});
