/** Unit tests of the engine's pieces: the source JSON reader, exactness, fragments, messages, cache. */
import { describe, expect, it } from "vitest";
import { KFloat } from "../../src/ktof/index.js";
import { LRUCache } from "../../src/engine/cache.js";
import { clearCache, compressMessages, compressText, parseJsonl, toJsonl } from "../../src/engine/index.js";
import { decimalKey, floatIsExact } from "../../src/engine/exact.js";
import { findFragments } from "../../src/engine/fragments.js";
import { rawDecode } from "../../src/engine/json.js";
import {
  JSON_MAX_DEPTH,
  JsonSyntaxError,
  JsonTooDeep,
  JsonValueError,
  parseJson,
  SOURCE_MAX_DEPTH,
} from "../../src/ktof/json.js";
import { parseRequestJson } from "../../src/service/json.js";
import { valueEqual } from "../../src/engine/equal.js";
import { cpuMs } from "../cpu.js";

const ROWS = Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.25, active: i % 2 === 0 }));
const PRETTY = JSON.stringify(ROWS, null, 2);

describe("rawDecode: Python's json.raw_decode, positions included", () => {
  // [text, Python's message or "ok", Python's pos or end], from CPython 3.11.
  const PYTHON: [string, string, number][] = [
    ['{"a":1,}', "Expecting property name enclosed in double quotes", 7],
    ["[1,2,]", "Expecting value", 5],
    ['{"a" 1}', "Expecting ':' delimiter", 5],
    ["[1 2]", "Expecting ',' delimiter", 3],
    ['"abc', "Unterminated string starting at", 0],
    ['{"a":"x\\q"}', "Invalid \\escape", 7],
    ["[1,\n2,x]", "Expecting value", 6],
    ["{1:2}", "Expecting property name enclosed in double quotes", 1],
    ["[-]", "Expecting value", 1],
    ["[01]", "Expecting ',' delimiter", 2],
    ['{"a": [1, 2', "Expecting ',' delimiter", 11],
    ["[1e5, 1.0, -0, 0.5]", "ok", 19],
    ['{"a":"\\ud83d\\ude00"}', "ok", 20],
    ["[tru]", "Expecting value", 1],
    ['{"k": "v\u0001"}', "Invalid control character at", 8],
  ];

  it.each(PYTHON)("%j", (text, message, pos) => {
    if (message === "ok") {
      expect(rawDecode(text, 0).end).toBe(pos);
      return;
    }
    try {
      rawDecode(text, 0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).msg).toBe(message);
      expect((error as JsonSyntaxError).pos).toBe(pos);
    }
  });

  it("builds type-exact values and notes what differs from the text", () => {
    const { value } = rawDecode('{"f": 1.0, "i": 1, "big": 12345678901234567890, "z": -0, "n": -0.0}', 0);
    const object = value as Record<string, unknown>;
    expect(object.f).toBeInstanceOf(KFloat);
    expect(object.i).toBe(1);
    expect(object.big).toBe(12345678901234567890n);
    expect(Object.is(object.z, 0)).toBe(true); // the int -0 is 0
    expect(Object.is(object.n, -0)).toBe(true); // the float -0.0 stays
    expect(rawDecode('{"b": 1, "2": 2}', 0).value).toBeInstanceOf(Map); // key order kept
    expect(rawDecode('{"a": 1, "a": 2}', 0).problem).toBe("duplicate_keys");
    expect(rawDecode("[0.123456789012345678]", 0).problem).toBe("not_lossless");
    expect(rawDecode("[NaN]", 0).problem).toBe("not_json");
    expect(rawDecode("[1.50, 1e5, 0.1]", 0).problem).toBeUndefined();
  });

  it("reads by Python's json.loads rules, not the codec's, on the one shared reader", () => {
    // Python keeps a lone surrogate escape and reads 1e400 as inf; KTOF rejects both.
    expect(rawDecode('"\\ud800"', 0).value).toBe("\ud800");
    expect(() => parseJson('"\\ud800"', 0)).toThrow(JsonValueError);
    expect(rawDecode("[1e400]", 0)).toEqual({ value: [Infinity], end: 7, problem: "not_lossless" });
    expect(() => parseJson("[1e400]", 0)).toThrow(JsonValueError);
    expect(() => parseJson("[NaN]", 0)).toThrow(JsonValueError);
    expect(() => rawDecode("[" + "1".repeat(4301) + "]", 0)).toThrow(JsonValueError);
  });

  it("keeps each caller's nesting limit", () => {
    const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);
    expect(rawDecode(nested(SOURCE_MAX_DEPTH), 0).end).toBe(2 * SOURCE_MAX_DEPTH);
    expect(() => rawDecode(nested(SOURCE_MAX_DEPTH + 1), 0)).toThrow(JsonTooDeep);
    expect(parseJson(nested(JSON_MAX_DEPTH), 0)[1]).toBe(2 * JSON_MAX_DEPTH);
    expect(() => parseJson(nested(JSON_MAX_DEPTH + 1), 0)).toThrow(JsonTooDeep);
    expect(JSON_MAX_DEPTH).toBeLessThan(SOURCE_MAX_DEPTH);
  });

  it("words request-body errors as the service answers them", () => {
    expect(() => parseRequestJson("[NaN]")).toThrow(/^Expecting value: char 1$/);
    expect(() => parseRequestJson('{"a": 1} x')).toThrow(/^Extra data: char 9$/);
    expect(() => parseRequestJson("[".repeat(SOURCE_MAX_DEPTH + 1))).toThrow(/^request body is nested too deeply$/);
    expect(parseRequestJson(' {"a": [1.0, "\\ud800"]} ')).toEqual({ a: [new KFloat(1), "\ud800"] });
  });
});

