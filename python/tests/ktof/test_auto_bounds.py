"""Auto mode's bounded costing gives the answers of the plain costing it replaces.

Auto mode compares candidate renderings by exact token counts. To read less, it counts a
candidate that only matters if it wins up to the best cost so far
(``count_tokens_upto``), stops rendering list items once they cost more than the table,
derives what indenting a root table's rows costs from their unindented count
(``tokens.space_delta``), and writes each container's flow text once per document. Each
helper is checked here against the plain computation, for both encodings; the contract
vectors and the property ``encode_counted(...)[1] == count_tokens(text)`` cover the whole.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import _auto
from kaizen_client.ktof._auto import AutoWriter
from kaizen_client.tokens import boundary_at, certain_boundary, count_tokens, space_head

from .strategies import examples, json_values, nested_table_rows

MODELS = ("gpt-4o", "gpt-4")  # o200k_base, cl100k_base

ROWS = [
    "1000,SKU-0000,Widget 0,1,3.5,false",
    "-5,x,",
    ',"a: b",1',
    '"- x",2',
    "Émile Zola,3",
    "日本語abc,1",
    "it's,1",
    "true,null",
    "user_7512: Zoe Eriksen,zoe@x.test",
    "evt_0400,2025-01-06T08:00:00.971Z,http_request",
    "#tag,1",
    "{a:1},[b]",
    "🙂,1",
    "/api,1",
    "abc",
]


def _direct(writer: AutoWriter, pad: str, rows: list[str]) -> int:
    return writer.lines_cost([pad + row for row in rows])


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("width", [1, 2, 4])
def test_indented_cost_is_the_count_of_the_indented_rows(model: str, width: int) -> None:
    writer = AutoWriter(model, width, ",")
    pad = " " * width
    derived = 0
    for i in range(len(ROWS)):
        rows = ROWS[i:] + ROWS[:i]
        flat = writer.lines_cost(rows)
        got = writer.indented_cost(pad, rows, rows, flat)
        if got is not None:
            derived += 1
            assert got == _direct(writer, pad, rows), rows[0]
    assert derived == 0  # "abc" (no certain boundary) is in every rotation
    for row in ROWS:
        rows = [row, ROWS[0], row]
        got = writer.indented_cost(pad, rows, rows, writer.lines_cost(rows))
        if got is not None:
            derived += 1
            assert got == _direct(writer, pad, rows), row
    assert derived >= len(ROWS) - 3  # all but the emoji, "abc" and the "/" rows


CELL_TEXT = st.text(alphabet="ab Z09_-.:,|\t'\"日é🙂/#", max_size=8)


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(CELL_TEXT, min_size=1, max_size=5), st.lists(CELL_TEXT, min_size=1, max_size=5))
@pytest.mark.parametrize("delimiter", [",", "|", "\t"])
def test_row_head_is_space_head(delimiter: str, first: list[str], second: list[str]) -> None:
    """The per-first-cell memo answers what ``space_head`` of the whole row answers, also for
    a row that shares its first cell with one seen before but not its rest."""
    writer = AutoWriter("gpt-4o", 2, delimiter)
    rows = [delimiter.join(first), delimiter.join([first[0], *second]), delimiter.join(second)]
    for row in rows + rows:
        assert writer.row_head(row) == space_head(row), row


def test_row_head_searches_the_row_when_its_first_cell_has_no_boundary() -> None:
    writer = AutoWriter("gpt-4o", 2, ",")
    assert writer.row_head("日本,abc,1") == "日本,abc"
    assert writer.row_head("日本,x") is None  # same first cell, no boundary anywhere
    assert writer.row_head("bakeries,47.6") == "bakeries"
    assert writer.row_head("bakeries,x") == "bakeries"  # from the memo
    assert writer.row_head("1000,x") == "" and writer.row_head(" x,1") is None


@pytest.mark.parametrize("model", MODELS)
def test_indented_cost_with_differently_quoted_flat_rows(model: str) -> None:
    writer = AutoWriter(model, 2, ",")
    rows = ['"a: b",1', "x,2", '"- y",3']
    flat = ["a: b,1", "x,2", "- y,3"]
    got = writer.indented_cost("  ", rows, flat, writer.lines_cost(flat))
    assert got == _direct(writer, "  ", rows)


@pytest.mark.parametrize("model", MODELS)
def test_indented_cost_refuses_rows_it_cannot_derive(model: str) -> None:
    writer = AutoWriter(model, 2, ",")
    for rows in (["/api,1", "x,2"], ["x,1", "/api,2"], ["abc"], [" x,1"]):
        assert writer.indented_cost("  ", rows, rows, writer.lines_cost(rows)) is None


@pytest.mark.parametrize("model", MODELS)
def test_line_within_is_line_up_to_the_limit(model: str) -> None:
    texts = ['  data[]: {"a":1,"b":[1,2,3]}', "key: value", "x" * 200, "🙂 " * 30]
    for text in texts:
        exact = AutoWriter(model, 2, ",").line(text)
        n = exact[1]
        for limit in (-1, 0, n - 1, n, n + 1, 10 * n):
            fresh = AutoWriter(model, 2, ",").line_within(text, limit)
            assert fresh == (exact if n <= limit else None), (text[:30], limit)
            memoized = AutoWriter(model, 2, ",")
            memoized.line(text)
            assert memoized.line_within(text, limit) == fresh


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) and value else [value]


@settings(max_examples=examples(150), deadline=None)
@given(value=json_values())
def test_listed_within_is_listed_when_it_fits(value: Any) -> None:
    items = _items(value)
    for model in MODELS:
        full = AutoWriter(model, 2, ",").listed("k", items, 0, "")
        n = full[1]
        for limit in (0, n - 1, n, n + 5):
            got = AutoWriter(model, 2, ",").listed_within("k", items, 0, "", limit)
            assert got == (full if n <= limit else None), limit


@settings(max_examples=examples(200), deadline=None)
@given(value=json_values())
def test_flow_memo_writes_what_flow_writes(value: Any) -> None:
    writer = AutoWriter("gpt-4o", 2, ",")
    shared = [value, {"again": value}, [value, value]]  # the same objects reached twice
    for part in (value, shared):
        assert writer.flow(part) == _auto.flow(part)


# --- nested table columns (docs/ktof.md §3.7): a variant costed from the other's pieces ------

CELLS = ["[3]", "[{sku:A1,qty:2},{sku:B2,qty:1}]", "[]", "[0]", "x", "日本", "'s", "", "-1", "a b"]


@pytest.mark.parametrize("model", MODELS)
@given(
    prefix=st.sampled_from(["", "1,", "abc,", "x,y,", '"q",', "é,", "1.5,", "'a',", "  "]),
    left=st.sampled_from(CELLS),
    right=st.sampled_from(CELLS),
    suffix=st.sampled_from(["", ",1", ",abc", ",2025-01-01", ",[x]", ",é", ",'s", ",null"]),
)
@settings(max_examples=examples(300))
def test_paired_costs_equal_counting_each_line(
    model: str, prefix: str, left: str, right: str, suffix: str
) -> None:
    """``paired_costs`` counts lines in pieces cut at certain boundaries around where they
    differ; the total and every per-line difference must equal plain counts."""
    writer = AutoWriter(model, 2, ",")
    lines_a = [prefix + left + suffix, "k,1", prefix + right + suffix]
    lines_b = [prefix + right + suffix, "k,1", prefix + left + suffix]
    # Table rows are never blank: a blank line's newline joins the one before it.
    assume(all(line.strip() for line in lines_a + lines_b))
    cost, deltas, _ = writer.paired_costs(lines_a, lines_b)
    assert cost == writer.lines_cost(lines_a)
    for a, b, delta in zip(lines_a, lines_b, deltas, strict=True):
        assert delta == count_tokens(b + "\n", model) - count_tokens(a + "\n", model)
        assert writer.window_delta(a, b) == delta


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("spaces", [2, 4, 6])
@pytest.mark.parametrize("extra", [2, 4, 8])
@pytest.mark.parametrize("line", ["x,1", "1,2", "-5", "Émile", "#a", "'s", "[3]"])
def test_pad_growth_equals_counting_the_wider_line(
    model: str, spaces: int, extra: int, line: str
) -> None:
    writer = AutoWriter(model, 2, ",")
    sub = " " * spaces + line
    growth = writer.pad_growth(sub, extra)
    if growth is None:
        assert not line[0].isascii()
        return
    wider = " " * extra + sub
    assert growth == count_tokens(wider + "\n", model) - count_tokens(sub + "\n", model)


def test_boundary_at_matches_certain_boundary() -> None:
    for text in ["abc,1", "a'b", "日,x", "1:2", ",a", "ab", "a.", "x[y"]:
        first = certain_boundary(text)
        found = [i for i in range(len(text) + 1) if boundary_at(text, i)]
        assert (found[0] if found else -1) == first


@settings(max_examples=examples(300), deadline=None)
@given(rows=nested_table_rows(), lead=st.sampled_from(["", "  "]), name=st.sampled_from(["", "t"]))
def test_cheaper_variant_decides_as_counting_both_tables(rows: Any, lead: str, name: str) -> None:
    """The nested-vs-JSON-column choice from pieces equals counting both tables whole."""
    plan = (
        _auto.plan_table(rows, allow_markers=True, first_optional=True, nested=True)
        if all(type(row) is dict and row for row in rows)
        else None
    )
    plain = None if plan is None else plan.with_json_column()
    if plan is None or plain is None:
        return
    for model in MODELS:
        writer = AutoWriter(model, 2, ",")
        depth = len(lead) // 2
        nested_parts, json_parts = writer.table_parts(name, rows, [plan, plain], lead)
        assert json_parts == writer.table_parts(name, rows, [plain], lead)[0]  # the twin's own
        assert writer.cheaper_variant(json_parts, nested_parts, depth) == (
            writer.counted_variants(json_parts, nested_parts, depth)
        )
