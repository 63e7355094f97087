"""The flat root-table fast path reads exactly what the general decoder reads.

``decode`` answers an unindented root table of plain or ``(float)`` columns (the engine's
usual output) with ``_FlatTable`` instead of the line pre-pass, and the engine's verify step
asks ``decodes_to`` (compare while reading, no value built) before a full decode + compare.
Both must be invisible: the same value or the same error (message and line) as the general
decoder for every text, and ``decodes_to`` true only when the full check would say the same.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import KTOFDecodeError, decode, encode
from kaizen_client.ktof._equal import same_json
from kaizen_client.ktof.decoder import (
    _NOT_JSON,
    _Decoder,
    _FlatTable,
    _Lines,
    _root_json,
    decodes_to,
)

from .strategies import examples, float_and_optional_rows, uniform_rows


def general(text: str) -> tuple[str, Any]:
    """What ``decode`` without the fast path makes of ``text``: a value or an error."""
    try:
        if text[:2] == " {" or text.lstrip(" \t\r\n")[:1] == "[":
            value = _root_json(text, True)
            if value is not _NOT_JSON:
                return "value", value
        return "value", _Decoder(_Lines(text, 2, True), True).document()
    except KTOFDecodeError as exc:
        return "error", (str(exc), exc.line)
    except TypeError as exc:  # the compiled build's form of the sentinel quirk below
        return "type error", str(exc)


def fast(text: str) -> tuple[str, Any]:
    try:
        return "value", decode(text)
    except KTOFDecodeError as exc:
        return "error", (str(exc), exc.line)
    except TypeError as exc:  # the compiled build's form of the sentinel quirk below
        return "type error", str(exc)


def assert_same_outcome(text: str) -> None:
    expected = general(text)
    got = fast(text)
    assert got[0] == expected[0], text
    if got[0] == "value":
        # ``==`` too: a row of absent optional cells reads as an internal sentinel today
        # (``[1]{a?,b?}`` then ``,``), a general-decoder quirk the fast path leaves alone.
        assert same_json(got[1], expected[1]) or got[1] == expected[1], text
    else:
        assert got[1] == expected[1], text


def assert_decodes_to_is_sound(text: str, value: Any) -> None:
    """``decodes_to`` may say False when unsure, but True only when the full check agrees."""
    if decodes_to(text, value):
        kind, decoded = general(text)
        assert kind == "value" and same_json(decoded, value), text


TOKENS = [
    "",
    " ",
    "a",
    " a ",
    "Widget 0",
    "true",
    "false",
    "null",
    "0",
    "-0",
    "05",
    "1",
    "-1",
    "1.5",
    "1.50",
    "1e5",
    "1E+5",
    "-0.0",
    "1e400",
    "99999999999999999999",
    "inf",
    "nan",
    "+1",
    ".5",
    "5.",
    "1_0",
    "x:y",
    '"q"',
    '"a,b"',
    '""',
    '" a "',
    '"a\\"b"',
    '"q" x',
    '"k": 1',
    '"unterminated',
    "- x",
    "#c",
    "[1]",
    "{a}",
    "a\tb",
    "é",
]


@st.composite
def flat_tables(draw: st.DrawFn) -> str:
    """Texts shaped like a flat root table, often well-formed, often slightly not."""
    width = draw(st.integers(1, 4))
    names = [f"c{i}" for i in range(width)]
    kinds = [
        draw(st.sampled_from(["", "", "(float)", "?", "(float)?", "[]"])) for _ in range(width)
    ]
    delimiter = draw(st.sampled_from([",", ",", ",", "|", "\t"]))
    marker = "" if delimiter == "," else delimiter
    rows = draw(st.integers(1, 4))
    declared = rows + draw(st.sampled_from([0, 0, 0, 0, 1, -1]))
    fields = delimiter.join(name + kind for name, kind in zip(names, kinds, strict=True))
    lines = [f"[{declared}{marker}]{{{fields}}}"]
    for _ in range(rows):
        cells = draw(st.lists(st.sampled_from(TOKENS), min_size=width, max_size=width))
        if draw(st.integers(0, 9)) == 0:
            cells = cells[:-1] if len(cells) > 1 else [*cells, "1"]
        line = delimiter.join(cells)
        prefix = draw(st.sampled_from(["", "", "", "", " ", "  ", "\t", "#"]))
        lines.append(prefix + line)
    if draw(st.integers(0, 5)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["", "  ", "# c"])))
    ending = draw(st.sampled_from(["", "", "\n", "\n\n", "\r\n", "\nx: 1"]))
    return "\n".join(lines) + ending


@settings(max_examples=examples(1500), deadline=None)
@given(flat_tables())
@example("[2]{a,b(float)}\n1,2\nx,3.5")
@example("[1]{a}\ninf")
@example("[2]{a,b}\n1,2\n\n3,4")
@example("[2]{a,b}\n1,2\n#c\n3,4")
@example("[1]{a,a}\n1")
@example("[1]{a(float)}\n1e400")
def test_fast_path_reads_like_the_general_decoder(text: str) -> None:
    assert_same_outcome(text)
    kind, value = general(text)
    if kind == "value":
        assert_decodes_to_is_sound(text, value)
        table = _FlatTable.of(text)
        if table is not None and table.rows() is not None:  # the fast path read it all
            assert decodes_to(text, value)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(uniform_rows(min_rows=1, max_rows=6), float_and_optional_rows()))
def test_encoded_tables(value: list[Any]) -> None:
    text = encode(value)
    assert_same_outcome(text)
    assert_decodes_to_is_sound(text, value)


def orders(n: int = 40) -> list[dict[str, Any]]:
    """The engine benchmark's tool result: ids, SKUs, names, quantities, prices, flags."""
    return [
        {
            "id": 1000 + i,
            "sku": f"SKU-{i * 37 % 997:04d}",
            "name": f"Widget {i}",
            "qty": i * 7 % 13 + 1,
            "price": round(3.5 + i * 1.25, 2),
            "in_stock": i % 3 != 0,
        }
        for i in range(n)
    ]


