"""Source-exact compression: a fragment is replaced only if its value says what its text says.

Issue 12 item 4: numbers beyond float precision, duplicate keys and truncated JSON each
reached the model changed (or half rewritten) while reported ``compressed``.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaizen_client import ktof
from kaizen_client.engine import compress_messages
from kaizen_client.engine.exact import decimal_key, float_is_exact
from kaizen_client.engine.fragments import find_fragments

from .samples import pretty, same, table


def tool(content: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": "t", "content": content}


def run(content: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The rewritten content and ``(kind, action, reason)`` per fragment."""
    out, report = compress_messages([tool(content)])
    return out[0]["content"], [(f.kind, f.action, f.reason) for f in report.fragments]


def rows_with(literal: str, rows: int = 20) -> str:
    """A table worth compressing whose first ``score`` is the number literal ``literal``."""
    data = [{"id": i, "name": f"item {i}", "score": 0, "ok": True} for i in range(rows)]
    return pretty(data).replace('"score": 0', f'"score": {literal}', 1)


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "0.123456789012345678",  # 18 significant digits: json.loads rounds it
        "12345678901234567890.5",
        "1e400",  # parses to inf
        "-1e400",
        "1e-400",  # parses to 0.0
        "2.4703282292062328e-324",  # subnormal: rounds to 5e-324
        "1.23456789012345e-310",  # 15 digits, but subnormal floats hold fewer
        "9007199254740993.0",  # 2**53 + 1 as a float literal
    ],
)
def test_a_number_that_floats_cannot_hold_keeps_the_fragment(literal: str) -> None:
    text = rows_with(literal)
    new, items = run(text)
    assert new == text
    assert items == [("whole", "skipped", "not_lossless")]


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("1.50", 1.5),
        ("1e5", 100000.0),
        ("1E+2", 100.0),
        ("-0.0", -0.0),
        ("0.0e99999", 0.0),
        ("0.1", 0.1),
        ("5e-324", 5e-324),  # the smallest subnormal is exactly what it spells
        ("1.7976931348623157e308", 1.7976931348623157e308),
        ("123456789012345678901234567890", 123456789012345678901234567890),  # ints are exact
        ("0.30000000000000004", 0.30000000000000004),  # 17 digits, and exactly a float
    ],
)
def test_insignificant_formatting_still_compresses(literal: str, value: Any) -> None:
    text = rows_with(literal)
    new, items = run(text)
    assert items == [("whole", "compressed", "compressed")]
    decoded = ktof.decode(new)
    assert same(decoded[0]["score"], value)
    assert Decimal(json.dumps(decoded[0]["score"])) == Decimal(literal)


def test_embedded_and_fenced_fragments_are_checked_too() -> None:
    exact = json.dumps({"rows": table(10)})
    inexact = exact.replace('"price": 0.0', '"price": 0.123456789012345678', 1)
    text = f"Before {exact} between\n```json\n{inexact}\n```\nand {inexact} after."
    new, items = run(text)
    assert items == [
        ("embedded", "compressed", "compressed"),
        ("fenced", "skipped", "not_lossless"),
        ("embedded", "skipped", "not_lossless"),
    ]
    assert new.count(inexact) == 2 and exact not in new


# --- duplicate keys --------------------------------------------------------------------


def test_duplicate_keys_keep_the_fragment() -> None:
    items_json = json.dumps(table(20))
    text = '{"status":"partial","status":"complete","items":' + items_json + "}"
    new, items = run(text)
    assert new == text and "partial" in new
    assert items == [("whole", "skipped", "duplicate_keys")]


def test_a_duplicate_deep_inside_is_found() -> None:
    data = table(20)
    text = json.dumps(data).replace('"active": true}', '"active": true, "active": false}', 1)
    new, items = run(f"Tool said: {text} (end)")
    assert items == [("embedded", "skipped", "duplicate_keys")]
    assert text in new


# --- truncated and broken JSON ---------------------------------------------------------


