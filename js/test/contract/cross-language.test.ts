/**
 * The cross-language corpus (shared/fixtures/cross/, generated from a seed by
 * python/scripts/make_cross_vectors.py with Python's encoder): TypeScript must write exactly the
 * bytes Python wrote, and read Python's text back to the value Python reads (type-exact). The
 * Python side (python/tests/ktof/test_cross_language.py) checks that Python still writes the
 * committed bytes, so a change in either language alone fails.
 */
import { describe, expect, it } from "vitest";
import { decode, encode } from "../../src/ktof/index.js";
import { CROSS_DIR, encodeOptions, get, jsonFiles, readExact, sameExact } from "./helpers.js";

interface Doc {
  readonly name: string;
  readonly input: unknown;
  readonly options: ReturnType<typeof encodeOptions>;
  readonly expected: string;
  readonly decoded: unknown;
}

const files = jsonFiles(CROSS_DIR).map((path) => {
  const data = readExact(path);
  const docs = (get(data, "documents") as unknown[]).map(
    (doc): Doc => ({
      name: get(doc, "name") as string,
      input: get(doc, "input"),
      options: encodeOptions(get(doc, "options")),
      expected: get(doc, "expected") as string,
      decoded: get(doc, "decoded"),
    }),
  );
  return [path.slice(path.lastIndexOf("/") + 1), docs] as const;
});

describe("cross-language corpus", () => {
  it("has thousands of generated documents", () => {
    const total = files.reduce((n, [, docs]) => n + docs.length, 0);
    expect(total).toBeGreaterThanOrEqual(3000);
  });

  it.each(files)("%s: TypeScript encodes every input to Python's bytes", (_file, docs) => {
    const mismatches: string[] = [];
    for (const doc of docs) {
      let got: string;
      try {
        got = encode(doc.input, doc.options);
      } catch (exc) {
        got = `<threw ${String(exc)}>`;
      }
      if (got !== doc.expected) {
        mismatches.push(`${doc.name} ${JSON.stringify(doc.options)}\n  python: ${JSON.stringify(doc.expected)}\n  ts:     ${JSON.stringify(got)}`);
      }
    }
    expect(mismatches.slice(0, 5).join("\n"), `${mismatches.length} of ${docs.length} differ`).toBe("");
  });

  it.each(files)("%s: TypeScript decodes Python's text to Python's value", (_file, docs) => {
    const mismatches: string[] = [];
    for (const doc of docs) {
      let ok: boolean;
      try {
        ok = sameExact(decode(doc.expected, { indent: doc.options.indent, exact: true }), doc.decoded);
      } catch {
        ok = false;
      }
      if (!ok) mismatches.push(`${doc.name}: ${JSON.stringify(doc.expected)}`);
    }
    expect(mismatches.slice(0, 5).join("\n"), `${mismatches.length} of ${docs.length} differ`).toBe("");
  });
});
