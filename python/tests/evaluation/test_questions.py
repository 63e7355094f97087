"""Question generation, normalisation and the Wilson interval, without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaizen_client import ktof
from kaizen_client.evaluation import (
    FORMATS,
    Dataset,
    build_prompt,
    generate_questions,
    load_datasets,
    load_questions,
    normalise,
    render,
    sample_datasets,
    wilson_interval,
)
from kaizen_client.evaluation.fake_model import answer
from kaizen_client.evaluation.questions import KINDS, depth, in_range, on_date


def test_generation_is_deterministic_and_covers_every_kind() -> None:
    first = [q for d in sample_datasets() for q in generate_questions(d)]
    second = [q for d in sample_datasets() for q in generate_questions(d)]
    assert first == second
    assert {q.kind for q in first} == set(KINDS)


def test_gold_answers_come_from_the_data() -> None:
    employees = sample_datasets()[0]
    by_kind = {q.kind: q for q in generate_questions(employees)}
    assert by_kind["count"].gold == str(len(employees.value))
    salary = sum(r["salary"] for r in employees.value)
    sums = [q for q in generate_questions(employees) if "sum of salary" in q.text]
    assert sums and sums[0].gold == str(salary)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Yes. ", "true"),
        ("FALSE", "false"),
        ("1,000.0", "1000"),
        ("3.50", "3.5"),
        ('"Lisbon"', "lisbon"),
        ("New   York", "new york"),
        (True, "true"),
        (12.0, "12"),
        (None, "null"),
        ("A1001,A1004", "a1001, a1004"),
        ("id ,  name", "id, name"),
    ],
)
def test_normalise(raw: object, expected: str) -> None:
    assert normalise(raw) == expected


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(20, 20)
    assert high == 1.0 and 0.83 < low < 0.84  # 83.9 %: 20/20 is not proof of 100 %
    low, high = wilson_interval(5, 10)
    assert round(low, 3) == 0.237 and round(high, 3) == 0.763
    assert wilson_interval(0, 0) == (0.0, 1.0)
    for n in range(1, 200):  # the bounds meet 0 and 100 % exactly, never a rounding short
        assert wilson_interval(n, n)[1] == 1.0 and wilson_interval(0, n)[0] == 0.0


def test_prompts_differ_only_in_the_data_block() -> None:
    value = sample_datasets()[1].value
    prompts = [build_prompt(render(value, f), "Q?") for f in FORMATS]
    blocks = [render(value, f) for f in FORMATS]
    skeletons = {p.replace(b, "<DATA>") for p, b in zip(prompts, blocks, strict=True)}
    assert len(skeletons) == 1
    assert ktof.decode(render(value, "ktof")) == value
    assert ktof.decode(render(value, "toon")) == value


def test_load_file_directory_and_json_lines(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": 1, "x": 2}]))
    (tmp_path / "b.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n')
    loaded = load_datasets([str(tmp_path)])
    assert [(d.name, d.value) for d in loaded] == [
        ("a", [{"id": 1, "x": 2}]),
        ("b", [{"id": 1}, {"id": 2}]),
    ]
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n{oops\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_datasets([str(tmp_path / "bad.jsonl")])
    with pytest.raises(ValueError, match="no such file"):
        load_datasets([str(tmp_path / "missing.json")])


def test_user_questions_file(tmp_path: Path) -> None:
    datasets = sample_datasets()
    path = tmp_path / "q.json"
    path.write_text(json.dumps([{"dataset": "orders", "question": "Q?", "answer": 1.0}]))
    [q] = load_questions(str(path), datasets)
    assert (q.dataset, q.kind, q.gold) == ("orders", "custom", "1")
    path.write_text(json.dumps([{"dataset": "nope", "question": "Q?", "answer": 1}]))
    with pytest.raises(ValueError, match="dataset 'nope'"):
        load_questions(str(path), datasets)


def test_keyed_map_is_asked_about_by_key() -> None:
    users = {"u1": {"name": "Ada", "age": 36}, "u2": {"name": "Ben", "age": 41}}
    questions = generate_questions(Dataset("users", users))
    lookups = [q for q in questions if q.kind == "lookup"]
    assert lookups and all("the users record whose key is u" in q.text for q in lookups)
    assert next(q for q in questions if "sum of age" in q.text).gold == "77"


def test_shape_and_filter_rules() -> None:
    assert depth(7) == 0 and depth({"a": 1}) == 1 and depth({"a": [{}]}) == 3
    assert depth({"a": {"b": {"c": [1]}}, "d": 2}) == 4 and depth([]) == 1
    assert on_date("2024-03-01T23:59:00Z", "after", "2024-02-29")
    assert not on_date("2024-03-01T23:59:00Z", "before", "2024-03-01")  # same day: neither
    assert not on_date("2024-03-01", "after", "2024-03-01")
    assert on_date("2023-12-31", "before", "2024-01-01") and not on_date("soon", "before", "2024")
    assert in_range(5, 5, 7) and in_range(7.0, 5, 7) and not in_range(8, 5, 7)
    assert not in_range(True, 0, 1)  # a boolean is not a number here


HAND = [
    {"id": "a", "when": "2024-01-05", "n": 3, "tags": [1, 2], "meta": {"x": {"y": 1}}},
    {"id": "b", "when": "2024-03-01T23:59:00Z", "n": 7, "tags": [], "meta": {"x": {}}, "vip": 1},
    {"id": "c", "when": "2023-12-31", "n": 5, "tags": [3], "meta": {"x": {"y": 3}}},
    {"id": "d", "when": "2024-02-10", "n": 5, "tags": [4], "meta": {"x": {"y": 4}}, "vip": 0},
]


def test_new_kinds_have_the_gold_answers_worked_out_by_hand() -> None:
    """Range, date and structure golds checked against answers computed here independently
    (dates with ``datetime``, shapes from a table written by hand)."""
    import re
    from datetime import date

    questions = generate_questions(Dataset("hand", HAND), per_kind=8)
    kinds = {q.kind for q in questions}
    assert {"range", "date", "structure"} <= kinds
    fields = {"a": 5, "b": 6, "c": 5, "d": 6}
    base = "id, when, n, tags, meta"
    names = {"a": base, "b": base + ", vip", "c": base, "d": base + ", vip"}
    checked = 0
    for q in questions:
        rid = re.search(r"whose id is (\w)", q.text)
        if m := re.search(r"when on a date (before|after) (\S+?)[?,]", q.text):
            day = date.fromisoformat(m.group(2))
            hits = [
                r["id"]
                for r in HAND
                if (date.fromisoformat(r["when"][:10]) < day) == (m.group(1) == "before")
                and date.fromisoformat(r["when"][:10]) != day
            ]
            expected = str(len(hits)) if q.text.startswith("How many") else ", ".join(hits)
        elif m := re.search(r"n (?:is )?between (\S+) and (\S+) inclusive", q.text):
            low, high = float(m.group(1)), float(m.group(2))
            hits = [r["id"] for r in HAND if low <= r["n"] <= high]
            expected = str(len(hits)) if q.text.startswith("How many") else ", ".join(hits)
        elif q.text.startswith("How many fields") and rid:
            expected = str(fields[rid.group(1)])
        elif q.text.startswith("Which fields") and rid:
            expected = names[rid.group(1)]
        elif "nesting depth" in q.text:
            expected = "3"  # record > meta > x: and b's empty x is still a level
        elif "field named vip" in q.text:
            expected = "2"
        else:
            continue
        assert q.gold == expected, q.text
        checked += 1
    assert checked >= 12


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_reader_fake_gets_every_kind_right_and_the_wrong_fake_does_not(fmt: str) -> None:
    """On every format, for every generated question of the new kinds (samples and the hand
    data): the reading fake gives the gold answer and the wrong-on-purpose fake does not."""
    datasets = [*sample_datasets(), Dataset("hand", HAND)]
    seen = set()
    for d in datasets:
        block = render(d.value, fmt)
        for q in generate_questions(d, per_kind=4):
            prompt = build_prompt(block, q.text)
            assert normalise(answer(prompt)) == q.gold, (d.name, q.text)
            if q.kind in ("range", "date", "structure", "count", "filter", "aggregate"):
                assert normalise(answer(prompt, wrong=True)) != q.gold, (d.name, q.text)
                seen.add(q.kind)
    assert {"range", "date", "structure"} <= seen
