/**
 * The engine's reading of JSON inside text: the codec's reader (`ktof/json.ts`, a port of
 * Python's `raw_decode` that says where a value ends and where a broken one stopped) with
 * Python's `json.loads` rules, type-exact values, and the notes this module turns into what
 * makes a value differ from its text (Python's `_SourceParser._problem`): `NaN`/`Infinity`,
 * duplicate keys, float literals that do not survive the trip (`exact.ts`).
 */
import { scanJson, SOURCE_MAX_DEPTH, type JsonOptions } from "../ktof/json.js";
import { floatIsExact } from "./exact.js";

/** What makes a parsed value differ from its text (Python's `_SourceParser._problem`). */
export type SourceProblem = "not_json" | "duplicate_keys" | "not_lossless";

export interface Decoded {
  value: unknown;
  /** Index just past the value. */
  end: number;
  problem: SourceProblem | undefined;
}

const SOURCE_JSON: JsonOptions = {
  exact: true,
  rules: "python",
  constants: "parse",
  maxDepth: SOURCE_MAX_DEPTH,
  floatIsExact,
};

/**
 * The JSON value starting exactly at `text[start]` (Python's `raw_decode`), where it ends and
 * what makes it differ from its text. Throws the codec's `JsonSyntaxError` (with `pos`),
 * `JsonTooDeep`, or `JsonValueError` (an integer past Python's digit limit); Python's engine
 * treats the last two alike (`except (ValueError, RecursionError)`).
 */
export function rawDecode(text: string, start: number): Decoded {
  const scan = scanJson(text, start, SOURCE_JSON);
  let problem: SourceProblem | undefined;
  if (scan.constants > 0) problem = "not_json";
  else if (scan.duplicates > 0) problem = "duplicate_keys";
  else if (scan.inexactFloats > 0) problem = "not_lossless";
  return { value: scan.value, end: scan.end, problem };
}
