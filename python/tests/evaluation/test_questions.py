"""Question generation, normalisation and the Wilson interval, without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaizen_client import ktof
from kaizen_client.evaluation import (
    FORMATS,
    build_prompt,
    generate_questions,
    load_datasets,
    load_questions,
    normalise,
    render,
    sample_datasets,
    wilson_interval,
)
from kaizen_client.evaluation.questions import KINDS


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
    from kaizen_client.evaluation import Dataset

    users = {"u1": {"name": "Ada", "age": 36}, "u2": {"name": "Ben", "age": 41}}
    questions = generate_questions(Dataset("users", users))
    lookups = [q for q in questions if q.kind == "lookup"]
    assert lookups and all("the users record whose key is u" in q.text for q in lookups)
    assert next(q for q in questions if "sum of age" in q.text).gold == "77"
