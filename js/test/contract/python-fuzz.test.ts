/**
 * Differential fuzzing beyond the committed corpus: Python's Hypothesis strategies for the KTOF
 * tests (python/tests/ktof/strategies.py: nasty strings and keys, floats, near-uniform rows,
 * keyed objects, ...) generate values (derandomized, so every run sees the same ones), Python
 * encodes them in every mode and option set, and TypeScript must write the same bytes and read
 * them back to Python's value. Runs the Python SDK as a subprocess (KAIZEN_PYTHON or the
 * repository's .venv; skipped, saying why, when neither exists or Hypothesis is missing).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decode, encode, parseJsonDocument } from "../../src/ktof/index.js";
import { REPO_ROOT, encodeOptions, get, sameExact } from "./helpers.js";

const venv = join(REPO_ROOT, ".venv", "bin", "python");
const python = process.env.KAIZEN_PYTHON ?? (existsSync(venv) ? venv : undefined);
const EXAMPLES = 1500;

const GENERATE = `
import json, sys, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, sys.argv[1])
from hypothesis import HealthCheck, given, settings, strategies as st
from ktof import strategies as S
from kaizen_client.ktof import decode, encode
OPTIONS = [{}, {"mode": "toon"}, {"delimiter": "\\t"}, {"delimiter": "|", "indentSize": 4}, {"model": "gpt-4"}]
values = st.one_of(S.json_values(), S.uniform_rows(), S.keyed_objects(), S.nearly_uniform_rows(),
                   S.float_and_optional_rows(), S.nearly_keyed_objects())
docs = []
@settings(max_examples=int(sys.argv[2]), derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(values, st.sampled_from(OPTIONS))
def collect(value, options):
    kwargs = {"mode": options.get("mode", "auto"), "model": options.get("model", "gpt-4o"),
              "delimiter": options.get("delimiter", ","), "indent": options.get("indentSize", 2)}
    try:
        text = encode(value, **kwargs)
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError:
        return  # not encodable (NaN, lone surrogates): the error paths are tested per SDK
    docs.append({"input": value, "options": options, "expected": text,
                 "decoded": decode(text, indent=kwargs["indent"])})
collect()
sys.stdout.write(json.dumps(docs, ensure_ascii=False))
`;

function hypothesisAvailable(): boolean {
  if (python === undefined) return false;
  try {
    execFileSync(python, ["-c", "import hypothesis, kaizen_client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const available = hypothesisAvailable();

describe.skipIf(!available)(`Python-generated fuzz values (${available ? "Hypothesis" : "needs KAIZEN_PYTHON with hypothesis"})`, () => {
  it(`TypeScript writes Python's bytes for ${EXAMPLES} derandomized Hypothesis values`, () => {
    const out = execFileSync(python as string, ["-c", GENERATE, join(REPO_ROOT, "python", "tests"), String(EXAMPLES)], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const docs = parseJsonDocument(out, { exact: true }) as unknown[];
    expect(docs.length).toBeGreaterThan(EXAMPLES / 2);
    const mismatches: string[] = [];
    for (const doc of docs) {
      const options = encodeOptions(get(doc, "options"));
      const expected = get(doc, "expected") as string;
      let got: string;
      try {
        got = encode(get(doc, "input"), options);
      } catch (exc) {
        got = `<threw ${String(exc)}>`;
      }
      let decodedOk: boolean;
      try {
        decodedOk = sameExact(decode(expected, { indent: options.indent, exact: true }), get(doc, "decoded"));
      } catch {
        decodedOk = false;
      }
      if (got !== expected || !decodedOk) {
        mismatches.push(`${JSON.stringify(options)}\n  python: ${JSON.stringify(expected)}\n  ts:     ${JSON.stringify(got)}`);
      }
    }
    expect(mismatches.slice(0, 5).join("\n"), `${mismatches.length} of ${docs.length} differ`).toBe("");
  });
});
