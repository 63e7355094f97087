"""Error reporting: KTOFDecodeError.line and KTOFEncodeError.path are exact and messages say what
is wrong.

Path convention (JSONPath): ``$`` is the root, ``[i]`` an array index, ``.key`` a key that is
an ASCII identifier (``[A-Za-z_][A-Za-z0-9_]*``), and ``["key"]`` (bracket notation, the key as
a JSON string literal) for every other key: empty, spaces, dots, dashes, leading digits,
non-ASCII, quotes (escaped as in JSON).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import pickle
import re
from typing import Any

import pytest

from kaizen_client.ktof import KTOFDecodeError, KTOFEncodeError, KTOFError, decode, encode

from .conftest import assert_same_json

# ---------------------------------------------------------------------------------------
# Decode errors: line numbers
# ---------------------------------------------------------------------------------------

# (id, document, allowed lines, message pattern)
BAD_DOCUMENTS: list[tuple[str, str, set[int], str]] = [
    (
        "inline count mismatch on line 3",
        "a: 1\nb: 2\ntags[3]: a,b",
        {3},
        r"3|count|length|declared|expected",
    ),
    (
        "bad escape on line 3",
        'a: 1\nb: 2\nc: "bad\\xescape"\nd: 4',
        {3},
        r"escape",
    ),
    (
        "unterminated string on line 4",
        'a: 1\nb: 2\nc: 3\nd: "open\ne: 5',
        {4},
        r"unterminated|quote|string",
    ),
    (
        "indentation not a multiple of indent",
        "a:\n  b: 1\n   c: 2",
        {3},
        r"indent|spaces",
    ),
    (
        "tab used as indentation",
        "a:\n  b: 1\n\tc: 2",
        {3},
        r"tab",
    ),
    (
        "depth jump of two levels",
        "a:\n  b:\n      c: 1",
        {3},
        r"indent|depth|deep|level",
    ),
    (
        "over-indented line after a primitive field",
        "a: 1\nb: 2\n  c: 3",
        {3},
        r"indent|scope|unexpected|deep",
    ),
    (
        "tabular row too narrow",
        "items[2]{id,name}:\n  1,Ada\n  2\nx: 1",
        {3},
        r"width|cells|values|fields|columns|expected",
    ),
    (
        "keyed entry row too narrow",
        "[2:]{a,b}:\n  k: 1,2\n  j: 1",
        {3},
        r"width|cells|values|fields|columns|expected",
    ),
    (
        "duplicate key on line 4",
        "a: 1\nb: 2\nc: 3\na: 4",
        {4},
        r"duplicate",
    ),
    (
        "blank line inside a list on line 3",
        "items[2]:\n  - 1\n\n  - 2",
        {3},
        r"blank",
    ),
    (
        "line numbers count comments and blank lines",
        "# header\n# more\nx: 1\n\nt[2]: a",
        {5},
        r"2|count|length|declared|expected",
    ),
    (
        "CRLF input, bad escape on line 2",
        'a: 1\r\nb: "\\q"\r\nc: 3\r\n',
        {2},
        r"escape",
    ),
    (
        "lone surrogate escape",
        'a: 1\nb: "\\ud800"',
        {2},
        r"surrogate|escape|\\u",
    ),
    (
        "short \\u escape",
        'a: 1\nb: 2\nc: "\\u12"',
        {3},
        r"escape|\\u|hex",
    ),
    (
        "trailing content after root array",
        "[1]: x\ny: 1",
        {2},
        r"trailing|after|content|unexpected",
    ),
    (
        "header delimiter mismatch",
        "a: 1\nrows[2|]{x,y}:\n  1|2\n  3|4",
        {2},
        r"delimiter|field",
    ),
    (
        "malformed bracket length",
        "a: 1\nb[03]: x,y,z",
        {2},
        r"length|bracket|header",
    ),
    (
        "scalar line inside an object",
        "a:\n  b: 1\n  orphan",
        {3},
        r"colon|key|scalar|expected|unexpected",
    ),
    (
        "nested list item count",
        "a:\n  items[1]:\n    - [2]: 1",
        {3},
        r"2|count|length|declared|expected",
    ),
    (
        "two root scalars",
        "hello\nworld",
        {1, 2},
        r"colon|key|scalar|root|unexpected|expected",
    ),
    (
        "KTOF: invalid JSON in a key[] field on line 3",
        "a: 1\nb: 2\nk[]: [1,,2]\nc: 3",
        {3},
        r"JSON|length|\[\]",
    ),
    (
        "KTOF: invalid JSON in a table JSON column on line 3",
        "t[2]{a[],b}:\n  [1],2\n  [1,,2],3\nc: 3",
        {3},
        r"JSON|length|\[\]|field",
    ),
    (
        "tabular row count (header or end of rows)",
        "items[3]{id,name}:\n  1,Ada\n  2,Bob\nnext: 1",
        {1, 3},
        r"3|count|rows|declared|expected",
    ),
    (
        "list item count (header or end of items)",
        "x: 0\nitems[3]:\n  - 1\n  - 2\nz: 1",
        {2, 4},
        r"3|count|items|declared|expected",
    ),
    (
        "unindented table with fewer rows than declared",
        "a: 1\nt[3]{x,y}\n1,2\n3,4",
        {2},
        r"declared 3 rows, found 2",
    ),
    (
        "line deeper than the rows of an unindented table",
        "t[1]{x}\n1\n  y: 2",
        {3},
        r"indentation",
    ),
    (
        "float-column cell out of range",
        "a: 1\nt[2]{x(float)}\n1\n1e999",
        {4},
        r"out of range",
    ),
    (
        "flow value with a bare quote",
        'a: 1\nb: 2\nm[]: {x:y"z}',
        {3},
        r"JSON|expected",
    ),
    (
        "unterminated flow cell",
        "a: 1\nt[1]{x,y[]}\n1,[a,b",
        {3},
        r"JSON|expected",
    ),
    (
        "unknown column marker",
        "a: 1\nt[1]{x(int)}:\n  1",
        {2},
        r"separated|field",
    ),
]


@pytest.mark.parametrize(
    ("text", "lines", "pattern"),
    [pytest.param(t, ls, p, id=name) for name, t, ls, p in BAD_DOCUMENTS],
)
def test_decode_error_line(text: str, lines: set[int], pattern: str) -> None:
    with pytest.raises(KTOFDecodeError) as info:
        decode(text)
    err = info.value
    assert err.line in lines, f"line {err.line}, expected {sorted(lines)}: {err}"
    assert re.search(pattern, err.msg, re.IGNORECASE), f"message does not say why: {err.msg!r}"
    assert f"line {err.line}" in str(err)


def test_decode_error_is_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as info:
        decode('a: 1\nb: 2\nc: "x\\q"')
    err = info.value
    assert isinstance(err, KTOFDecodeError) and isinstance(err, KTOFError)
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is KTOFDecodeError
    assert (clone.line, clone.msg, str(clone)) == (err.line, err.msg, str(err))


def test_decode_errors_in_indent_4_documents() -> None:
    with pytest.raises(KTOFDecodeError) as info:
        decode("a:\n    b: 1\n      c: 2", indent=4)
    assert info.value.line == 3


def test_decode_rejects_non_str_input() -> None:
    for bad in (None, 12, ["a: 1"]):
        with pytest.raises((TypeError, KTOFDecodeError)):
            decode(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Encode errors: exact paths
# ---------------------------------------------------------------------------------------

WHEN = dt.datetime(2024, 5, 17, 12, 30, tzinfo=dt.timezone.utc)


class Opaque:
    def __repr__(self) -> str:
        return "Opaque()"


# (id, value, expected path, message pattern)
BAD_VALUES: list[tuple[str, Any, str, str]] = [
    (
        "datetime in 4th order",
        {"orders": [{}, {}, {}, {"created": WHEN}]},
        "$.orders[3].created",
        r"datetime",
    ),
    ("nan in list", {"x": [1, float("nan")]}, "$.x[1]", r"nan|finite"),
    ("inf in list", {"x": [1, 2, float("inf")]}, "$.x[2]", r"inf|finite"),
    ("-inf as field", {"a": {"b": -math.inf}}, "$.a.b", r"inf|finite"),
    ("nan at root", float("nan"), "$", r"nan|finite"),
    ("datetime at root", WHEN, "$", r"datetime"),
    ("set", {"tags": {"a", "b"}}, "$.tags", r"set"),
    ("frozenset in tuple", {"t": (1, 2, frozenset())}, "$.t[2]", r"frozenset"),
    ("bytes", {"blob": b"\x00"}, "$.blob", r"bytes"),
    ("object", [0, [1, Opaque()]], "$[1][1]", r"Opaque"),
    ("complex", {"z": 1j}, "$.z", r"complex"),
    ("decimal", {"price": decimal.Decimal("1.10")}, "$.price", r"Decimal"),
    ("date", {"d": dt.date(2024, 1, 2)}, "$.d", r"date"),
    ("key with space", {"a b": {"c": Opaque()}}, '$["a b"].c', r"Opaque"),
    ("empty key", {"": Opaque()}, '$[""]', r"Opaque"),
    ("dotted key", {"user.name": Opaque()}, '$["user.name"]', r"Opaque"),
    ("dashed key", {"x-id": [Opaque()]}, '$["x-id"][0]', r"Opaque"),
    ("digit-leading key", {"1st": Opaque()}, '$["1st"]', r"Opaque"),
    ("non-ascii key", {"é": Opaque()}, '$["é"]', r"Opaque"),
    ("quote in key", {'q"x': Opaque()}, '$["q\\"x"]', r"Opaque"),
    ("backslash in key", {"a\\b": Opaque()}, '$["a\\\\b"]', r"Opaque"),
    ("newline in key", {"a\nb": Opaque()}, '$["a\\nb"]', r"Opaque"),
    ("identifier keys", {"_a1": {"B_2": Opaque()}}, "$._a1.B_2", r"Opaque"),
    ("int key", {"a": {1: "x"}}, "$.a", r"key"),
    ("tuple key", {"a": [{(1, 2): "x"}]}, "$.a[0]", r"key"),
    ("none key", {None: 1}, "$", r"key"),
    ("nan in table cell", [{"a": 1, "b": 2.5}, {"a": 2, "b": math.nan}], "$[1].b", r"nan|fin"),
    ("nan in keyed object", {"k": {"e1": {"v": 1.0}, "e2": {"v": math.nan}}}, "$.k.e2.v", r"nan"),
]


@pytest.mark.parametrize(
    ("value", "path", "pattern"),
    [pytest.param(v, p, m, id=name) for name, v, p, m in BAD_VALUES],
)
def test_encode_error_path(value: Any, path: str, pattern: str) -> None:
    with pytest.raises(KTOFEncodeError) as info:
        encode(value)
    err = info.value
    assert err.path == path, f"path {err.path!r}, expected {path!r}: {err}"
    assert re.search(pattern, err.msg, re.IGNORECASE), f"message does not say why: {err.msg!r}"
    assert str(err).startswith(path), str(err)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        pytest.param(v, p, id=name)
        for name, v, p, _ in BAD_VALUES
        if not re.search(r"nan|inf", name)  # TOON §3: toon mode maps non-finite floats to null
    ],
)
def test_encode_error_path_toon_mode(value: Any, path: str) -> None:
    with pytest.raises(KTOFEncodeError) as info:
        encode(value, mode="toon")
    assert info.value.path == path


def test_encode_error_is_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as info:
        encode({"orders": [{}, {}, {}, {"created": WHEN}]})
    err = info.value
    assert isinstance(err, KTOFEncodeError) and isinstance(err, KTOFError)
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is KTOFEncodeError
    assert (clone.path, clone.msg, str(clone)) == (err.path, err.msg, str(err))


def test_invalid_options_raise_value_error() -> None:
    with pytest.raises(ValueError):
        encode({"a": 1}, mode="yaml")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        encode({"a": 1}, delimiter=";")
    with pytest.raises(ValueError):
        encode({"a": 1}, indent=0)


# ---------------------------------------------------------------------------------------
# default=
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["auto", "toon"])
def test_default_str_encodes_datetime(mode: str) -> None:
    value = {"orders": [{}, {}, {}, {"created": WHEN}]}
    text = encode(value, mode=mode, default=str)
    expected = {"orders": [{}, {}, {}, {"created": str(WHEN)}]}
    assert_same_json(decode(text), expected, exact_types=True)


@pytest.mark.parametrize("mode", ["auto", "toon"])
def test_default_result_is_encoded_in_place(mode: str) -> None:
    def conv(o: Any) -> Any:
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        if isinstance(o, dt.datetime):
            return {"iso": o.isoformat(), "ts": o.timestamp()}
        if isinstance(o, decimal.Decimal):
            return str(o)
        raise TypeError(f"cannot convert {type(o).__name__}")

    value = {"tags": {"b", "a"}, "when": WHEN, "price": decimal.Decimal("1.10"), "n": 1}
    expected = {
        "tags": ["a", "b"],
        "when": {"iso": WHEN.isoformat(), "ts": WHEN.timestamp()},
        "price": "1.10",
        "n": 1,
    }
    got = decode(encode(value, mode=mode, default=conv))
    assert_same_json(got, expected, exact_types=(mode == "auto"))
    # A default that gives up (TypeError, as json.dumps expects) still yields a path.
    with pytest.raises(KTOFEncodeError) as info:
        encode({"a": [1, Opaque()]}, mode=mode, default=conv)
    assert info.value.path == "$.a[1]"


def test_default_converts_non_finite_floats() -> None:
    """Brief: non-finite floats raise 'unless default= converts them'."""
    calls: list[Any] = []

    def conv(o: Any) -> Any:
        calls.append(o)
        return None if isinstance(o, float) else str(o)

    got = decode(encode({"x": [1, math.nan, math.inf]}, default=conv))
    assert_same_json(got, {"x": [1, None, None]}, exact_types=True)
    assert len(calls) == 2


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return False


@pytest.mark.parametrize(
    "text",
    ["a: 1e400", "a: -1e400", "[2]: 1,1e400", "[1]{x}:\n  -2e999", "[1e400]", "k[]: [1e999]"],
)
def test_out_of_range_numbers_never_decode_to_inf(text: str) -> None:
    """Decoded values are JSON values: an out-of-range number token is an error, a string or an
    exact int (TOON §4 lets the implementation choose), never inf, which encode() rejects."""
    for strict in (True, False):
        try:
            got = decode(text, strict=strict)
        except KTOFDecodeError as exc:
            assert 0 <= exc.line <= text.count("\n") + 1
            continue
        assert not _non_finite(got), f"{text!r} (strict={strict}) decoded to {got!r}"


# ---------------------------------------------------------------------------------------
# KTOF JSON content (root JSON, key[] fields, JSON table columns) follows the same rules as
# the TOON positions: strict mode rejects duplicate keys and lone surrogate escapes.
# ---------------------------------------------------------------------------------------

JSON_CONTENT_DUPLICATES = {
    "root object": ' {"a":1,"a":2}',
    "root array": '[{"a":1,"a":2}]',
    "key[] field": 'k[]: {"a":1,"a":2}',
    "json column": '[2]{x[]}:\n  {"a":1,"a":2}\n  {"a":3}',
}


@pytest.mark.parametrize("name", list(JSON_CONTENT_DUPLICATES))
def test_json_content_duplicate_keys(name: str) -> None:
    """docs/ktof.md §5: ``strict=False`` relaxes duplicate keys (last write wins), as TOON
    §14.3 does; so strict mode must reject them inside JSON content too."""
    text = JSON_CONTENT_DUPLICATES[name]
    lenient = decode(text, strict=False)
    assert '"a": 1' not in json.dumps(lenient), lenient  # last write wins
    with pytest.raises(KTOFDecodeError) as info:
        decode(text, strict=True)
    assert re.search("duplicate", info.value.msg, re.IGNORECASE), info.value.msg


LONE_SURROGATE_DOCS = {
    "toon field": 'a: "\\ud800"',
    "root json": '["\\ud800"]',
    "root json object": ' {"a":"\\udc00"}',
    "key[] field": 'k[]: ["\\ud800"]',
    "json column": '[2]{x[]}:\n  ["\\ud800"]\n  1',
}


@pytest.mark.parametrize("name", list(LONE_SURROGATE_DOCS))
def test_lone_surrogate_escapes_rejected(name: str) -> None:
    """TOON §7.1: lone surrogate escapes MUST be rejected; a decoded str must be valid Unicode
    (a lone surrogate cannot be sent anywhere as UTF-8)."""
    with pytest.raises(KTOFDecodeError):
        decode(LONE_SURROGATE_DOCS[name])


@pytest.mark.parametrize("value", ["\ud800", ["x", "\udfff"], {"k": "a\ud83db"}], ids=repr)
def test_lone_surrogate_strings_encode(value: Any) -> None:
    """toon mode: not valid TOON (§7.1, encoders never produce lone surrogates) -> error.
    auto mode: an error, or UTF-8-encodable text that round-trips exactly."""
    with pytest.raises(KTOFEncodeError):
        encode(value, mode="toon")
    try:
        text = encode(value)
    except KTOFEncodeError:
        return
    text.encode("utf-8")  # raises UnicodeEncodeError when a raw surrogate was written
    assert_same_json(decode(text), value, exact_types=True)


def test_toon_mode_non_finite_floats() -> None:
    """docs/ktof.md §1: toon mode writes null (TOON §3) unless default= converts them."""
    assert encode({"x": [1, math.nan]}, mode="toon") == "x[2]: 1,null"
    assert encode({"x": math.inf}, mode="toon", default=lambda o: "inf") == "x: inf"


def test_ktof_json_escapes() -> None:
    """docs/ktof.md §3.4: KTOF reads JSON's \\b, \\f and \\/ ; auto mode writes \\b and \\f."""
    assert decode('a: "x\\by\\fz\\/"') == {"a": "x\by\fz/"}
    assert decode('[2]: "\\/","\\b"') == ["/", "\b"]
    for value in ("\b\f", {"a": "\b"}, ["\f", "x"]):
        text = encode(value)
        assert "\\u0008" not in text and "\\u000c" not in text, text
        assert_same_json(decode(text), value, exact_types=True)
    assert encode({"a": "\b"}, mode="toon") == 'a: "\\u0008"'