def truncated_output(limit: int = 2000) -> str:
    """A JSON array of records cut at ``limit`` characters, as tool wrappers do."""
    records = [{"id": i, "name": f"user {i}", "email": f"u{i}@example.com"} for i in range(200)]
    return json.dumps(records, indent=2)[:limit]


def test_a_truncated_json_output_is_left_entirely_as_is() -> None:
    text = truncated_output()
    new, items = run(text)
    assert new == text  # no hybrid: the valid records inside are not rewritten one by one
    assert items == [("whole", "skipped", "malformed")]


def test_a_truncated_array_after_prose_swallows_nothing_else() -> None:
    good = json.dumps({"rows": table(10)})
    broken = truncated_output(1500)
    text = f"Summary first: {good}\nthen the raw output: {broken}"
    new, items = run(text)
    assert items == [
        ("embedded", "compressed", "compressed"),
        ("embedded", "skipped", "malformed"),
    ]
    assert new.endswith(broken)


def test_a_broken_container_is_kept_and_json_after_it_still_found() -> None:
    broken = json.dumps({"rows": table(5)}).replace("}, {", "}, , {", 1)
    good = json.dumps({"rows": table(10)})
    text = f"First {broken} and then {good} done."
    [first, second] = find_fragments(text)
    assert (first.json_text, first.problem) == (broken, "malformed")
    assert (second.json_text, second.problem) == (good, None)
    new, items = run(text)
    assert items[0] == ("embedded", "skipped", "malformed") and broken in new
    assert items[1] == ("embedded", "compressed", "compressed")


def test_prose_that_merely_starts_like_json_is_not_malformed() -> None:
    # Fewer than MIN_EMBEDDED_CHARS characters of valid JSON: prose, as before.
    good = json.dumps({"rows": table(10)})
    text = f"see [the notes and [1, 2, x] then {good}"
    [fragment] = find_fragments(text)
    assert fragment.json_text == good and fragment.parsed


def test_integer_beyond_the_int_digit_limit_is_malformed_not_extracted() -> None:
    text = '[{"big": ' + "9" * 5000 + '}, {"name": "a long enough string value"}]'
    [fragment] = find_fragments(f"data: {text}")
    assert fragment.problem == "malformed" and fragment.json_text == text


def test_a_problem_outranks_bypass_and_cache_prefix_like_not_json() -> None:
    text = truncated_output()
    out, report = compress_messages([tool(text)], options=None)
    assert report.fragments[0].reason == "malformed" and out[0]["content"] == text


# --- the exactness check itself --------------------------------------------------------


def test_decimal_key_ignores_formatting() -> None:
    assert decimal_key("1.50") == decimal_key("1.5") == decimal_key("15e-1") == (False, "15", 1)
    assert decimal_key("1e5") == decimal_key("100000.0") == (False, "1", 6)
    assert decimal_key("0.0150") == (False, "15", -1)
    assert decimal_key("-0.0") == decimal_key("-0e7") == (True, "", 0)
    assert decimal_key("1e" + "1" * 30) is None


_FLOAT_LITERAL = st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?\Z")


@given(_FLOAT_LITERAL)
@example("0.123456789012345678")
@example("1.23456789012345e-310")
@example("2.2250738585072014e-308")
@example("9.999999999999999e22")
def test_float_is_exact_agrees_with_decimal_arithmetic(literal: str) -> None:
    value = float(literal)
    expected = value not in (float("inf"), float("-inf")) and Decimal(literal) == Decimal(
        repr(value)
    )
    if expected and value == 0.0:  # Decimal ignores the sign of zero; the check does not
        expected = literal.startswith("-") == (str(value)[0] == "-")
    assert float_is_exact(literal, value) == expected


def _spells_its_float(literal: str) -> bool:
    """The oracle: does ``literal``'s float write back as the same decimal number?"""
    if not any(c in literal for c in ".eE"):
        return True  # an integer literal: Python's int is exact
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        return False
    if Decimal(literal) != Decimal(repr(value)):
        return False
    return value != 0.0 or literal.startswith("-") == repr(value).startswith("-")


