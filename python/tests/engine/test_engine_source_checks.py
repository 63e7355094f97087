"""Detection's cheaper source-exactness checks answer exactly as the hooks they replace.

JSON lines are scanned line by line with the C scanner and checked once for the whole text;
the fragment (or no fragment) must be what parsing each line on its own gives.

``_SourceParser`` used a Python ``object_pairs_hook`` per object (duplicate keys) and a Python
``parse_float`` hook per float literal. Now a colon count proves most parses kept every
member (``json_colons``), re-parsing with the hook only when it cannot, and a compiled
``parse_float`` hook keeps only the literals the fast rule cannot clear. The problem a
fragment reports must be the one the hooks would have found, for every text.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaizen_client.engine.exact import float_is_exact
from kaizen_client.engine.fragments import (
    _jsonl,
    _jsonl_line_by_line,
    _SourceParser,
    find_fragments,
)
from kaizen_client.ktof._lexical import json_colons


def reference_problem(text: str) -> str | None:
    """The problem the per-object / per-float Python hooks find (the previous detection)."""
    duplicates = inexact = 0

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        obj = dict(items)
        duplicates += len(obj) != len(items)
        return obj

    def floats(literal: str) -> float:
        nonlocal inexact
        value = float(literal)
        inexact += not float_is_exact(literal, value)
        return value

    def constant(name: str) -> float:
        raise ValueError(name)

    json.JSONDecoder(object_pairs_hook=pairs, parse_float=floats, parse_constant=constant).decode(
        text
    )
    if duplicates:
        return "duplicate_keys"
    if inexact:
        return "not_lossless"
    return None


KEYS = ["a", "b", "a:b", ":", "x:y:z", "\\u003a", "a\\u003ab", "é", "\\\\:"]
LEAVES = ['"v"', '"v:w"', '"\\u003a"', '"http://x"', "1", "1.5", "0.123456789012345678", "1e400"]
LEAVES += ["-0.0", "1e-320", "true", "null", '"\\\\"']


@st.composite
def texts(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON texts whose objects may repeat keys, with colons and ``\\u003a`` escapes in keys
    and strings, and floats of every kind of exactness."""
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(LEAVES))
    if draw(st.booleans()):
        items = draw(st.lists(texts(depth + 1), max_size=4))
        return "[" + ",".join(items) + "]"
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=4))
    members = [f'"{key}":{draw(texts(depth + 1))}' for key in keys]
    return "{" + draw(st.sampled_from([",", ", "])).join(members) + "}"


@settings(max_examples=1500, deadline=None)
@given(texts())
@example('{"a":1,"a":2}')
@example('{"a:b":1,"a:b":2}')
@example('{"\\u003a":1,":":2}')
@example('{"a\\u003a":1,"b":"c:d"}')
@example('[{"a":1},{"b":{"c":2,"c":3}}]')
@example('{"k":"a:b","k":"c"}')
def test_detection_reports_what_the_hooks_report(text: str) -> None:
    if text[0] not in "[{":
        text = f"[{text}]"
    fragments = find_fragments(text)
    assert len(fragments) == 1
    assert fragments[0].problem == reference_problem(text), text
    if fragments[0].problem is None:
        assert json.dumps(fragments[0].value) == json.dumps(json.loads(text))


@pytest.mark.parametrize(
    ("value", "colons", "members"),
    [
        ({"a": 1}, 1, 1),
        ({"a:b": "c:d:e"}, 4, 1),
        ([{"a": [1, {"b": ":"}]}, "x:"], 4, 2),
        ([1, 2.5, None, True], 0, 0),
        (":", 1, 0),
    ],
)
def test_json_colons(value: Any, colons: int, members: int) -> None:
    assert json_colons(value) == colons
    assert json_colons(value, False) == members
    assert json.dumps(value, separators=(",", ":")).count(":") == colons


def test_doubtful_floats_are_still_checked_one_by_one() -> None:
    fragments = find_fragments('{"a": [0.0, -0.0, 1e5, 1234567890123456.0, 5e-324]}')
    assert fragments[0].problem is None
    assert math.copysign(1.0, fragments[0].value["a"][1]) == -1.0
    assert find_fragments('{"a": 0.10000000000000000001}')[0].problem == "not_lossless"
    assert find_fragments('{"a": [1e400]}')[0].problem == "not_lossless"
    assert find_fragments('{"a": [12345678901234567.0]}')[0].problem == "not_lossless"


LINE_JOINS = ["\n", "\n", "\n", "\n\n", "\r\n", " \n ", "\n\t", ", ", "\n1\n", "\n[1,\n"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(texts(), min_size=1, max_size=5), st.lists(st.sampled_from(LINE_JOINS)))
@example(['{"a":1}', '{"a":2}'], [])
@example(['{"a":1,"a":2}', '{"a":2}'], [])
@example(['{"a":"x:y"}', '{"b":0.123456789012345678}'], [])
@example(["[0], [2", "3]"], [])
def test_json_lines_detection_matches_line_by_line(lines: list[str], joins: list[str]) -> None:
    text = lines[0]
    for k, line in enumerate(lines[1:]):
        text += (joins[k] if k < len(joins) else "\n") + line
    expected = _jsonl_line_by_line(_SourceParser(), text)  # each line parsed on its own
    got = _jsonl(_SourceParser(), text)
    if expected is None:
        assert got is None, text
        return
    assert got is not None, text
    assert got.problem == expected.problem, text
    if expected.problem is None:
        assert json.dumps(got.value) == json.dumps(expected.value), text
