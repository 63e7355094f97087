/**
 * TOON 4.0 conformance, as Python's test_conformance.py: every official fixture, encode byte for
 * byte (`mode: "toon"`) and decode (JSON-model equality, key order kept). The fixtures are read in
 * place from ../shared/reference/toon-spec-4.0 (KAIZEN_TOON_SPEC_DIR overrides); the suite is
 * skipped, saying why, when they are absent.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decode, encode, KTOFDecodeError } from "../../src/ktof/index.js";
import {
  EXPECTED_TOON_FIXTURE_COUNT,
  TOON_FIXTURES_DIR,
  decodeOptions,
  encodeOptions,
  get,
  loadCases,
  sameJsonModel,
} from "./helpers.js";

const available = existsSync(join(TOON_FIXTURES_DIR, "encode")) && existsSync(join(TOON_FIXTURES_DIR, "decode"));
const cases = available ? loadCases([join(TOON_FIXTURES_DIR, "encode"), join(TOON_FIXTURES_DIR, "decode")]) : [];

describe.skipIf(!available)(`TOON 4.0 fixtures (${available ? TOON_FIXTURES_DIR : `not found at ${TOON_FIXTURES_DIR}; they live in ../shared outside the repo`})`, () => {
  it("finds all 516 fixture tests", () => {
    expect(cases.length).toBe(EXPECTED_TOON_FIXTURE_COUNT);
  });

  it.each(cases.filter((c) => c.category === "encode").map((c) => [c.id, c.test] as const))("%s", (_id, test) => {
    const options = { ...encodeOptions(get(test, "options")), mode: "toon" as const };
    if (get(test, "shouldError") === true) {
      expect(() => encode(get(test, "input"), options)).toThrow();
      return;
    }
    expect(encode(get(test, "input"), options)).toBe(get(test, "expected"));
  });

  it.each(cases.filter((c) => c.category === "decode").map((c) => [c.id, c.test] as const))("%s", (_id, test) => {
    const options = decodeOptions(get(test, "options"));
    const text = get(test, "input") as string;
    if (get(test, "shouldError") === true) {
      expect(() => decode(text, options)).toThrow(KTOFDecodeError);
      return;
    }
    const got = decode(text, { ...options, exact: true });
    expect(sameJsonModel(got, get(test, "expected")), `decode ${JSON.stringify(text)}`).toBe(true);
  });
});