@settings(max_examples=60, deadline=None)
@given(_FLOAT_LITERAL)
@example("0.123456789012345678")
@example("1e400")
@example("1.50")
@example("-0.0")
def test_the_engine_compresses_exactly_the_source_exact_documents(literal: str) -> None:
    # End to end and both ways: every inexact literal keeps the fragment, and every exact
    # one is compressed and decodes to the same number (no needless refusals either).
    text = rows_with(literal)
    new, items = run(text)
    if _spells_its_float(literal):
        assert items == [("whole", "compressed", "compressed")]
        score = ktof.decode(new)[0]["score"]
        assert Decimal(json.dumps(score)) == Decimal(literal)
    else:
        assert (new, items) == (text, [("whole", "skipped", "not_lossless")])


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_is_exact_against_its_own_repr(value: float) -> None:
    assert float_is_exact(repr(value), value)
    assert float_is_exact(json.dumps(value), value)


# --- still linear ----------------------------------------------------------------------


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best of ``repeat`` CPU times of this thread, garbage collection off (as ``timeit``
    does). CPU time, not wall time: on a shared machine a long run is descheduled more
    often than a short one, which would inflate the ratio without any extra work."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.thread_time()
            fn()
            best = min(best, time.thread_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best


@pytest.mark.parametrize(
    "unit",
    [
        '[{"id": 1, "name": "a long enough name"}, {"id": 2, "na',  # truncated containers
        'x {"k": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], oops} ',  # broken, closed containers
        '{"a": 0.123456789012345678, "b": "some filler text"} ',  # inexact floats
        "see [t and {x ",  # prose that starts like JSON (each failure is a JSONDecodeError)
        'x {"k": "' + "[1, " * 10,  # a string left open to the end of the text
        '{"a": 1, "b": [2, 3]}\n{"a": 2}\n[x]\n',  # JSON lines until a line that is not
    ],
)
def test_scanning_stays_linear(unit: str) -> None:
    small, large = unit * 1000, unit * 4000
    find_fragments(small)  # warm up
    ratio = _best(lambda: find_fragments(large)) / _best(lambda: find_fragments(small))
    assert ratio <= 6.0, f"4x the text took {ratio:.1f}x the time"


# --- invariants of detection, on generated texts ---------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
_PIECES = st.one_of(
    st.text(alphabet=st.sampled_from('ab [{}]":,\n 1x'), max_size=30),  # bracket-heavy prose
    _JSON_VALUES.map(lambda v: json.dumps(v)),
    _JSON_VALUES.map(lambda v: json.dumps(v, indent=2)),
    st.tuples(_JSON_VALUES, st.integers(1, 60)).map(lambda p: json.dumps(p[0])[: p[1]]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=8).map(" ".join))
@example('[{"id": 1, "name": "a long enough name"}, {"id": 2, "na {"k": [1, 2, 3, 4, 5, 6]}')
def test_detection_invariants(text: str) -> None:
    fragments = find_fragments(text)
    previous_end = 0
    for fragment in fragments:
        assert previous_end <= fragment.start < fragment.end <= len(text)
        previous_end = fragment.end
        if fragment.kind in ("embedded", "whole", "jsonl"):
            assert fragment.json_text == text[fragment.start : fragment.end]
        if fragment.parsed:  # offered for compression: a complete, exact JSON value
            assert fragment.problem is None
            if fragment.kind != "jsonl":  # a jsonl value is the list of its lines' values
                assert same(json.loads(fragment.json_text), fragment.value)
        else:
            assert fragment.problem is not None and fragment.value is None
    for fragment in fragments:
        if fragment.problem == "malformed":  # nothing offered from inside a broken container
            assert not any(
                other.parsed and fragment.start <= other.start < fragment.end
                for other in fragments
                if other is not fragment
            )
