/**
 * The project's own KTOF contract vectors (shared/fixtures/ktof/*.json), as Python's
 * test_contract_vectors.py runs them: encode byte for byte (auto outputs must also decode back to
 * exactly the input and cost no more tokens than compact JSON), decode type-exactly.
 */
import { describe, expect, it } from "vitest";
import { countTokens } from "../../src/tokens.js";
import { decode, dumpsJson, encode, KTOFDecodeError, normalize } from "../../src/ktof/index.js";
import { KTOF_VECTORS_DIR, decodeOptions, encodeOptions, get, loadCases, sameExact, sameJsonModel } from "./helpers.js";

const cases = loadCases([KTOF_VECTORS_DIR]);
const ENCODE_OPTIONS = new Set(["mode", "model", "delimiter", "indentSize"]);
const DECODE_OPTIONS = new Set(["strict", "indentSize"]);

function optionNames(options: unknown): string[] {
  if (options instanceof Map) return [...(options as Map<string, unknown>).keys()];
  return options && typeof options === "object" ? Object.keys(options) : [];
}

describe("KTOF contract vectors", () => {
  it("are present", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c.category, c.test] as const))("%s", (_id, category, test) => {
    const raw = get(test, "options");
    const allowed = category === "encode" ? ENCODE_OPTIONS : DECODE_OPTIONS;
    expect(optionNames(raw).filter((name) => !allowed.has(name))).toEqual([]);
    const input = get(test, "input");
    if (category === "encode") {
      const options = encodeOptions(raw);
      if (get(test, "shouldError") === true) {
        expect(() => encode(input, options)).toThrow();
        return;
      }
      const got = encode(input, options);
      expect(got).toBe(get(test, "expected"));
      const back = decode(got, { indent: options.indent, exact: true });
      if (options.mode === "auto") {
        expect(sameExact(back, input), `round trip of ${JSON.stringify(got)}`).toBe(true);
        const json = dumpsJson(normalize(input, undefined, false));
        expect(countTokens(got, options.model)).toBeLessThanOrEqual(countTokens(json, options.model));
      } else {
        expect(sameJsonModel(back, input)).toBe(true);
      }
      return;
    }
    const options = decodeOptions(raw);
    if (get(test, "shouldError") === true) {
      expect(() => decode(input as string, options)).toThrow(KTOFDecodeError);
      return;
    }
    const got = decode(input as string, { ...options, exact: true });
    expect(sameExact(got, get(test, "expected")), `decode ${JSON.stringify(input)}`).toBe(true);
  });
});