describe("exactness of float literals", () => {
  it("ignores formatting, catches lost digits and out-of-range values", () => {
    expect(decimalKey("0.0150")).toEqual([false, "15", -1]);
    expect(decimalKey("-1e5")).toEqual([true, "1", 6]);
    expect(floatIsExact("1.50", 1.5)).toBe(true);
    expect(floatIsExact("100000.0e0", 1e5)).toBe(true);
    expect(floatIsExact("-0.0e3", -0)).toBe(true);
    expect(floatIsExact("0.123456789012345678", Number("0.123456789012345678"))).toBe(false);
    expect(floatIsExact("1e400", Infinity)).toBe(false);
    expect(floatIsExact("1e-400", 0)).toBe(false);
    expect(floatIsExact("12345678901234567890.5", Number("12345678901234567890.5"))).toBe(false);
  });
});

describe("fragments", () => {
  it("finds whole, fenced, embedded and JSON-lines fragments", () => {
    expect(findFragments(PRETTY).map((f) => f.kind)).toEqual(["whole"]);
    expect(findFragments(ROWS.map((r) => JSON.stringify(r)).join("\n")).map((f) => f.kind)).toEqual(["jsonl"]);
    const mixed = `See ${JSON.stringify(ROWS[0])} and\n\`\`\`json\n${PRETTY}\n\`\`\`\n\`\`\`js\nconst x = ${PRETTY}\n\`\`\``;
    expect(findFragments(mixed).map((f) => [f.kind, f.label])).toEqual([
      ["embedded", ""],
      ["fenced", "json"],
    ]);
  });

  it("keeps a cut-off container whole as malformed, and prose that looks like JSON alone", () => {
    const cut = `result: ${PRETTY.slice(0, 200)}`;
    const [fragment] = findFragments(cut);
    expect(fragment).toMatchObject({ kind: "embedded", problem: "malformed", end: cut.length });
    expect(findFragments("See [the docs] and [1, 2, x] for {details}.")).toEqual([]);
  });

  it("stays linear on text full of openers (4x the text, not 16x the time)", () => {
    const unit = "see [t and {x and [1, 2 and ";
    const time = (n: number): number => {
      const text = unit.repeat(n);
      const start = cpuMs();
      for (let i = 0; i < 3; i++) findFragments(text);
      return cpuMs() - start;
    };
    time(500); // warm up
    // The best of three attempts: one can be inflated by a GC pause; a quadratic scan is slow
    // in all three.
    let lowest = Infinity;
    for (let attempt = 0; attempt < 3 && lowest >= 10; attempt++) {
      lowest = Math.min(lowest, time(8000) / Math.max(time(2000), 1));
    }
    expect(lowest).toBeLessThan(10);
  });
});

describe("compressMessages", () => {
  it("never mutates its input and shares what it did not change", () => {
    const messages = [
      { role: "system", content: "hi" },
      { role: "user", content: PRETTY },
      { role: "assistant", content: PRETTY },
    ];
    const before = JSON.stringify(messages);
    const { messages: out, report } = compressMessages(messages);
    expect(JSON.stringify(messages)).toBe(before);
    expect(out[0]).toBe(messages[0]);
    expect(out[2]).toBe(messages[2]);
    expect(out[1]).not.toBe(messages[1]);
    expect(report.fragments_compressed).toBe(1);
    expect(report.tokens_saved).toBe(report.tokens_before - report.tokens_after);
  });

  it("compressText reports under path text; JSON lines decode back to lines", () => {
    const lines = ROWS.map((r) => JSON.stringify(r)).join("\n");
    const { text, report } = compressText(lines);
    expect(report.fragments).toEqual([expect.objectContaining({ message_index: 0, path: "text", kind: "jsonl", action: "compressed" })]);
    expect(text).not.toBe(lines);
    expect(parseJsonl(lines)).toHaveLength(20);
    expect(toJsonl(parseJsonl(lines) ?? [])).toBe(lines);
  });

  it("serves repeats from the cache", () => {
    clearCache();
    const first = compressText(PRETTY);
    const second = compressText(PRETTY);
    expect(second).toEqual(first);
  });
});

describe("helpers", () => {
  it("LRU cache evicts the least recently used entry", () => {
    const cache = new LRUCache<number>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.put("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    cache.resize(0);
    expect(cache.size).toBe(0);
  });

  it("valueEqual is Python's ==: numbers by value, keys in any order", () => {
    expect(valueEqual({ a: 1, b: new KFloat(2) }, new Map<string, unknown>([["b", 2], ["a", 1n]]))).toBe(true);
    expect(valueEqual([1], [2])).toBe(false);
    expect(valueEqual({ a: "1" }, { a: 1 })).toBe(false);
  });
});
