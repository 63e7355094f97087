/**
 * The TypeScript codec's own API: how JavaScript values map to KTOF's type-exact model (see
 * src/ktof/values.ts), errors with path/line, options. The byte-for-byte agreement with Python
 * is tested in test/contract.
 */
import { describe, expect, it } from "vitest";
import {
  KFloat,
  KTOFDecodeError,
  KTOFEncodeError,
  decode,
  encode,
  encodeCounted,
  parseJsonDocument,
  sameValue,
} from "../../src/ktof/index.js";
import { countTokens } from "../../src/tokens.js";

describe("numbers keep their JSON type", () => {
  it("writes safe integers as ints and everything else as floats", () => {
    const value = { int: 3, float: new KFloat(3), half: 0.5, negZero: -0, big: 12345678901234567890123n, huge: 1e300 };
    expect(encode(value)).toBe("int:3\nfloat:3.0\nhalf:0.5\nnegZero:-0.0\nbig:12345678901234567890123\nhuge:1e300");
  });

  it("decodes to plain numbers by default, like JSON.parse", () => {
    expect(decode("a:3.0\nb:12345678901234567890123")).toEqual({ a: 3, b: Number("12345678901234567890123") });
  });

  it("decodes type-exactly with exact: true, so encode(decode(x)) is x", () => {
    const text = "a:3.0\nb:12345678901234567890123\nc:-0.0\nd:1e16\ne:9007199254740991";
    const value = decode(text, { exact: true }) as Record<string, unknown>;
    expect(value.a).toBeInstanceOf(KFloat);
    expect(value.b).toBe(12345678901234567890123n);
    expect(Object.is(value.c, -0)).toBe(true);
    expect(value.d).toBe(1e16);
    expect(value.e).toBe(9007199254740991);
    expect(encode(value)).toBe(text);
  });

  it("writes TOON's canonical numbers in toon mode", () => {
    expect(encode([new KFloat(3), -0, 1e-7, 1e21, 0.000015, 1.2345678901234568e20], { mode: "toon" })).toBe(
      "[6]: 3,0,1e-7,1e21,0.000015,123456789012345683968", // the float's exact integer, as Python writes it
    );
  });
});

