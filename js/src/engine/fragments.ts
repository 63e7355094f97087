/**
 * Find the JSON inside a string: the whole string, JSON lines, fenced blocks, or JSON
 * embedded in prose. A line-by-line port of Python's `engine/fragments.py` (read its
 * docstring and `docs/engine.md` for the rules); detection only, nothing here encodes.
 *
 * Python's regular expressions and `str.strip` are mirrored exactly rather than with their
 * JavaScript look-alikes: Python's `\s` and `strip()` know `\x1c`-`\x1f` and `\x85` but not
 * U+FEFF, and its multi-line `^`/`$` break lines at `\n` only.
 */
import { JsonSyntaxError, JsonTooDeep, JsonValueError } from "../ktof/json.js";
import { rawDecode, type SourceProblem } from "./json.js";
import type { FragmentKind, FragmentReason } from "./report.js";

/** Embedded objects/arrays shorter than this (`[1]`, `{}`) are prose, not data. */
export const MIN_EMBEDDED_CHARS = 24;
/** A single line of JSON is ordinary JSON (`whole`), not JSON lines. */
export const MIN_JSONL_LINES = 2;

const SCAN_BUDGET_FACTOR = 8;
const SCAN_BUDGET_FLOOR = 4096;
const RECURSION_COST = 1024;

/** Python's `str.isspace()` set, which its `\s` and `strip()` use. */
const PY_WS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const OPENER = new RegExp(`\\{[${PY_WS}]*["}]|\\[[${PY_WS}]*[\\[{"\\-0-9tfn\\]]`, "g");
const OPENER_AT_START = new RegExp(`^(?:\\{[${PY_WS}]*["}]|\\[[${PY_WS}]*[\\[{"\\-0-9tfn\\]])`);
const LEADING_WS = new RegExp(`^[${PY_WS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WS}]+$`);
/** A JSON string (to skip) or a bracket (to count). */
const STRING_OR_BRACKET = /"(?:[^"\\\n]|\\[^\n])*"|[[\]{}]/g;

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(LEADING_WS, "").replace(TRAILING_WS, "");
}

function pyLstripLength(text: string): number {
  const match = LEADING_WS.exec(text);
  return match === null ? 0 : match[0].length;
}

/** A fragment of `kind` occupying `text.slice(start, end)`; see Python's `Fragment`. */
export interface Fragment {
  kind: FragmentKind;
  start: number;
  end: number;
  /** The JSON itself (the fence body for fenced blocks). */
  jsonText: string;
  /** The parsed value when `parsed`. */
  value: unknown;
  parsed: boolean;
  /** The fence's info word (fenced only). */
  label: string;
  /** Set when the fragment must be kept as it is, and says why. */
  problem: FragmentReason | undefined;
}

function fragment(
  kind: FragmentKind,
  start: number,
  end: number,
  jsonText: string,
  value: unknown,
  problem: FragmentReason | undefined,
  label = "",
): Fragment {
  if (problem !== undefined) return { kind, start, end, jsonText, value: undefined, parsed: false, label, problem };
  return { kind, start, end, jsonText, value, parsed: true, label, problem: undefined };
}

interface Parsed {
  ok: boolean;
  value: unknown;
  problem: FragmentReason | undefined;
}

/** Python's `except (ValueError, RecursionError)`: nested too deeply, or an integer beyond int()'s limit. */
function tooDeep(error: unknown): boolean {
  return error instanceof JsonTooDeep || error instanceof JsonValueError;
}

/** Parse all of `text` (surrounding whitespace allowed): Python's `_SourceParser.parse`. */
function parseWhole(text: string): Parsed {
  const begin = pyLstripLength(text);
  let decoded;
  try {
    decoded = rawDecode(text, begin);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const reason: FragmentReason = error.pos - begin >= MIN_EMBEDDED_CHARS ? "malformed" : "not_json";
      return { ok: false, value: undefined, problem: reason };
    }
    if (tooDeep(error)) return { ok: false, value: undefined, problem: "not_json" };
    throw error;
  }
  if (pyStrip(text.slice(decoded.end)) !== "") return { ok: false, value: undefined, problem: "not_json" };
  return { ok: true, value: decoded.value, problem: decoded.problem satisfies SourceProblem | undefined };
}

/** Where the container opening at `text[start]` closes (exclusive), or `end`. */
export function containerEnd(text: string, start: number, end: number): number {
  // A JSON string holds no newline and `end` is a fence's line start or the text's end, so
  // no token found on the whole text crosses `end`: no copy of text[:end] is needed.
  STRING_OR_BRACKET.lastIndex = start;
  let depth = 0;
  for (let match = STRING_OR_BRACKET.exec(text); match !== null; match = STRING_OR_BRACKET.exec(text)) {
    if (match.index >= end) break;
    const token = match[0];
    if (token === "[" || token === "{") depth++;
    else if (token === "]" || token === "}") {
      depth--;
      if (depth === 0) return match.index + 1;
    }
  }
  return end;
}

/** Starts like a JSON object/array and ends like one: `[Note] ...]` does not. */
function looksLikeContainer(text: string): boolean {
  const stripped = pyStrip(text);
  const last = stripped.at(-1);
  return stripped.length >= 2 && (last === "}" || last === "]") && OPENER_AT_START.test(stripped);
}

/**
 * All fragments of `text` in order, non-overlapping; empty when there is no JSON.
 * `jsonl: false` turns JSON-lines detection off.
 */
