"""Auto mode's speed shortcuts never change a decision.

Each shortcut skips work only where the skipped work could not have changed the answer:
``tokens.pretoken_floor`` is a lower bound of every count (checked here against the
tokenizers' own pre-token patterns and against the counts), and auto mode with a shortcut
writes exactly what it writes without it (checked by switching the shortcut off).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import _auto
from kaizen_client.ktof.encoder import encode_counted
from kaizen_client.tokens import count_tokens, pretoken_floor, pretoken_floors

from .strategies import (
    HARD_ALPHABET,
    HARD_STRINGS,
    documents,
    examples,
    float_and_optional_rows,
    json_values,
    uniform_rows,
)

MODELS = ("gpt-4o", "gpt-4")  # o200k_base, cl100k_base

# The two encodings' pre-token patterns, as tiktoken publishes them.
O200K_PATTERN = "|".join(
    [
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"\p{N}{1,3}",
        r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
        r"\s*[\r\n]+",
        r"\s+(?!\S)",
        r"\s+",
    ]
)
CL100K_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Characters of every class the floor tells apart, and the ones it must stay silent next to.
FLOOR_ALPHABET = "aZq09 '\"{}[]:,./\\-_!~\t\n\u00e9\u65e5\U0001f44b\u0301\u0663\u00a0"

floor_texts = st.one_of(
    st.text(alphabet=FLOOR_ALPHABET, max_size=24),
    st.text(alphabet=HARD_ALPHABET, max_size=24),
    st.lists(st.sampled_from(HARD_STRINGS), max_size=6).map("".join),
    json_values().map(lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))),
    st.text(max_size=16),
)

EXAMPLES = [
    "",
    "a",
    '{"id":1,"name":"Alice"}',
    "2025-01-06T08:00:00.971Z",
    "it's 12345678 o'clock",
    '"\u00e9a"',
    "1\u06632",
    '\u2014"a',
    "https://api.github.com/repos/o/r/issues/12",
    " \"a ' b\\n\\nc",
]


def _pretokens(pattern: str, text: str) -> int:
    regex = pytest.importorskip("regex")
    return len(regex.findall(pattern, text))


@pytest.mark.parametrize("text", EXAMPLES)
def test_floor_on_examples(text: str) -> None:
    floor = pretoken_floor(text)
    for pattern in (O200K_PATTERN, CL100K_PATTERN):
        assert floor <= _pretokens(pattern, text)
    for model in MODELS:
        assert floor <= count_tokens(text, model)


def test_floor_is_tight_on_compact_json() -> None:
    text = '{"id":1,"name":"Alice","tags":["x","y"],"n":12345}'
    assert pretoken_floor(text) == _pretokens(O200K_PATTERN, text)


@settings(max_examples=examples(600), deadline=None)
@given(text=floor_texts)
def test_floor_never_exceeds_the_pretokens(text: str) -> None:
    floor = pretoken_floor(text)
    assert floor <= _pretokens(O200K_PATTERN, text)
    assert floor <= _pretokens(CL100K_PATTERN, text)


@settings(max_examples=examples(300), deadline=None)
@given(text=floor_texts)
def test_floor_never_exceeds_the_count(text: str) -> None:
    floor = pretoken_floor(text)
    for model in MODELS:
        assert floor <= count_tokens(text, model)


@settings(max_examples=examples(400), deadline=None)
@given(value=json_values())
def test_json_floor_is_at_least_the_flow_floor(value: Any) -> None:
    """What lets a root object's flow text stand in for its JSON text: quotes around keys and
    strings, and a float exponent's ``+`` and zeros, only ever add pre-token starts."""
    json_text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    flow_text = _auto.AutoWriter("gpt-4o", 2, ",").flow(value)
    assert pretoken_floor(json_text) >= pretoken_floor(flow_text)
    assert pretoken_floor(" " + json_text) >= pretoken_floor(json_text)


def test_root_object_ruled_out_by_its_flow_floor_is_not_written_as_json() -> None:
    config = {"name": "x", "rows": _big_documents()[0][:200], "meta": {"v": 1}}
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    with mock.patch.object(_auto, "_dumps", side_effect=AssertionError("JSON written")):
        text, cost = writer.document(config)
    assert (text, cost) == encode_counted(config)


