"""Regenerate shared/fixtures/ktof/*.json, the KTOF contract vectors.

The inputs below are hand-picked so that each KTOF construct (docs/ktof.md §2-§3) appears; the
expected texts come from the encoder and were reviewed by hand when committed. Re-run only after a
deliberate format change, then review the diff: ``python python/scripts/make_ktof_vectors.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kaizen_client.ktof import decode, encode

OUT = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "ktof"

ORDERS = [
    {
        "id": 1,
        "customer": {"name": "Ada", "city": "Oslo"},
        "items": [{"sku": "A1", "qty": 2}],
        "coupon": "X10",
        "total": 24.5,
    },
    {"id": 2, "customer": {"name": "Bob", "city": "Rome"}, "items": [], "total": 9.0},
    {
        "id": 3,
        "customer": {"name": "Cy", "city": "Lima"},
        "items": [{"sku": "B2", "qty": 1}, {"sku": "C3", "qty": 4}],
        "coupon": None,
        "total": 31.25,
    },
    {
        "id": 4,
        "customer": {"name": "Dee", "city": "Kyiv"},
        "items": [{"sku": "A1", "qty": 1}],
        "total": 12.0,
    },
]

ENCODE: list[tuple[str, Any, dict[str, Any], str]] = [
    (
        "floats stay floats, ints stay ints",
        {
            "price": 3.0,
            "qty": 3,
            "neg_zero": -0.0,
            "big": 12345678901234567890123,
            "tiny": 1e-07,
            "huge": 1e300,
            "round": 1e16,
        },
        {},
        "auto mode keeps Python types; no space before numbers",
    ),
    (
        "uniform records at the root as an unindented table",
        [
            {"id": i, "name": n, "active": i % 2 == 0, "score": s}
            for i, n, s in [(1, "Ada", 9.5), (2, "Bob", 7.25), (3, "Cy", 8.0), (4, "Dee", 6.75)]
        ],
        {},
        "header without ':' and rows at column 0 (§3.5): a token per row cheaper",
    ),
    (
        "a table one level down keeps TOON's indented rows",
        {
            "page": {
                "items": [
                    {"id": i, "name": n, "active": i % 2 == 0, "score": s}
                    for i, n, s in [(1, "Ada", 9.5), (2, "Bob", 7.25), (3, "Cy", 8.0)]
                ],
                "next": None,
            }
        },
        {},
        "valid TOON 4.0: deeper down, indentation costs a token whatever its width",
    ),
    (
        "unindented table under a root field, then another field",
        {
            "events": [
                {"ts": f"2025-01-0{i}T08:00:00Z", "kind": k, "n": i}
                for i, k in [(1, "open"), (2, "close"), (3, "open"), (4, "open")]
            ],
            "next": "c2",
        },
        {},
        "a first cell with a colon is quoted here, so no row looks like a key: line",
    ),
    (
        "keyed table under a root field keeps indented rows",
        {
            "models": {
                name: {"ctx": ctx, "mode": "chat"}
                for name, ctx in [("a1", 8000), ("b2", 16000), ("c3", 32000), ("d4", 64000)]
            },
            "count": 4,
        },
        {},
        "entry rows at column 0 would look like the fields after them",
    ),
    (
        "optional first column",
        [
            {"alias": "ada", "id": 1, "name": "Ada"},
            {"id": 2, "name": "Bob"},
            {"alias": "cy", "id": 3, "name": "Cy"},
            {"id": 4, "name": "Dee"},
        ],
        {},
        "a row may start with the delimiter (the first cell is absent)",
    ),
    (
        "float column",
        [
            {"id": 1, "rating": 4.0, "price": 12.0, "weight": 0.5},
            {"id": 2, "rating": 3.5, "price": 8.0, "weight": 1.25},
            {"id": 3, "rating": 5.0, "price": -0.0, "weight": 2.0},
            {"id": 4, "rating": 2.0, "price": 1e20, "weight": None},
        ],
        {},
        "name(float): whole floats written as 4, read back as 4.0; a column needs two of them",
    ),
    (
        "nested table column",
        [
            {
                "country": name,
                "code": name[:2].upper(),
                "regions": [
                    {"name": f"{name} {part}", "code": f"{name[:2].upper()}-{part[0]}"}
                    for part in ("North", "South", "East", "West")[:size]
                ],
            }
            for name, size in (("Aland", 2), ("Benin", 4), ("Chad", 0), ("Dominica", 3))
        ],
        {},
        "name[]{fields}: the cell is [N], the N sub-rows follow one level deeper (§3.7)",
    ),
    (
        "nested table column in a keyed table, optional",
        {
            "orders": {
                f"o{i}": {
                    "total": 10 * i,
                    **(
                        {"lines": [{"sku": f"S{i}{j}", "qty": j + 1} for j in range(3)]}
                        if i % 3
                        else {}
                    ),
                }
                for i in range(1, 6)
            },
            "count": 5,
        },
        {},
        "keyed rows carry their sub-rows one level below the entry row; ? = absent",
    ),
    (
        "no space before a string value that starts with a digit",
        {"created_at": "2017-10-10T16:00:00Z", "sha": "0a1b2c", "state": "open", "n": 2},
        {},
        "key:2017-10-10T16:00:00Z (TOON trims the space either way)",
    ),
    (
        "relaxed quoting by position",
        [
            {
                "ts": f"2025-01-0{i}T08:00:00Z",
                "url": f"https://x.test/a?b={i},c",
                "zip": f"0213{i}",
                "code": str(40 + i),
                "flag": "true" if i % 2 else "no",
                "note": f'say "{i}"',
            }
            for i in range(1, 5)
        ],
        {},
        "colons stay bare after the first cell; numbers-as-strings, literals and quotes are quoted",
    ),
    (
        "table with nested group, JSON column and optional column",
        ORDERS,
        {},
        "items[] holds JSON cells, coupon? may be absent (empty cell)",
    ),
    (
        "keyed table of uniform objects",
        {
            name: {"age": age, "city": city, "role": role}
            for name, age, city, role in [
                ("alice", 30, "Berlin", "admin"),
                ("bob", 25, "Oslo", "user"),
                ("cy", 41, "Rome", "user"),
                ("dee", 38, "Lima", "owner"),
            ]
        },
        {},
        "entry rows without a space before a number",
    ),
    (
        "JSON-valued field for arrays of arrays",
        {
            "name": "cfg",
            "matrix": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
            "version": 3,
            "owner": "ops",
            "enabled": True,
        },
        {},
        "key[]: <JSON>",
    ),
    (
        "flow values: bare keys and strings where unambiguous",
        {
            "name": "cfg",
            "compilerOptions": {
                "lib": ["es2023"],
                "strict": True,
                "quoted": ["", " pad", "a,b", "x:y", "[1]", 'say "hi"', "back\\slash"],
                "typed": ["true", "null", "3", "-1.5", "1e5", "02134", "+1", "-"],
                "": {"a b": [1.0, None, {}]},
            },
        },
        {},
        'only what would misread is quoted: , [ ] { } " \\ (and : in keys), end spaces, '
        "literals and numbers",
    ),
    ("root array of arrays is JSON", [[1, 2], [3, [4]], []], {}, "root JSON array"),
    (
        "JSON fields inside a small irregular object",
        {"a": [[1]], "b": {"c": [{}]}},
        {},
        "key[]: <JSON> at two depths",
    ),
    ("backspace and form feed use JSON escapes", {"s": "a\bb\fc", "t": "tab\there"}, {}, ""),
    ("empty object is the empty document", {}, {}, ""),
    ("empty array", [], {}, ""),
    ("root string needing quotes", "key: value", {}, ""),
    ("root string bare", "hello world", {}, ""),
    (
        "toon mode is canonical TOON",
        {"price": 3.0, "tags": ["a", "b"], "n": -0.0},
        {"mode": "toon"},
        "3.0 -> 3, -0.0 -> 0 per TOON §2",
    ),
    ("cl100k model", ORDERS[:2], {"model": "gpt-4"}, "choice is per tokenizer"),
    (
        "pipe delimiter",
        [{"a": "x,y", "b": 1}, {"a": "z", "b": 2}, {"a": "w", "b": 3}],
        {"delimiter": "|"},
        "commas need no quotes with a pipe delimiter",
    ),
]

DECODE: list[tuple[str, str, Any, dict[str, Any], str]] = [
    (
        "float and int tokens",
        "a:3.0\nb:3\nc:-0.0\nd:1e16\ne:12345678901234567890123",
        {"a": 3.0, "b": 3, "c": -0.0, "d": 1e16, "e": 12345678901234567890123},
        {},
        "",
    ),
    ("root JSON array", '[[1,2],{"a":null}]', [[1, 2], {"a": None}], {}, ""),
    (
        "root JSON object after one space",
        ' {"a":[1.5,{"b":"c"}]}',
        {"a": [1.5, {"b": "c"}]},
        {},
        "",
    ),
    (
        "unmarked JSON object is TOON",
        '{"a":1}',
        {'{"a"': "1}"},
        {},
        'TOON reads a key {"a" with the value 1}; KTOF does not change that',
    ),
    ("JSON field", 'm[]: {"x":[1,2],"y":"z"}\nn:1', {"m": {"x": [1, 2], "y": "z"}, "n": 1}, {}, ""),
    (
        "JSON field on a list item",
        "items[2]:\n  - cfg[]: [[1]]\n    id:1\n  - id:2",
        {"items": [{"cfg": [[1]], "id": 1}, {"id": 2}]},
        {},
        "",
    ),
    (
        "JSON and optional columns",
        't[3]{id,tags[]?,note?}:\n  1,["a","b, c"],hi\n  2,,\n  3,[],""',
        {
            "t": [
                {"id": 1, "tags": ["a", "b, c"], "note": "hi"},
                {"id": 2},
                {"id": 3, "tags": [], "note": ""},
            ]
        },
        {},
        "empty optional cell = absent",
    ),
    (
        "keyed table with JSON column",
        'm[2:]{v,w[]}:\n  a: 1,{"k":2}\n  b: 3,null',
        {"m": {"a": {"v": 1, "w": {"k": 2}}, "b": {"v": 3, "w": None}}},
        {},
        "",
    ),
    ("JSON escapes", 's: "a\\bb\\fc\\/d"', {"s": "a\bb\fc/d"}, {}, ""),
    (
        "flow value with bare keys and strings",
        'cfg[]: {lib:[es2023, es2022 ],n: 3,s:"3",k:{a b:x y},e:[]}',
        {"cfg": {"lib": ["es2023", "es2022"], "n": 3, "s": "3", "k": {"a b": "x y"}, "e": []}},
        {},
        "bare tokens are typed like TOON values and trimmed of spaces",
    ),
    (
        "flow cells",
        "t[2]{id,tags[]}\n1,[a,b c]\n2,{k:null,u:https://x.test/a}",
        {
            "t": [
                {"id": 1, "tags": ["a", "b c"]},
                {"id": 2, "tags": {"k": None, "u": "https://x.test/a"}},
            ]
        },
        {},
        "",
    ),
    (
        "relaxed values",
        "ts: 2025-01-06T08:00:00Z\nu: a,b:c\nz: 02134",
        {"ts": "2025-01-06T08:00:00Z", "u": "a,b:c", "z": "02134"},
        {},
        "valid TOON too",
    ),
    (
        "unindented table, then more fields",
        "rows[2]{a,b}\n1,x\n2,y\nn:1",
        {"rows": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}], "n": 1},
        {},
        "exactly [N] rows at the header's depth",
    ),
    (
        "unindented keyed table",
        "m[2:]{v,w}\na: 1,x\nb: 2,y\nk: z",
        {"m": {"a": {"v": 1, "w": "x"}, "b": {"v": 2, "w": "y"}}, "k": "z"},
        {},
        "",
    ),
    (
        "optional first column",
        "t[3]{a?,b}:\n  ,1\n  x,2\n  ,3",
        {"t": [{"b": 1}, {"a": "x", "b": 2}, {"b": 3}]},
        {},
        "",
    ),
    (
        "float column",
        "[4]{id,r(float)?}\n1,2\n2,\n3,-0\n4,null",
        [{"id": 1, "r": 2.0}, {"id": 2}, {"id": 3, "r": -0.0}, {"id": 4, "r": None}],
        {},
        "number cells are floats; other values read as usual",
    ),
    (
        "nested table column",
        "[3]{id,items[]{sku,qty(float)?},n}\n1,[2],5\n  A1,2\n  B2,\n2,[0],6\n3,[1],7\n  C3,1.5",
        [
            {"id": 1, "items": [{"sku": "A1", "qty": 2.0}, {"sku": "B2"}], "n": 5},
            {"id": 2, "items": [], "n": 6},
            {"id": 3, "items": [{"sku": "C3", "qty": 1.5}], "n": 7},
        ],
        {},
        "sub-rows one level below the row, read against the column's own fields",
    ),
    (
        "a row with every cell absent",
        "[2]{x?,y?}\n1,2\n,",
        [{"x": 1, "y": 2}, {}],
        {},
        "an empty object (was an internal sentinel before)",
    ),
    (
        "nested table column under a field, keyed",
        "m[2:]{items[]{sku}?}:\n  a: [1]\n    x\n  b:\nk: 1",
        {"m": {"a": {"items": [{"sku": "x"}]}, "b": {}}, "k": 1},
        {},
        "",
    ),
    (
        "key[] with non-JSON in non-strict mode is a literal key",
        "key[]: 1,2",
        {"key[]": "1,2"},
        {"strict": False},
        "TOON fixture behaviour preserved",
    ),
]

ERRORS: list[tuple[str, str, dict[str, Any], str]] = [
    ("key[] with non-JSON in strict mode", "key[]: 1,2", {}, "TOON strict error kept"),
    ("invalid JSON in a JSON field", 'm[]: {"a":}', {}, ""),
    ("bare flow value with a quote", 'm[]: {a:b"c}', {}, "a bare value cannot hold '\"'"),
    ("flow object without a key", "m[]: {:1}", {}, ""),
    ("duplicate flow key in strict mode", "m[]: {a:1,a:2}", {}, ""),
    ("invalid JSON cell", "t[1]{a,b[]}:\n  1,[1,", {}, ""),
    ("too few cells in a marked table", "t[1]{a,b?,c}:\n  1,2", {}, ""),
    ("row count mismatch in a marked table", "t[2]{a,b[]}:\n  1,[]", {}, ""),
    ("out-of-range float", "a:1e400", {}, "never decodes to inf"),
    ("root object JSON that is not JSON", ' {"a":', {}, ""),
    ("unindented table with too few rows", "t[3]{a,b}\n1,2\n2,3", {}, ""),
    ("unindented table followed by deeper line", "t[1]{a}\n1\n  x: 2", {}, ""),
    ("unindented header without rows", "t[0]{a}", {}, "an unindented header needs N >= 1"),
    ("float cell out of range", "[1]{a(float)}\n1e400", {}, ""),
    ("table cell without a count", "[1]{a[]{b}}\n3", {}, "a table column's cell is [N]"),
    ("too few sub-rows", "[1]{a[]{b}}\n[2]\n  1", {}, ""),
    ("too many sub-rows", "[1]{a[]{b}}\n[1]\n  1\n  2", {}, ""),
    ("two table columns", "[1]{a[]{b},c[]{d}}\n[0],[0]", {}, "at most one per header"),
    ("table column inside a field group", "[1]{a{b[]{c}}}\n[0]", {}, ""),
]


def _encode_file() -> dict[str, Any]:
    tests = []
    for name, value, options, note in ENCODE:
        kwargs: dict[str, Any] = {}
        if "mode" in options:
            kwargs["mode"] = options["mode"]
        if "model" in options:
            kwargs["model"] = options["model"]
        if "delimiter" in options:
            kwargs["delimiter"] = options["delimiter"]
        text = encode(value, **kwargs)
        if options.get("mode", "auto") == "auto":
            assert json.dumps(decode(text)) == json.dumps(value), name
        tests.append(
            {"name": name, "input": value, "expected": text, "options": options, "note": note}
        )
    return {
        "version": "ktof-1",
        "category": "encode",
        "description": "KTOF auto mode (and toon mode) encoder output",
        "tests": tests,
    }


def _decode_file() -> dict[str, Any]:
    tests: list[dict[str, Any]] = []
    for name, text, expected, options, note in DECODE:
        got = decode(text, strict=options.get("strict", True))
        assert json.dumps(got) == json.dumps(expected), (name, got)
        tests.append(
            {"name": name, "input": text, "expected": expected, "options": options, "note": note}
        )
    for name, text, options, note in ERRORS:
        try:
            decode(text, **options)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{name}: no error")
        tests.append(
            {
                "name": name,
                "input": text,
                "expected": None,
                "shouldError": True,
                "options": options,
                "note": note,
            }
        )
    return {
        "version": "ktof-1",
        "category": "decode",
        "description": "KTOF constructs and type-exact decoding",
        "tests": tests,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, payload in (("encode.json", _encode_file()), ("decode.json", _decode_file())):
        (OUT / name).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {OUT / name} ({len(payload['tests'])} vectors)")


if __name__ == "__main__":
    main()
