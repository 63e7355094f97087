/**
 * Cross-language engine vectors (`shared/fixtures/engine/vectors.json`, written by Python's
 * engine via `python/scripts/make_engine_vectors.py`): the TypeScript engine must give the same
 * compressed messages, byte for byte, and the same report. Python checks it still gives them
 * (`python/tests/engine/test_engine_vectors.py`), so a change on one side alone fails.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { clearCache, compactJson, compressMessages, compressText } from "../../src/engine/index.js";
import type { CompressionOptions } from "../../src/engine/index.js";
import { parseJsonExact } from "../../src/service/json.js";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "shared", "fixtures", "engine", "vectors.json");

interface Vector {
  name: string;
  model: string;
  options: Record<string, unknown>;
  messages?: unknown[];
  expected_messages?: unknown[];
  text?: string;
  expected_text?: string;
  expected_report: unknown;
}

// Read type-exactly: 1.0 stays a float, big integers stay exact, key order is kept.
const doc = parseJsonExact(readFileSync(file, "utf8")) as Map<string, unknown> | Record<string, unknown>;
const plain = (value: unknown): unknown => JSON.parse(compactJson(value));
const vectors = (plain(doc) as { vectors: Vector[] }).vectors.map((v, i) => {
  // The messages keep their exact values; everything else is plain JSON.
  const raw = ((doc instanceof Map ? doc.get("vectors") : doc.vectors) as unknown[])[i];
  const get = (key: string): unknown => (raw instanceof Map ? raw.get(key) : (raw as Record<string, unknown>)[key]);
  return { ...v, messages: get("messages") as unknown[] | undefined, expected_messages: get("expected_messages") as unknown[] | undefined };
});

function options(model: string, spec: Record<string, unknown>): CompressionOptions {
  const camel: Record<string, unknown> = { model };
  for (const [key, value] of Object.entries(spec)) camel[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return camel;
}

describe("engine vectors from Python", () => {
  beforeEach(() => {
    clearCache();
  });

  it("has vectors covering every fragment kind", () => {
    const kinds = new Set(vectors.flatMap((v) => (v.expected_report as { fragments: { kind: string }[] }).fragments.map((f) => f.kind)));
    expect([...kinds].sort()).toEqual(["embedded", "fenced", "jsonl", "whole"]);
    expect(vectors.length).toBeGreaterThanOrEqual(13);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    const opts = options(vector.model, vector.options);
    if (vector.messages !== undefined) {
      const { messages, report } = compressMessages(vector.messages, opts);
      expect(compactJson(messages)).toBe(compactJson(vector.expected_messages));
      expect(report).toEqual(vector.expected_report);
      // warm cache gives the same
      const again = compressMessages(vector.messages, opts);
      expect(compactJson(again.messages)).toBe(compactJson(vector.expected_messages));
    } else {
      const { text, report } = compressText(vector.text ?? "", opts);
      expect(text).toBe(vector.expected_text);
      expect(report).toEqual(vector.expected_report);
    }
  });
});