def _configs() -> list[dict[str, Any]]:
    """Root objects with a large field whose inline candidate the floor rules out, beside
    fields of every kind (the root check then reuses that field's starts)."""
    services = _big_documents()[3]["services"]
    tail = {"n": 1700000000, "f": 1e16, "s": "it's", "l": [1, "a"], "e": {}, "t": True}
    return [
        {"name": "x", "services": services, "words": {"text": "a b"}},
        {"services": services},
        {"a": {"b": 1}, "services": services, **tail},
        {"services": services, "more": dict(list(services.items())[:60]), **tail},
    ]


@pytest.mark.parametrize("index", range(4))
def test_root_flow_floor_reusing_a_field_is_sound(index: int) -> None:
    config = _configs()[index]
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    writer.document(config)
    assert id(config["services"]) in writer.flow_starts
    floor = pretoken_floor(_auto.flow(config))
    assert floor <= pretoken_floor(json.dumps(config, separators=(",", ":")))
    for limit in (floor // 2, floor - 50, floor - 2, floor - 1, floor, floor + 1):
        if writer.root_flow_exceeds(config, limit):
            assert floor > limit, limit
    assert writer.root_flow_exceeds(config, floor // 2)
    _assert_floor_changes_nothing(config)


_cells = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([2.0, 1e16, 1e-05, -0.0, True, False, None, "", " x", "a,b", 'q"', "1.5"]),
    st.text(alphabet=HARD_ALPHABET, max_size=8),
    st.lists(st.integers(0, 9), max_size=2),
    st.dictionaries(st.sampled_from(["k", "1"]), st.integers(0, 9), max_size=1),
)


@st.composite
def _tables(draw: st.DrawFn) -> Any:
    """Roots written as tables: rows sharing keys (some optional, some nested objects), as a
    list or as the values of a keyed object."""
    keys = draw(
        st.lists(
            st.text(alphabet="ab1_ -:", min_size=1, max_size=4), min_size=1, max_size=4, unique=True
        )
    )
    rows = []
    for _ in range(draw(st.integers(4, 12))):
        row = {k: draw(_cells) for k in keys if draw(st.integers(0, 5)) > 0}
        rows.append(row or {keys[0]: 1})
    if draw(st.booleans()):
        return {f"e{i}": row for i, row in enumerate(rows)}
    return rows


@settings(max_examples=examples(400), deadline=None)
@given(value=_tables(), delimiter=st.sampled_from([",", "|", "\t"]), indent=st.integers(1, 3))
def test_table_floor_bound_is_sound(value: Any, delimiter: str, indent: int) -> None:
    """The bound table_floor_exceeds relies on (it counts fewer key starts than this): a root
    table's JSON has at least its rows' pre-token starts plus every row's keys' ones."""
    writer = _auto.AutoWriter("gpt-4o", indent, delimiter)
    text, _ = writer.document(value, compare_json=False)
    plan = writer.root_table
    if plan is None or plan.table >= 0:
        return
    json_text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    rows = value if isinstance(value, list) else list(value.values())
    keys = sum(
        pretoken_floor("," + json.dumps(name, ensure_ascii=False) + ":") - 1
        for row in rows
        for name in row
    )
    body = "\n".join(text.split("\n")[1:])
    assert pretoken_floor(json_text) >= pretoken_floor(body) + keys


@settings(max_examples=examples(150), deadline=None)
@given(value=_tables(), delimiter=st.sampled_from([",", "\t"]))
def test_table_floor_changes_nothing(value: Any, delimiter: str) -> None:
    for model in MODELS:
        fast = encode_counted(value, model=model, delimiter=delimiter)
        with _without_floor():
            slow = encode_counted(value, model=model, delimiter=delimiter)
        assert fast == slow


@settings(max_examples=examples(300), deadline=None)
@given(
    items=st.one_of(_tables(), uniform_rows(min_rows=1, max_rows=6), float_and_optional_rows()),
    delimiter=st.sampled_from([",", "|", "\t"]),
    plain=st.booleans(),
)
def test_column_rows_are_the_rows_written_row_by_row(
    items: Any, delimiter: str, plain: bool
) -> None:
    """Writing a table a column at a time gives each row exactly as :meth:`row_variants`
    writes it (and declines tables with a field group, JSON or nested table column)."""
    rows = items if isinstance(items, list) else list(items.values())
    plan = _auto.plan_table(rows, allow_markers=True, first_optional=True, nested=True)
    assume(plan is not None)
    assert plan is not None
    writer = _auto.AutoWriter("gpt-4o", 2, delimiter)
    columns = writer.column_rows(rows, plan.fields, delimiter, plain)
    leaves = all(
        sub is None and kind in (_auto.PLAIN, _auto.FLOAT) for _, sub, kind, _ in plan.fields
    )
    assert (columns is not None) == leaves
    if columns is not None:
        fresh = _auto.AutoWriter("gpt-4o", 2, delimiter)  # no memo shared with the columns
        by_row = [fresh.row_variants(row, plan, delimiter, quote_first=plain)[0] for row in rows]
        assert columns == by_row


@pytest.mark.skipif(
    not _auto.__file__.endswith(".py"),
    reason="patches a method of the writer: the compiled build's classes cannot be patched",
)
@settings(max_examples=examples(150), deadline=None)
@given(value=_tables(), delimiter=st.sampled_from([",", "\t"]))
def test_column_rows_change_nothing(value: Any, delimiter: str) -> None:
    for model in MODELS:
        fast = encode_counted(value, model=model, delimiter=delimiter)
        with mock.patch.object(_auto.AutoWriter, "column_rows", lambda *args: None):
            slow = encode_counted(value, model=model, delimiter=delimiter)
        assert fast == slow


@contextmanager
def _without_floor() -> Iterator[None]:
    """Auto mode with the floor switched off: every candidate is tokenized as before it."""
    no_chunks = mock.patch.object(_auto, "pretoken_floors", lambda text, first, size: iter(()))
    with mock.patch.object(_auto, "pretoken_floor", lambda text: 0), no_chunks:
        yield


def _assert_floor_changes_nothing(value: Any) -> None:
    """The same text and count with the floor as with every candidate tokenized."""
    for model in MODELS:
        fast = encode_counted(value, model=model)
        with _without_floor():
            slow = encode_counted(value, model=model)
        assert fast == slow


@settings(max_examples=examples(150), deadline=None)
@given(value=documents)
def test_document_with_and_without_the_floor(value: Any) -> None:
    _assert_floor_changes_nothing(value)


def test_root_json_that_cannot_win_is_not_tokenized() -> None:
    rows = [{"id": i, "name": f"user {i}", "active": i % 2 == 0} for i in range(40)]
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    with mock.patch.object(_auto, "count_tokens_upto") as upto:
        text, _ = writer.document(rows)
    upto.assert_not_called()
    assert text == encode_counted(rows)[0]
    assert not text.startswith("[{")


def _big_documents() -> list[Any]:
    """Documents past the sampling threshold: one whose floor rules JSON out, one of long
    words whose floor cannot (the sample then skips the floor), one in between, and a config
    whose large inline candidate (``services[]: {...}``) the floor rules out."""
    rows = [{"id": i, "sku": f"SKU-{i:05d}", "qty": i % 7, "ok": i % 3 == 0} for i in range(600)]
    words = "internationalization counterrevolutionaries electroencephalographically"
    prose = [{"id": i, "text": f"{words} {i}"} for i in range(200)]
    nested = {"meta": {"version": 3}, "rows": rows[:150], "notes": prose[:80]}
    services = {
        f"svc{i}": {"port": 8000 + i, "env": ["a", "b"], "on": i % 2 == 0} for i in range(200)
    }
    config = {"name": "x", "services": services, "words": {"text": words}}
    return [rows, prose, nested, config]


@pytest.mark.parametrize("model", MODELS)
def test_line_within_of_a_long_line(model: str) -> None:
    services = _big_documents()[3]["services"]
    text = "services[]: " + _auto.flow(services)
    assert len(text) >= _auto.FLOOR_LINE_MIN
    exact = _auto.AutoWriter(model, 2, ",").line(text)
    n = exact[1]
    floor = pretoken_floor(text + "\n")
    for limit in (-1, 0, floor - 1, floor, n - 1, n, n + 1):
        got = _auto.AutoWriter(model, 2, ",").line_within(text, limit)
        assert got == (exact if n <= limit else None), limit


def test_long_inline_candidate_that_cannot_win_is_not_tokenized() -> None:
    config = _big_documents()[3]
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    lengths: list[int] = []
    real = _auto.count_tokens_upto

    def spy(text: str, limit: int, model: str) -> int | None:
        lengths.append(len(text))
        return real(text, limit, model)

    with mock.patch.object(_auto, "count_tokens_upto", spy):
        text, _ = writer.document(config)
    assert text == encode_counted(config)[0]
    assert "services[]:" not in text
    assert max(lengths, default=0) < _auto.FLOOR_LINE_MIN


@pytest.mark.parametrize("index", range(4))
def test_sampled_floor_keeps_the_output(index: int) -> None:
    value = _big_documents()[index]
    _assert_floor_changes_nothing(value)


def test_floor_verdict_takes_both_ways() -> None:
    rows, prose = _big_documents()[:2]
    verdicts = []
    for value in (rows, prose):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        assert len(text) > 4 * _auto.FLOOR_SAMPLE
        cost = encode_counted(value, compare_json=False)[1]
        verdicts.append(_auto._floor_verdict(text, cost - 1)[0])
    assert verdicts == [_auto.FLOOR_EXCEEDS, _auto.FLOOR_SKIPPED]


@settings(max_examples=examples(300), deadline=None)
@given(
    text=floor_texts, times=st.integers(1, 60), first=st.integers(1, 40), size=st.integers(1, 40)
)
def test_floor_in_chunks_is_the_floor(text: str, times: int, first: int, size: int) -> None:
    """Chunks cut anywhere (inside digit runs and multi-byte characters too) add up to the
    floor, and every floor so far is at most it (so it is a lower bound of the count too)."""
    text *= times
    steps = list(pretoken_floors(text, first, size))
    assert [floor for _, _, floor in steps] == sorted(floor for _, _, floor in steps)
    assert (steps[-1][2] if steps else 0) == pretoken_floor(text)
    assert all(total == len(text.encode("utf-8", "surrogatepass")) for _, total, _ in steps)


def test_floor_verdict_stops_reading_once_the_limit_is_passed() -> None:
    text = json.dumps(_big_documents()[0], separators=(",", ":"))
    floor = pretoken_floor(text)
    read: list[int] = []
    real = pretoken_floors

    def spy(text: str, first: int, size: int) -> Iterator[tuple[int, int, int]]:
        for step in real(text, first, size):
            read.append(step[0])
            yield step

    with mock.patch.object(_auto, "pretoken_floors", spy):
        assert _auto._floor_verdict(text, floor // 2)[0] == _auto.FLOOR_EXCEEDS
        assert read[-1] < len(text) // 2 + _auto.FLOOR_CHUNK
        assert _auto._floor_verdict(text, floor - 1) == (_auto.FLOOR_EXCEEDS, floor)
        assert _auto._floor_verdict(text, floor) == (_auto.FLOOR_BELOW, floor)
        assert read[-1] == len(text)


long_texts = st.builds(
    lambda parts, times: "".join(parts) * times,
    st.lists(floor_texts, min_size=1, max_size=4),
    st.integers(1, 400),
)


@settings(max_examples=examples(200), deadline=None)
@given(text=long_texts, share=st.floats(0.0, 1.3))
def test_count_halves_within_is_count_tokens_upto(text: str, share: float) -> None:
    for model in MODELS:
        writer = _auto.AutoWriter(model, 2, ",")
        n = count_tokens(text, model)
        for limit in (int(n * share), n - 1, n, -1):
            expected = n if n <= limit else None
            assert writer.count_halves_within(text, limit) == expected
            assert writer.count_within(text, limit) == expected


# --- list items counted in batches, bounded listing, JSON-first mixed roots ----------------

mixed_lists = st.lists(
    st.one_of(json_values(8), st.sampled_from(HARD_STRINGS), st.just([]), st.just({})),
    min_size=1,
    max_size=10,
)
INDENTS = (1, 2, 4)


def _plain_cost(lines: list[str], model: str) -> int:
    """What a list of lines costs counted one by one, each with its newline."""
    return sum(count_tokens(line + "\n", model) for line in lines)


def _document_the_usual_way(writer: _auto.AutoWriter, items: list[Any]) -> tuple[str, int]:
    """document() of a root list as it was before mixed roots counted JSON first: every
    item rendered, then JSON counted up to the list's cost (ties keep the list)."""
    lines, cost = writer.best_array(None, items, 0, "")
    text = "\n".join(lines)
    cost = writer.exact_cost(lines, text, cost)
    json_text = json.dumps(items, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    json_cost = count_tokens(json_text, writer.model)
    return (json_text, json_cost) if json_cost < cost else (text, cost)


@settings(max_examples=examples(200), deadline=None)
@given(items=mixed_lists, indent=st.sampled_from(INDENTS), depth=st.integers(1, 3))
def test_batched_items_cost_what_their_lines_cost(
    items: list[Any], indent: int, depth: int
) -> None:
    for model in MODELS:
        writer = _auto.AutoWriter(model, indent, ",")
        for _ in range(2):  # the second time round, lines recur (memoized or queued twice)
            lines: list[str] = []
            cost = writer.items(items + items, depth, lines)
            assert cost == _plain_cost(lines, model)


@settings(max_examples=examples(150), deadline=None)
@given(items=mixed_lists, indent=st.sampled_from(INDENTS), share=st.floats(0.0, 1.2))
def test_bounded_items_are_items_up_to_the_limit(
    items: list[Any], indent: int, share: float
) -> None:
    for model in MODELS:
        full: list[str] = []
        n = _auto.AutoWriter(model, indent, ",").items(items, 1, full)
        for limit in sorted({0, int(n * share), n - 1, n}):
            if limit < 0:
                continue
            lines: list[str] = []
            got = _auto.AutoWriter(model, indent, ",").items(items, 1, lines, limit)
            assert got == (n if n <= limit else -1), limit
            if got >= 0:
                assert lines == full


@settings(max_examples=examples(200), deadline=None)
@given(item=st.one_of(json_values(6), st.sampled_from(HARD_STRINGS), st.just({})))
def test_every_item_costs_at_least_its_floor(item: Any) -> None:
    """The bounded listing reserves _item_floor tokens per item still to come."""
    for model in MODELS:
        for indent in INDENTS:
            writer = _auto.AutoWriter(model, indent, ",")
            lines: list[str] = []
            writer.items([item], 1, lines)
            floor = _auto._item_floor(writer.indentation(1))
            assert count_tokens("\n".join(lines), model) >= floor  # last line: no newline


@settings(max_examples=examples(200), deadline=None)
@given(items=mixed_lists, indent=st.sampled_from(INDENTS))
def test_root_listing_within_refuses_only_what_costs_more(items: list[Any], indent: int) -> None:
    for model in MODELS:
        full = _auto.AutoWriter(model, indent, ",").listed("", items, 0, "")
        exact = count_tokens("\n".join(full[0]), model)
        for limit in sorted({0, exact - 1, exact, full[1] - 1, full[1], full[1] + 3}):
            got = _auto.AutoWriter(model, indent, ",").root_listed_within(items, limit)
            if got is None:
                assert exact > limit, limit
            else:
                assert got == full, limit


@settings(max_examples=examples(200), deadline=None)
@given(items=mixed_lists, indent=st.sampled_from(INDENTS))
def test_mixed_root_decides_as_counting_the_list_first(items: list[Any], indent: int) -> None:
    assume(_auto._mixed(items))
    for model in MODELS:
        got = _auto.AutoWriter(model, indent, ",").document(items)
        expected = _document_the_usual_way(_auto.AutoWriter(model, indent, ","), items)
        assert got == expected
        assert got[1] == count_tokens(got[0], model)


def test_mixed_root_of_scalars_that_lose_to_json() -> None:
    items: list[Any] = [[1, 2], *range(40), "a", None, {"k": [True, 2.5]}]
    for model in MODELS:
        text, cost = _auto.AutoWriter(model, 2, ",").document(items)
        assert text.startswith("[[1,2],0,1")  # compact JSON, not "- " items
        assert (text, cost) == _document_the_usual_way(_auto.AutoWriter(model, 2, ","), items)


@pytest.mark.parametrize("model", MODELS)
def test_root_fields_starting_with_a_slash_are_not_batched(model: str) -> None:
    """o200k joins a line ending in punctuation with a next line starting with "/"; root
    object fields (the only unindented one-line fields) are counted line by line."""
    value = {"a": "x]", "/b": "]", "/c": 1, "d": {"/e": "]", "/f": [1, 2]}}
    text, cost = encode_counted(value, model=model, compare_json=False)
    assert "\n/b: ]\n/c:1" in text
    assert cost == count_tokens(text, model)
    writer = _auto.AutoWriter(model, 2, ",")
    for depth in (0, 1, 2):
        lines, cost = writer.object_block(value, depth)
        assert cost == _plain_cost(lines, model)
    if model == "gpt-4o":  # the case itself: "]\n/" is one pre-token there
        joined = count_tokens("a: x]\n/b: ]\n", model)
        assert joined != _plain_cost(["a: x]", "/b: ]"], model)


def test_float_memo_keeps_the_sign_of_zero() -> None:
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    assert [writer.number(x) for x in (0.0, -0.0, 1.0, 1, 2.5, 2.5, -0.0)] == [
        "0.0",
        "-0.0",
        "1.0",
        "1",
        "2.5",
        "2.5",
        "-0.0",
    ]
    text = encode_counted([0.0, {"a": -0.0}, -0.0, [0.0, -0.0]], compare_json=False)[0]
    assert text == "[4]:\n  - 0.0\n  - a:-0.0\n  - -0.0\n  - [2]:0.0,-0.0"


def test_mixed_root_that_wins_after_all() -> None:
    """JSON is counted first, yet the items win: short pairs (which lose to JSON) come first,
    then strings whose backslashes JSON must escape."""
    items: list[Any] = [[i, i + 1] for i in range(40)]
    items += ["a \\\\ b \\\\ c \\\\ d \\\\ e" + str(i) for i in range(200)]
    for model in MODELS:
        got = _auto.AutoWriter(model, 2, ",").document(items)
        assert got[0].startswith("[240]:\n  - [2]:0,1")
        assert got == _document_the_usual_way(_auto.AutoWriter(model, 2, ","), items)


# --- the document's count from its lines' counts ---------------------------------------------

last_lines = st.one_of(
    st.text(alphabet=FLOOR_ALPHABET.replace("\n", ""), max_size=90),
    st.lists(st.sampled_from(HARD_STRINGS), max_size=8)
    .map("".join)
    .filter(lambda t: "\n" not in t),
    json_values().map(lambda v: "k[]: " + json.dumps(v, ensure_ascii=False, separators=(",", ":"))),
    st.builds(
        lambda n, end: "x: " + "a" * n + end,
        st.integers(0, 80),
        st.sampled_from(["", "}", " ", "é", "1"]),
    ),
)


@settings(max_examples=examples(400), deadline=None)
@given(
    head=st.lists(st.sampled_from(["id:1", "  name: Ann", "a[]: {b:1}", "x"]), max_size=3),
    last=last_lines.filter(bool),
)
def test_exact_cost_counts_only_the_last_lines_tail(head: list[str], last: str) -> None:
    """exact_cost() takes the text's count from its lines' counts (each with its newline),
    counting only the last line's stretch after its last certain boundary without one."""
    lines = [*head, last]
    text = "\n".join(lines)
    for model in MODELS:
        writer = _auto.AutoWriter(model, 2, ",")
        cost = sum(count_tokens(line + "\n", model) for line in lines)
        assert writer.exact_cost(lines, text, cost) == count_tokens(text, model)


def test_exact_cost_does_not_count_a_long_last_line_again() -> None:
    flow = (
        "{"
        + ",".join(f"url{i}:https://api.github.com/repos/o/r/issues/{i}" for i in range(200))
        + "}"
    )
    lines = ["id:1", "issue[]: " + flow]
    text = "\n".join(lines)
    cost = sum(count_tokens(line + "\n") for line in lines)
    writer = _auto.AutoWriter("gpt-4o", 2, ",")
    with mock.patch.object(_auto, "count_tokens", wraps=count_tokens) as counted:
        assert writer.exact_cost(lines, text, cost) == count_tokens(text)
    assert max(len(call.args[0]) for call in counted.call_args_list) < 80