export function findFragments(text: string, jsonl = true): Fragment[] {
  if (text === "") return [];
  const wholeCandidate = looksLikeContainer(text);
  if (wholeCandidate) {
    const { ok, value, problem } = parseWhole(text);
    if (ok || problem === "malformed") return [fragment("whole", 0, text.length, text, value, problem)];
    if (jsonl && pyStrip(text).includes("\n")) {
      const lines = jsonLines(text);
      if (lines !== undefined) return [lines];
    }
  }
  const fragments: Fragment[] = [];
  let cursor = 0;
  for (const fence of fences(text)) {
    fragments.push(...embedded(text, cursor, fence.start));
    const found = fenced(text, fence);
    if (found !== undefined) fragments.push(found);
    cursor = fence.end;
  }
  fragments.push(...embedded(text, cursor, text.length));
  if (fragments.length === 0 && wholeCandidate) {
    return [fragment("whole", 0, text.length, text, undefined, "not_json")];
  }
  const only = fragments[0];
  if (fragments.length === 1 && only !== undefined && only.kind === "embedded" && only.problem !== undefined) {
    if (pyStrip(text.slice(0, only.start)) === "" && pyStrip(text.slice(only.end)) === "") {
      return [fragment("whole", 0, text.length, text, undefined, only.problem)];
    }
  }
  return fragments;
}

/** The `jsonl` fragment of `text` when every non-blank line is an object/array. */
function jsonLines(text: string): Fragment | undefined {
  const records: unknown[] = [];
  let problem: FragmentReason | undefined;
  for (const line of text.split("\n")) {
    const stripped = pyStrip(line);
    if (stripped === "") continue;
    if (stripped[0] !== "{" && stripped[0] !== "[") return undefined;
    const parsed = parseWhole(stripped);
    if (!parsed.ok) return undefined;
    problem ??= parsed.problem;
    records.push(parsed.value);
  }
  if (records.length < MIN_JSONL_LINES) return undefined;
  return fragment("jsonl", 0, text.length, text, records, problem);
}

interface Fence {
  start: number;
  end: number;
  bodyStart: number;
  bodyEnd: number;
  label: string;
}

/** A fence line: three backticks at a line start, not four, then an info string without backticks. */
function fenceInfo(line: string): string | undefined {
  if (!line.startsWith("```") || line[3] === "`") return undefined;
  const info = line.slice(3).replace(/^[ \t]*/, "");
  return info.includes("`") ? undefined : info;
}

/** Each closed fenced block: `(start, end, bodyStart, bodyEnd, label)`. */
function fences(text: string): Fence[] {
  if (!text.includes("```")) return [];
  const found: Fence[] = [];
  let opening: { start: number; end: number; info: string } | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const info = fenceInfo(text.slice(lineStart, lineEnd));
    if (info !== undefined) {
      if (opening === undefined) {
        opening = { start: lineStart, end: lineEnd, info };
      } else if (pyStrip(info) === "") {
        const words = pyStrip(opening.info).split(new RegExp(`[${PY_WS}]+`)).filter((w) => w !== "");
        const label = (words[0] ?? "").toLowerCase();
        const bodyStart = opening.end + 1;
        const bodyEnd = Math.max(bodyStart, lineStart - 1);
        found.push({ start: opening.start, end: lineEnd, bodyStart, bodyEnd, label });
        opening = undefined;
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return found;
}

/** The fragment of one fenced block, or undefined when the block is not JSON. */
function fenced(text: string, fence: Fence): Fragment | undefined {
  if (fence.label !== "json" && fence.label !== "") return undefined;
  const body = text.slice(fence.bodyStart, fence.bodyEnd);
  if (fence.label === "" && !looksLikeContainer(body)) return undefined;
  const { ok, value, problem } = parseWhole(body);
  if (!ok && fence.label === "" && problem !== "malformed") return undefined;
  return fragment("fenced", fence.start, fence.end, body, value, problem, fence.label);
}

/** Outermost JSON objects/arrays in `text.slice(start, end)`, within a linear work budget. */
function embedded(text: string, start: number, end: number): Fragment[] {
  if (end - start < MIN_EMBEDDED_CHARS) return [];
  const found: Fragment[] = [];
  let budget = SCAN_BUDGET_FACTOR * (end - start) + SCAN_BUDGET_FLOOR;
  let pos = start;
  while (budget > 0) {
    OPENER.lastIndex = pos;
    const match = OPENER.exec(text);
    // Python searches text[:end]: an opener running past `end` is no match (nothing after it can be one).
    if (match === null || match.index + match[0].length > end) break;
    const begin = match.index;
    let decoded;
    try {
      decoded = rawDecode(text, begin);
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        const consumed = error.pos - begin;
        budget -= Math.max(1, consumed);
        if (consumed < MIN_EMBEDDED_CHARS) {
          pos = begin + 1; // prose that merely starts like JSON
          continue;
        }
        // JSON that breaks off: keep the whole broken container, extract nothing inside.
        const stop = containerEnd(text, begin, end);
        budget -= stop - begin;
        found.push(fragment("embedded", begin, stop, text.slice(begin, stop), undefined, "malformed"));
        pos = stop;
        continue;
      }
      if (!tooDeep(error)) throw error;
      const stop = containerEnd(text, begin, end);
      budget -= RECURSION_COST + stop - begin;
      if (stop - begin < MIN_EMBEDDED_CHARS) {
        pos = begin + 1;
        continue;
      }
      found.push(fragment("embedded", begin, stop, text.slice(begin, stop), undefined, "malformed"));
      pos = stop;
      continue;
    }
    const stop = decoded.end;
    if (stop > end) {
      // Ran into a fence: not a fragment of this segment.
      budget -= stop - begin;
      pos = begin + 1;
      continue;
    }
    if (stop - begin >= MIN_EMBEDDED_CHARS) {
      found.push(fragment("embedded", begin, stop, text.slice(begin, stop), decoded.value, decoded.problem));
    }
    pos = stop;
  }
  return found;
}
