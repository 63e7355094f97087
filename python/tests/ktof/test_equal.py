"""The fast hand-written checks agree with the slow definitions they replace.

``same_json`` (the engine's round-trip check) must answer exactly as "equal compact
``json.dumps`` text" does, ``is_number`` exactly as the TOON number grammar ``NUMBER_RE``, and
the decoder's table-cell shortcuts exactly as ``parse_primitive``.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import KTOFDecodeError
from kaizen_client.ktof._equal import same_json
from kaizen_client.ktof._lexical import NUMBER_RE, is_number, parse_primitive
from kaizen_client.ktof.decoder import _primitives

from .strategies import documents, examples, json_values


def dumps_equal(a: Any, b: Any) -> bool:
    try:
        return json.dumps(a, ensure_ascii=False, separators=(",", ":")) == json.dumps(
            b, ensure_ascii=False, separators=(",", ":")
        )
    except (TypeError, ValueError):
        return False


class Color(enum.IntEnum):
    RED = 1


class Name(str):
    pass


PAIRS: list[tuple[Any, Any]] = [
    (1, 1),
    (1, 1.0),
    (1.0, 1),
    (True, 1),
    (1, True),
    (False, 0),
    (None, False),
    (0.0, -0.0),
    (-0.0, -0.0),
    (0.0, 0),
    (float("nan"), float("nan")),
    (1e300, 1e300),
    (5e-324, 5e-324),
    ("1", 1),
    ("", None),
    ([], {}),
    ({}, []),
    ([1, 2], [1, 2]),
    ([1, 2], [2, 1]),
    ([1, 2], (1, 2)),
    ([1, [2.0]], (1, (2,))),
    ([1, [2.0]], (1, (2.0,))),
    ({"a": 1, "b": 2}, {"a": 1, "b": 2}),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ({"a": 1}, {"a": 1, "b": 2}),
    ({"a": 1}, {"b": 1}),
    ({"1": "x"}, {1: "x"}),
    ({"1": "x"}, {2: "x"}),
    ({"a": "x"}, {Name("a"): "x"}),
    ("a", Name("a")),
    ("a", Name("b")),
    (1, Color.RED),
    (2, Color.RED),
    ([1], [object()]),
    ({"a": [{"b": -0.0}]}, {"a": [{"b": 0.0}]}),
    ({"a": [{"b": 10**40}]}, {"a": [{"b": 10**40}]}),
]


@pytest.mark.parametrize(("decoded", "original"), PAIRS)
def test_same_json_matches_dumps_on_edge_cases(decoded: Any, original: Any) -> None:
    assert same_json(decoded, original) is dumps_equal(decoded, original)


@settings(max_examples=examples(600), deadline=None)
@given(json_values(), json_values())
def test_same_json_matches_dumps_on_random_pairs(a: Any, b: Any) -> None:
    assert same_json(a, b) is dumps_equal(a, b)


@settings(max_examples=examples(300), deadline=None)
@given(documents)
def test_same_json_accepts_a_deep_copy(value: Any) -> None:
    assert same_json(json.loads(json.dumps(value)), value) is dumps_equal(
        json.loads(json.dumps(value)), value
    )


NUMBERISH = st.text(alphabet="-+0123456789.eE x\u0661\uff10", max_size=12)


@settings(max_examples=examples(3000), deadline=None)
@given(NUMBERISH)
def test_is_number_matches_the_grammar(token: str) -> None:
    assert is_number(token) is (NUMBER_RE.fullmatch(token) is not None)


@pytest.mark.parametrize(
    "token",
    [
        "0",
        "-0",
        "00",
        "01",
        "-",
        "",
        "1.",
        ".5",
        "1.5",
        "1e5",
        "1E+5",
        "1e",
        "1e+",
        "-1.25e-7",
        "1.5.5",
        "+1",
        "1 ",
        "\u0661",
        "9" * 40,
    ],
)
def test_is_number_on_edge_cases(token: str) -> None:
    assert is_number(token) is (NUMBER_RE.fullmatch(token) is not None)


def test_same_json_ignores_object_sharing() -> None:
    """Equal values built from shared or separate objects are the same JSON."""
    shared = "".join(["sku-"] * 20)
    row = {"a": shared, "b": 10**40, "c": 2.5}
    original = [row, row, [shared, shared]]
    separate = [
        {"a": "".join(["sku-"] * 20), "b": 10**40 + 0, "c": float("2.5")},
        {"a": "".join(["sku-"] * 20), "b": int("1" + "0" * 40), "c": 2.5},
        ["".join(["sku-"] * 20), "".join(["sku-"] * 20)],
    ]
    assert same_json(separate, original) and same_json(original, separate)


def test_same_json_beyond_marshal_depth_answers_without_raising() -> None:
    """Past marshal's depth limit the slow path decides; too deep for it too means unequal."""
    deep: Any = 1
    for _ in range(2100):
        deep = [deep]
    assert isinstance(same_json(deep, deep), bool)
    assert same_json([deep], [[1]]) is False


CELLS = st.text(alphabet="-0123456789.eEtrufalsn\u0661\u00b2\u2155x_", max_size=8)


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(CELLS, max_size=6))
@example(["1E310", "5"])
def test_table_cell_fast_paths_type_like_parse_primitive(tokens: list[str]) -> None:
    """The decoder's shortcuts for plain strings and ints give what the full check gives."""
    try:
        expected: Any = [parse_primitive(token, 1) for token in tokens]
    except KTOFDecodeError as exc:  # e.g. 1e999: out of range for a float
        with pytest.raises(KTOFDecodeError, match=re.escape(str(exc).split(": ", 1)[1])):
            _primitives(tokens, 1)
        return
    got = _primitives(tokens, 1)
    assert [type(v) for v in got] == [type(v) for v in expected] and got == expected


@pytest.mark.parametrize("token", ["0", "00", "007", "10", "\u0661", "\u00b2", "9" * 4300, "-1"])
def test_table_cell_fast_paths_on_edge_cases(token: str) -> None:
    assert _primitives([token], 1) == [parse_primitive(token, 1)]
    assert type(_primitives([token], 1)[0]) is type(parse_primitive(token, 1))


@pytest.mark.parametrize("token", ["9" * 4301, "-" + "9" * 4301])
def test_table_cell_fast_paths_reject_what_int_rejects(token: str) -> None:
    """Past Python's int digit limit both paths raise the same KTOFDecodeError (issue 12)."""
    for parse in (lambda: _primitives([token], 3), lambda: parse_primitive(token, 3)):
        with pytest.raises(KTOFDecodeError, match="4301 digits") as info:
            parse()
        assert info.value.line == 3
