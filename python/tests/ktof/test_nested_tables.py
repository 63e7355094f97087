"""KTOF nested table columns (docs/ktof.md §3.7): ``name[]{fields}``, ``[N]`` cells, sub-rows.

The properties in test_properties.py round-trip random tables with such columns; these tests pin
what the encoder chooses and what the decoder accepts and rejects, with the line it blames.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kaizen_client.ktof import KTOFDecodeError, decode, encode
from kaizen_client.tokens import count_tokens


def _countries(n: int) -> list[dict[str, Any]]:
    return [
        {
            "country": f"Country {i}",
            "code": f"C{i}",
            "regions": [{"name": f"Region {i}-{j}", "code": f"R{j}"} for j in range(i % 5)],
        }
        for i in range(n)
    ]


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a) == json.dumps(b)


def test_a_column_of_record_lists_becomes_a_nested_table() -> None:
    value = _countries(12)
    text = encode(value)
    assert text.splitlines()[0] == "[12]{country,code,regions[]{name,code}}"
    assert "Country 3,C3,[3]\n  Region 3-0,R0\n  Region 3-1,R1\n  Region 3-2,R2\n" in text
    assert "Country 0,C0,[0]\n" in text
    assert _same(decode(text), value)


def test_the_nested_table_is_chosen_only_when_it_costs_fewer_tokens() -> None:
    value = _countries(12)
    text = encode(value)
    with_json = text  # the other candidate: the same table with the column as JSON cells
    lines = ["[12]{country,code,regions[]}"]
    for row in value:
        cells = ",".join("{" + f"name:{r['name']},code:{r['code']}" + "}" for r in row["regions"])
        lines.append(f"{row['country']},{row['code']},[{cells}]")
    with_json = "\n".join(lines)
    assert _same(decode(with_json), value)
    assert count_tokens(text) < count_tokens(with_json)
    # One short list: the JSON cell is cheaper, and ties keep it.
    small = [{"id": 1, "items": [{"sku": "A", "qty": 1}]}, {"id": 2, "items": []}]
    assert encode(small) == "[2]{id,items[]}\n1,[{sku:A,qty:1}]\n2,[]"


def test_nested_table_under_a_field_and_in_a_keyed_table() -> None:
    value = {"page": 1, "rows": _countries(8), "by_code": {r["code"]: r for r in _countries(6)}}
    text = encode(value)
    # A root field's table may take the unindented layout (§3.5): sub-rows one level below.
    assert "rows[8]{country,code,regions[]{name,code}}\n" in text
    assert "\nCountry 2,C2,[2]\n  Region 2-0,R0\n" in text
    assert "by_code[6:]{country,code,regions[]{name,code}}:\n" in text
    assert "  C4: Country 4,C4,[4]\n    Region 4-0,R0\n" in text
    assert _same(decode(text), value)


@pytest.mark.parametrize("delimiter", [",", "\t", "|"])
@pytest.mark.parametrize("indent", [2, 4])
def test_round_trip_with_every_delimiter_and_indent(delimiter: str, indent: int) -> None:
    value = {"rows": _countries(10), "tail": [{"k": None, "v": [{"a": 1.0}, {"a": 2.0}]}] * 5}
    text = encode(value, delimiter=delimiter, indent=indent)
    assert "[]{" in text
    assert _same(decode(text, indent=indent), value)


def test_sub_rows_quote_a_first_cell_that_reads_as_a_key_or_a_comment() -> None:
    regions = [{"name": n, "code": f"R{i}"} for i, n in enumerate(["a: b", "#x", "- y", "ok"])]
    value = [{"id": i, "regions": regions} for i in range(6)]
    text = encode(value)
    assert '\n  "a: b",R0\n  "#x",R1\n  "- y",R2\n  ok,R3\n' in text
    assert _same(decode(text), value)


def test_optional_column_and_sparse_sub_rows() -> None:
    value = [
        {
            "id": i,
            **({"lines": [{"sku": f"S{j}", "qty": float(j)} for j in range(3)]} if i % 2 else {}),
        }
        for i in range(8)
    ]
    for row in value[1::4]:
        del row["lines"][1]["qty"]
    text = encode(value)
    assert text.splitlines()[0] == "[8]{id,lines[]{sku,qty(float)?}?}"
    assert _same(decode(text), value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[1]{a[]{b}}\n3", 2, "expected a row count '[N]'"),
        ("[1]{a[]{b}}\n[2]\n  1", 2, "declared 2 rows, found 1"),
        ("[1]{a[]{b}}\n[1]\n  1\n  2", 4, "unexpected indentation"),
        ("[1]{a[]{b},c[]{d}}\n[0],[0]", 1, "at most one table column"),
        ("[1]{a{b[]{c}}}\n[0]", 1, "top-level field"),
        ("[1]{a[]{b[]{c}}}\n[0]", 1, "top-level field"),
        ("t[1]{a[]{b}}:\n  [1]\n  x", 2, "declared 1 rows, found 0"),
    ],
)
def test_malformed_nested_tables_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(KTOFDecodeError) as info:
        decode(text)
    assert info.value.line == line
    assert message in str(info.value)


def test_a_row_with_every_cell_absent_is_an_empty_object() -> None:
    assert decode("[2]{x?,y?}\n1,2\n,") == [{"x": 1, "y": 2}, {}]
    assert decode("m[2:]{x?}:\n  a: 1\n  b:") == {"m": {"a": {"x": 1}, "b": {}}}


def test_unindented_rows_are_counted_without_their_sub_rows() -> None:
    text = "t[2]{a,b[]{c}}\n1,[2]\n  x\n  y\n2,[0]\nk: 1"
    assert decode(text) == {
        "t": [{"a": 1, "b": [{"c": "x"}, {"c": "y"}]}, {"a": 2, "b": []}],
        "k": 1,
    }


def test_tab_delimited_sub_rows_never_start_with_a_tab() -> None:
    """A keyed table's own rows may start with an absent first cell (they follow `key:`), but
    its sub-rows start their line: with the tab delimiter an absent first sub-cell would put a
    tab where the line reader takes it for indentation (found by the TypeScript port's check)."""
    value = {
        f"k{j}": {
            "id": j,
            "items": [{"sku": f"s{j}{t}", "qty": t} for t in range(4)] + [{"qty": 9}],
        }
        for j in range(2)
    }
    for delimiter in ("\t", ",", "|"):
        text = encode(value, delimiter=delimiter)
        assert "\n  \t" not in text and "\n    \t" not in text
        assert _same(decode(text), value)
