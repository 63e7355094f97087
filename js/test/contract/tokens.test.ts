/**
 * Token counts equal Python's (kaizen_client.tokens) on shared vectors: auto mode chooses forms
 * by exact count, so equal bytes need equal counts. shared/fixtures/tokens/counts.json is written
 * by python/scripts/make_cross_vectors.py (unicode, emoji, long digit runs, whitespace runs,
 * special-token text, random mixes), for o200k and cl100k models and an estimated model.
 */
import { describe, expect, it } from "vitest";
import { countTokens, countTokensBatch, encodingForModel, tokenizerInfo } from "../../src/tokens.js";
import { TOKENS_FILE, get, readExact } from "./helpers.js";

const data = readExact(TOKENS_FILE);
const texts = get(data, "texts") as string[];
const counts = get(data, "counts");
const models = counts instanceof Map ? [...(counts as Map<string, unknown>).keys()] : Object.keys(counts as object);

describe("token counts match Python", () => {
  it.each(models)("%s", (model) => {
    const expected = get(counts, model) as number[];
    expect(expected.length).toBe(texts.length);
    expect(countTokensBatch(texts, model)).toEqual(expected);
  });

  it("routes models to encodings as Python does", () => {
    for (const entry of get(data, "routing") as unknown[]) {
      const model = get(entry, "model") as string;
      expect([model, encodingForModel(model), tokenizerInfo(model).exact]).toEqual([
        model,
        get(entry, "encoding"),
        get(entry, "exact"),
      ]);
    }
  });

  it("counts special-token text as ordinary text and the empty string as 0", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });
});