def test_the_engines_usual_output_takes_the_fast_paths() -> None:
    value = orders()
    text = encode(value)
    assert text.startswith("[40]{id,sku,name,qty,price(float),in_stock}\n")
    assert _FlatTable.of(text) is not None
    assert decodes_to(text, value)
    assert same_json(decode(text), value)


@pytest.mark.parametrize(
    ("text", "value", "certain"),
    [
        ("[1]{a}\n1", [{"a": 1}], True),
        ("[1]{a}\n1", [{"a": 1.0}], False),
        ("[1]{a(float)}\n1", [{"a": 1.0}], True),
        ("[1]{a(float)}\n1", [{"a": 1}], False),
        ("[1]{a(float)}\n-0", [{"a": -0.0}], True),
        ("[1]{a(float)}\n0", [{"a": -0.0}], False),
        ("[1]{a}\ntrue", [{"a": True}], True),
        ("[1]{a}\ntrue", [{"a": "true"}], False),
        ("[1]{a}\n1", [{"a": True}], False),
        ("[1]{a}\ninf", [{"a": float("inf")}], False),
        ("[1]{a}\nnan", [{"a": float("nan")}], False),
        ("[1]{a,b}\n,1", [{"a": "", "b": 1}], True),
        ("[1]{a,b}\n1,2", [{"b": 2, "a": 1}], False),
        ("[1]{a,b}\n1,2", [{"a": 1}], False),
        ("[2]{a}\n1\n2", [{"a": 1}], False),
        ("[1]{a}\n1", {"a": 1}, False),
        ('[1]{a}\n"x"', [{"a": "x"}], True),  # quoted rows: the general splitter
        ('[1]{a,b}\n"1,2",3', [{"a": "1,2", "b": 3}], True),
        ('[1]{a,b}\n"1,2",3', [{"a": "1", "b": "2,3"}], False),
        ('[1]{a}\n"x', [{"a": "x"}], False),  # unterminated: the general decoder raises
        ("[1]{a?,b}\n,1", [{"b": 1}], True),  # an empty optional cell: the key is absent
        ("[1]{a?,b}\n,1", [{"a": "", "b": 1}], False),
        ('[1]{a?,b}\n"",1', [{"a": "", "b": 1}], True),
        ("[1]{a?,b}\n,1", [{"b": 1, "a": None}], False),  # a key the row lacks
        ("[1]{a,b?}\n1,", [{"a": 1, "b": None}], False),
        ("[1]{a,b?}\n1,2", [{"b": 2, "a": 1}], False),  # keys out of the header's order
        ("[2]{a?,b(float)?}\n, \nx,3", [{}, {"a": "x", "b": 3.0}], True),
        ("[1]{a,b}\nx ,1", [{"a": "x ", "b": 1}], False),  # the cell is trimmed to "x"
        ("[1]{a,b}\nx , 1", [{"a": "x", "b": 1}], True),
        ("[1]{a,b(float)}\n 7,2", [{"a": 7, "b": 2.0}], False),  # indented row: general path
        ("[1]{a,b(float)}\n7, 2 ", [{"a": 7, "b": 2.0}], True),
    ],
)
def test_decodes_to_cases(text: str, value: Any, certain: bool) -> None:
    assert decodes_to(text, value) is certain
    assert_decodes_to_is_sound(text, value)


CORRUPTIONS = [
    ("1000,", "1001,"),  # an id
    ("1000,", "1000.0,"),  # an int that reads as a float
    ("Widget 1,", "Widget 2,"),  # a string
    ("Widget 1,", "Widget 1 ,"),  # harmless padding: still the same value
    (",true\n", ",false\n"),  # a flag
    (",true\n", ",1\n"),  # a flag that reads as an int
    (",4.75,", ",4.7,"),  # a float
    (",6,", ",6.5,"),  # a whole float
    ("price(float)", "price"),  # the column marker: 6 now reads as the int 6
    ("{id,sku,", "{sku,id,"),  # swapped column names
    ("[40]", "[39]"),  # the row count
]


@pytest.mark.parametrize(("old", "new"), CORRUPTIONS)
def test_a_corrupted_replacement_is_rejected_by_the_engine(
    old: str, new: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A codec that wrote a wrong KTOF text costs a skipped fragment (``error``), never a
    corrupted prompt: the verify step's fast path must catch what the full check caught."""
    from kaizen_client.engine import gating

    value = orders()
    good = encode(value)
    assert old in good
    bad = good.replace(old, new, 1)
    still_equal = same_json(general(bad)[1], value) if general(bad)[0] == "value" else False
    assert still_equal == (new == "Widget 1 ,")  # padding is trimmed; the rest corrupts
    monkeypatch.setattr(gating, "encode_counted", lambda *_a, **_k: (bad, 10))
    outcome = gating._decide(json.dumps(value), value, "gpt-4o", gating.GateSettings(), False)
    assert outcome.reason == ("compressed" if still_equal else "error")
    assert not gating._round_trips(value, bad, gating.GateSettings()) or still_equal
