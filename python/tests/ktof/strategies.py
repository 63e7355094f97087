"""Hypothesis strategies for KTOF/TOON tests: JSON values built from the hard cases.

The string and key strategies favour the inputs that break line-oriented formats: empty and
whitespace-only strings, literals (``true``/``null``), numeric-looking text, delimiters,
colons, quotes, backslashes, comment and list markers, brackets, newlines, control
characters, emoji, and text that looks like TOON headers or JSON.  The value strategies add
shapes that trigger TOON's tabular, nested-field-group and keyed forms, which random
recursive generation almost never produces.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import strategies as st

# Hypothesis budget multiplier (e.g. KTOF_HYPOTHESIS_SCALE=10 for a long local soak).
_SCALE = float(os.environ.get("KTOF_HYPOTHESIS_SCALE", "1"))


def examples(n: int) -> int:
    return max(1, int(n * _SCALE))


HARD_STRINGS: list[str] = [
    "",
    " ",
    "   ",
    "\t",
    " \t ",
    " a",
    "a ",
    "\ta",
    "a\t",
    " a b ",
    "true",
    "false",
    "null",
    "True",
    "NULL",
    "42",
    "-3.14",
    "1e5",
    "1E5",
    "1e-6",
    "05",
    "0001",
    "-05",
    "+1",
    "0x10",
    ".5",
    "1.",
    "-0",
    "0",
    "0.0",
    "1_000",
    "Infinity",
    "-Infinity",
    "NaN",
    "nan",
    "1e400",
    "12345678901234567890123",
    "-",
    "--",
    "- ",
    "-a",
    "- a",
    "- [1]: 1",
    "#",
    "#a",
    "# comment",
    " #a",
    "a#b",
    ",",
    "a,b",
    "|",
    "a|b",
    "a\tb",
    ":",
    "a:",
    "a:b",
    "a: b",
    "::",
    '"',
    'a"b',
    '"a"',
    '""',
    "\\",
    "a\\b",
    "\\n",
    "\\u0041",
    '\\"',
    "[",
    "]",
    "{",
    "}",
    "[]",
    "{}",
    "[0]",
    "a[2]: x",
    "a[2]: x,y",
    "[3]{a}:",
    "[2:]{a}:",
    "k[2:]{x}:",
    "x{a,b}",
    "a?",
    "?",
    "x[]",
    "x[]?",
    "[]?",
    "a{}",
    "a[1]",
    "a[]: [1]",
    "null?",
    '{"a":1}',
    "[1,2]",
    "[1, 2]",
    '"x"',
    "\n",
    "a\nb",
    "a\n",
    "\na",
    "\r",
    "a\rb",
    "a\r\nb",
    "\r\n",
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x08",
    "a\x0cb",
    "\\/",
    "\x1f",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u00a0a",
    "a\u00a0",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "é",
    "日本語",
    "👋",
    "👨‍👩‍👧",
    "🇺🇸",
    "a b",
    "a  b",
    "__proto__",
    "constructor",
    "user.name",
    "a.b.c",
    "_",
    "A1",
    "2key",
    "my-key",
    "null,true",
    "1,2",
    "a|b,c\td",
    "x" * 40,
]

# Characters that matter to the grammar, plus a few ordinary and non-ASCII ones.
HARD_ALPHABET: str = " \t\n\r,|:;\"'\\[]{}#-+.eE0159abzAZ_/<>\x00\x01\x1f\x7f\u00a0\u2028é日👋"


def _pad(s: str, pre: str, post: str) -> str:
    return pre + s + post


hard_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HARD_STRINGS),
    st.text(alphabet=HARD_ALPHABET, max_size=8),
    st.builds(
        _pad,
        st.sampled_from(HARD_STRINGS),
        st.sampled_from(["", "", " ", "\t", "-", "#", '"', "[", "- "]),
        st.sampled_from(["", "", " ", "\t", ":", ",", "|", "]", "\n"]),
    ),
    st.builds(lambda a, b: a + b, st.sampled_from(HARD_STRINGS), st.sampled_from(HARD_STRINGS)),
    st.text(max_size=10),
)

# Plain identifier-ish keys so the encoder's unquoted paths get exercised too.
plain_keys: st.SearchStrategy[str] = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True)

hard_keys: st.SearchStrategy[str] = st.one_of(hard_text, plain_keys, st.just(""))

SPECIAL_INTS: list[int] = [
    0,
    1,
    -1,
    2**31,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**63 - 1,
    -(2**63),
    2**64,
    10**21,
    10**21 + 1,
    -(10**21),
    10**30 + 1,
    10**100,
    -(10**400) - 7,
]

SPECIAL_FLOATS: list[float] = [
    0.0,
    -0.0,
    1.0,
    3.0,
    -3.0,
    0.5,
    0.1,
    1 / 3,
    1e300,
    -1e300,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    1e21,
    1e20,
    1e22,
    1e-6,
    1e-7,
    123456789.0,
    1e16,
    2.0**53,
    9007199254740993.0,
    0.30000000000000004,
    812953312848194.2,
    100.0,
    -100.5,
]

ints: st.SearchStrategy[int] = st.one_of(
    st.integers(-1000, 1000),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.sampled_from(SPECIAL_INTS),
)

floats: st.SearchStrategy[float] = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(-(10**6), 10**6).map(float),
    st.sampled_from(SPECIAL_FLOATS),
)

primitives: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    ints,
    floats,
    hard_text,
)


@st.composite
def _uniform_shape(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """A field tree: {name: None (leaf) | subtree} with at least one field per level."""
    names = draw(st.lists(hard_keys, min_size=1, max_size=4, unique=True))
    shape: dict[str, Any] = {}
    for name in names:
        nested = depth < 2 and draw(st.integers(0, 4)) == 0
        shape[name] = draw(_uniform_shape(depth + 1)) if nested else None
    return shape


def _fill(draw: st.DrawFn, shape: dict[str, Any], shuffle: bool) -> dict[str, Any]:
    items = list(shape.items())
    if shuffle and draw(st.integers(0, 3)) == 0:
        items = draw(st.permutations(items))
    out: dict[str, Any] = {}
    for name, sub in items:
        out[name] = draw(primitives) if sub is None else _fill(draw, sub, shuffle)
    return out


@st.composite
def uniform_rows(draw: st.DrawFn, min_rows: int = 1, max_rows: int = 4) -> list[dict[str, Any]]:
    """Objects sharing one key set (sometimes in different orders): TOON tabular arrays."""
    shape = draw(_uniform_shape())
    n = draw(st.integers(min_rows, max_rows))
    return [_fill(draw, shape, shuffle=True) for _ in range(n)]


@st.composite
def keyed_objects(draw: st.DrawFn) -> dict[str, Any]:
    """An object whose values are uniform objects: TOON keyed tabular form."""
    rows = draw(uniform_rows(min_rows=2, max_rows=4))
    keys = draw(st.lists(hard_keys, min_size=len(rows), max_size=len(rows), unique=True))
    return dict(zip(keys, rows, strict=True))


@st.composite
def nearly_uniform_rows(draw: st.DrawFn) -> list[Any]:
    """A uniform table with one irregularity (missing key, nested list, {} ...)."""
    rows: list[Any] = draw(uniform_rows(min_rows=2, max_rows=4))
    i = draw(st.integers(0, len(rows) - 1))
    victim = dict(rows[i])
    key = draw(st.sampled_from(list(victim)))
    change = draw(st.integers(0, 5))
    if change == 0:
        del victim[key]
    elif change == 1:
        victim[key] = draw(st.lists(primitives, max_size=3))
    elif change == 2:
        victim[key] = {}
    elif change == 3:
        victim[draw(hard_keys)] = draw(primitives)
    elif change == 4:
        victim[key] = {"x": draw(primitives)}
    else:
        victim = {}
    rows[i] = victim
    return rows


@st.composite
def float_and_optional_rows(draw: st.DrawFn) -> list[Any]:
    """Rows for KTOF's newer table forms: an optional *first* key (a row may start with the
    delimiter) and a float column with whole floats (``name(float)``: ``2.0`` written ``2``),
    mixed with non-whole, huge, negative-zero floats and non-numbers."""
    n = draw(st.integers(2, 8))
    whole = st.integers(-(10**6), 10**6).map(float)
    cell = st.one_of(whole, whole, floats, st.sampled_from([-0.0, 1e16, 1e300, 0.5]), primitives)
    rows: list[Any] = []
    for i in range(n):
        row: dict[str, Any] = {}
        if draw(st.booleans()):
            row["alias"] = draw(st.one_of(hard_text, primitives))
        row["id"] = i
        row["w"] = draw(cell)
        if draw(st.booleans()):
            row["z"] = draw(whole)
        rows.append(row)
    return rows


@st.composite
def nested_table_rows(draw: st.DrawFn) -> list[Any]:
    """Rows for KTOF nested table columns (docs/ktof.md §3.7): a column of lists of records,
    sometimes absent, empty, sparse or float-valued, and now and then one the table column
    cannot carry (a non-object item, a conflicting key order), so every fallback is exercised."""
    shape = draw(_uniform_shape())
    n = draw(st.integers(1, 8))
    rows: list[Any] = []
    for i in range(n):
        row: dict[str, Any] = {"id": i}
        presence = draw(st.integers(0, 5))
        if presence:
            items = [_fill(draw, shape, shuffle=False) for _ in range(draw(st.integers(0, 4)))]
            for item in items:
                if draw(st.integers(0, 4)) == 0:
                    item.pop(draw(st.sampled_from(list(item))))
                if draw(st.integers(0, 3)) == 0:
                    item["f"] = float(draw(st.integers(-3, 3)))
            if presence == 5 and items:
                twist = draw(st.integers(0, 2))
                if twist == 0:
                    items[0] = draw(primitives)
                elif twist == 1:
                    items[0] = dict(reversed(list(items[0].items())))
                else:
                    items[0] = {}
            row["items"] = items
        row["n"] = draw(st.one_of(primitives, st.just(i)))
        rows.append(row)
    return rows


FRAGMENTS = [
    "a:",
    "a: 1",
    "- ",
    "-",
    "[2]:",
    "[2]: 1,2",
    "k[2]{a,b}:",
    "k[2:]{a,b}:",
    "[2:]{a}:",
    "[1|]:",
    "[1\t]:",
    "{a,b}",
    "{a{b}}",
    "1,2",
    "x: 1,2",
    '"q":',
    '"\\u00',
    '"',
    "\\",
    "# c",
    "[]",
    "k: []",
    "- [0]:",
    "- []",
    "null",
    "true",
    "1e5",
    "-0",
    "05",
    '{"a":1}',
    '{"a": [1, 2]}',
    "{}",
    "[1,2]",
    '["x"]',
    "a[]: [1]",
    'a[]: {"b":2}',
    "k[2]{a[],b?}:",
    "k[1]{a[]{b,c}}:",
    "[2]{a,b[]{c}?}",
    "[1]",
    "[0]",
    '[1,{"x":2}],3',
    " {",
    " [",
]


@st.composite
def line_soup(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6, 1, 3]))
        parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3))
        lines.append(indent + " ".join(parts))
    return "\n".join(lines)


@st.composite
def nearly_keyed_objects(draw: st.DrawFn) -> dict[str, Any]:
    """Keyed-table candidates with one irregular entry (optional/JSON columns in KTOF)."""
    rows = draw(nearly_uniform_rows())
    keys = draw(st.lists(hard_keys, min_size=len(rows), max_size=len(rows), unique=True))
    return dict(zip(keys, rows, strict=True))


def json_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Arbitrary JSON values (no NaN/inf) with hard strings and keys, tables and keyed objects."""

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(hard_keys, children, max_size=5),
            uniform_rows(),
            keyed_objects(),
            nearly_uniform_rows(),
            nearly_keyed_objects(),
            float_and_optional_rows(),
            nested_table_rows(),
            st.lists(st.lists(primitives, max_size=4), min_size=1, max_size=3),
            st.dictionaries(plain_keys, children, min_size=1, max_size=3),
        )

    return st.recursive(primitives, extend, max_leaves=max_leaves)


# Top-level documents as JSON APIs return them: usually a dict or a list.
documents: st.SearchStrategy[Any] = st.one_of(
    json_values(),
    st.dictionaries(hard_keys, json_values(10), max_size=6),
    st.lists(json_values(10), max_size=6),
    uniform_rows(),
    keyed_objects(),
    nearly_keyed_objects(),
    st.fixed_dictionaries({"items": uniform_rows(), "meta": json_values(6)}),
    nested_table_rows(),
    st.dictionaries(hard_keys, nested_table_rows(), min_size=2, max_size=3),
)


def with_tuples(value: Any, flip: st.DrawFn) -> Any:
    """Replace some lists with tuples (for the 'tuples encode as lists' property)."""
    if isinstance(value, list):
        inner = [with_tuples(v, flip) for v in value]
        return tuple(inner) if flip(st.booleans()) else inner
    if isinstance(value, dict):
        return {k: with_tuples(v, flip) for k, v in value.items()}
    return value