describe("key order", () => {
  it("keeps a Map's order, which a plain object cannot for integer-like keys", () => {
    const map = new Map<string, unknown>([["b", 1], ["2", 2], ["a", 3]]);
    const text = encode(map);
    expect(text).toBe("b:1\n2:2\na:3");
    const back = decode(text, { exact: true });
    expect(back).toBeInstanceOf(Map);
    expect([...(back as Map<string, unknown>).keys()]).toEqual(["b", "2", "a"]);
    expect(decode(text)).toEqual({ 2: 2, b: 1, a: 3 });
  });

  it("returns plain objects when their order survives, and keeps __proto__ an own key", () => {
    const back = decode('"__proto__":1\nx:2', { exact: true }) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(["__proto__", "x"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });
});

describe("errors name the path or the line", () => {
  it("rejects non-JSON values with their path", () => {
    const error = (() => {
      try {
        encode({ orders: [{ id: 1 }, { id: 2, created: new Date(0) }] });
      } catch (exc) {
        return exc;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(KTOFEncodeError);
    expect((error as KTOFEncodeError).path).toBe("$.orders[1].created");
  });

  it("converts with default, as json.dumps does", () => {
    expect(encode({ when: new Date(0) }, { default: (v) => (v as Date).toISOString() })).toBe(
      "when:1970-01-01T00:00:00.000Z", // no space before a digit: it would cost a token
    );
  });

  it("rejects NaN in auto mode and writes null in toon mode", () => {
    expect(() => encode({ x: NaN })).toThrow(KTOFEncodeError);
    expect(encode({ x: NaN }, { mode: "toon" })).toBe("x: null");
  });

  it("rejects lone surrogates, deep nesting and bad options", () => {
    expect(() => encode({ a: ["ok", "\ud800"] })).toThrow(/\$\.a\[1\]: lone surrogate/);
    let deep: unknown = 1;
    for (let i = 0; i < 201; i++) deep = [deep];
    expect(() => encode(deep)).toThrow(/nesting deeper than 200/);
    expect(() => encode(1, { delimiter: ";" })).toThrow(KTOFEncodeError);
    expect(() => encode(1, { indent: 0 })).toThrow(KTOFEncodeError);
  });

  it("reports the line of a decode error", () => {
    try {
      decode("a[2]:\n  - 1\nb: 2\nc[3]: 1,2");
      expect.unreachable();
    } catch (exc) {
      expect(exc).toBeInstanceOf(KTOFDecodeError);
      expect((exc as KTOFDecodeError).line).toBe(1);
      expect((exc as KTOFDecodeError).msg).toBe("declared 2 items, found 1");
    }
  });

  it("decodes UTF-8 bytes and names the line of invalid UTF-8", () => {
    expect(decode(new TextEncoder().encode("\ufeffa: é"))).toEqual({ a: "é" });
    expect(() => decode(new Uint8Array([0x61, 0x3a, 0x31, 0x0a, 0x62, 0x3a, 0xff]))).toThrow(/line 2: invalid UTF-8 at byte 6/);
  });
});

describe("options", () => {
  const rows = [1, 2, 3, 4].map((id) => ({ id, name: `n${id}`, tags: id % 2 ? ["a"] : [] }));

  it("uses the delimiter and indent asked for, and decodes with the same indent", () => {
    const text = encode({ rows }, { delimiter: "|", indent: 4 });
    // An unindented table under a root field (docs/ktof.md §3.5) with flow cells (§3.2).
    expect(text).toBe("rows[4|]{id|name|tags[]}\n1|n1|[a]\n2|n2|[]\n3|n3|[a]\n4|n4|[]");
    expect(sameValue(decode(text, { indent: 4, exact: true }), { rows })).toBe(true);
  });

  it("counts exactly what it writes", () => {
    for (const mode of ["auto", "toon"] as const) {
      const [text, tokens] = encodeCounted({ rows }, { mode, model: "gpt-4" });
      expect(tokens).toBe(countTokens(text, "gpt-4"));
    }
  });

  it("never costs more tokens than compact JSON", () => {
    const value = { a: [[1, 2], [3, [4]]], b: { c: 1 } };
    expect(countTokens(encode(value))).toBeLessThanOrEqual(countTokens(JSON.stringify(value)));
  });
});

describe("issue 16 constructs", () => {
  it("writes whole floats of a float column as digits and reads them back as floats", () => {
    const rows = [1, 2, 3].map((id) => ({ id, price: new KFloat(id * 10), rating: id === 3 ? 4.5 : new KFloat(4) }));
    const text = encode(rows);
    expect(text.split("\n")[0]).toBe("[3]{id,price(float),rating(float)}");
    expect(text.split("\n")[1]).toBe("1,10,4");
    const back = decode(text, { exact: true }) as Record<string, unknown>[];
    expect(back[0]?.price).toBeInstanceOf(KFloat);
    expect(sameValue(back, rows)).toBe(true);
  });

  it("reads flow values: JSON with bare keys and strings", () => {
    const value = decode("cfg[]: {lib:[es2023,dom],strict:true,url:http://x.test/a,n:1.0}", { exact: true });
    expect(sameValue(value, { cfg: { lib: ["es2023", "dom"], strict: true, url: "http://x.test/a", n: new KFloat(1) } })).toBe(
      true,
    );
    expect(() => decode("a[]: {x:[}")).toThrow(KTOFDecodeError);
  });
});

describe("nested table columns (docs/ktof.md §3.7)", () => {
  const rows = [1, 2, 3].map((i) => ({
    id: i,
    skins: [1, 2, 3].map((t) => ({ hexcode: `1F44${i}-${t}`, label: `tone ${t}` })),
  }));

  it("writes a column of lists of records as [N] cells with their rows below, and reads them back", () => {
    const text = encode({ e: { emoji: rows } });
    const lines = text.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "e:",
      "  emoji[3]{id,skins[]{hexcode,label}}:",
      "    1,[3]",
      "      1F441-1,tone 1",
      "      1F441-2,tone 2",
      "      1F441-3,tone 3",
    ]);
    expect(sameValue(decode(text, { exact: true }), { e: { emoji: rows } })).toBe(true);
    expect(sameValue(decode(encode(rows), { exact: true }), rows)).toBe(true);
  });

  it("reads sub-rows of keyed and unindented tables, an empty [0] and an absent optional cell", () => {
    expect(decode("[2:]{items[]{sku}?}\na: [2]\n  x\n  y\nb:")).toEqual({ a: { items: [{ sku: "x" }, { sku: "y" }] }, b: {} });
    expect(decode("t[2]{n,items[]{sku,qty}}\n1,[1]\n  x,2\n2,[0]\nk: 1")).toEqual({
      t: [
        { n: 1, items: [{ sku: "x", qty: 2 }] },
        { n: 2, items: [] },
      ],
      k: 1,
    });
  });

  it("rejects malformed table columns with the line to blame", () => {
    const cases: [string, number, string][] = [
      ["[1]{a[]{b}}\n3", 2, "expected a row count '[N]' in a table column, found '3'"],
      ["[1]{a[]{b}}\n[01]", 2, "expected a row count '[N]' in a table column, found '[01]'"],
      ["[1]{a[]{b}}\n[2]\n  1", 2, "declared 2 rows, found 1"],
      ["x[1]{a[]{b}}:\n  [1]\n  1", 2, "declared 1 rows, found 0"],
      ["[1]{a[]{b}}\n[1]\n  1\n  2", 4, "unexpected indentation"],
      ["[1]{a[]{b},c[]{d}}\n[0],[0]", 1, "a header holds at most one table column 'name[]{...}'"],
      ["[1]{g{a[]{b}}}\n[0]", 1, "a table column 'name[]{...}' must be a top-level field of its header"],
      ["[1]{a[]{b[]{c}}}\n[0]", 1, "a table column 'name[]{...}' must be a top-level field of its header"],
    ];
    for (const [text, line, msg] of cases) {
      try {
        decode(text);
        expect.unreachable(text);
      } catch (exc) {
        expect(exc, text).toBeInstanceOf(KTOFDecodeError);
        expect([(exc as KTOFDecodeError).line, (exc as KTOFDecodeError).msg], text).toEqual([line, msg]);
      }
    }
  });

  it("reads a marked row whose every cell is absent as an empty object", () => {
    for (const exact of [false, true]) {
      const value = decode("[2]{x?,y?}\n1,2\n,", { exact }) as unknown[];
      expect(value).toEqual([{ x: 1, y: 2 }, {}]);
      expect(typeof value[1]).toBe("object");
    }
    expect(decode("m[1:]{x?}:\n  a:")).toEqual({ m: { a: {} } });
  });
});

describe("lossless JSON reader", () => {
  it("keeps 3.0, big ints and key order", () => {
    const value = parseJsonDocument('{"b":3.0,"1":12345678901234567890,"x":[1.5,-0.0]}') as Map<string, unknown>;
    expect(value).toBeInstanceOf(Map);
    expect(encode(value)).toBe("b:3.0\n1:12345678901234567890\nx[2]:1.5,-0.0");
  });
});
