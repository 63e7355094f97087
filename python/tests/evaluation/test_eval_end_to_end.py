"""``kaizen eval`` end to end against the loopback fake model, through LiteLLM's real HTTP path:
the reading fake scores 100 % on every format, the wrong-on-purpose fake does not, the cache
makes a re-run send nothing, and the cost guard refuses before anything is sent."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaizen_client.cli import main
from kaizen_client.evaluation import Dataset, generate_questions, normalise, sample_datasets
from kaizen_client.evaluation.fake_model import FakeModel, answer
from kaizen_client.evaluation.formats import FORMATS, build_prompt, render

pytest.importorskip("litellm")  # in the `test` and `eval` extras

SAMPLE_QUESTIONS = sum(len(generate_questions(d)) for d in sample_datasets())


@pytest.fixture
def fake() -> Iterator[FakeModel]:
    with FakeModel() as model:
        yield model


@pytest.fixture(autouse=True)
def fake_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MODEL_KEY", "sk-fake-eval-key")


def kaizen_eval(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", "--api-key-env", "FAKE_MODEL_KEY", *argv], stdout=out, stderr=err)
    assert "sk-fake-eval-key" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def test_fake_answers_from_the_decoded_block() -> None:
    """The fake reads the data, so every format gives the gold answer and a changed block
    changes its answer."""
    dataset = sample_datasets()[1]
    for q in generate_questions(dataset):
        for fmt in FORMATS:
            assert normalise(answer(build_prompt(render(dataset.value, fmt), q.text))) == q.gold
    q = next(q for q in generate_questions(dataset) if q.kind == "count")
    fewer = {"orders": dataset.value["orders"][:-1]}
    assert answer(build_prompt(render(fewer, "ktof"), q.text)) != q.gold


def test_reading_fake_scores_100_on_every_format(fake: FakeModel, tmp_path: Path) -> None:
    code, out, err = kaizen_eval(
        "--model",
        "openai/fake-reader",
        "--api-base",
        fake.url,
        "--no-cache",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert [f["format"] for f in results["formats"]] == list(FORMATS)
    assert all(f["accuracy"] == 1.0 and f["total"] == SAMPLE_QUESTIONS for f in results["formats"])
    assert results["calls_sent"] == len(fake.requests) == 4 * SAMPLE_QUESTIONS
    assert "KTOF's accuracy 100.0% is within" in out
    assert (tmp_path / "out" / "plot.png").read_bytes().startswith(b"\x89PNG")
    assert '<img src="plot.png"' in (tmp_path / "out" / "report.html").read_text()
    tokens = {f["format"]: f["prompt_tokens"] for f in results["formats"]}
    assert tokens["ktof"] < tokens["json-compact"] < tokens["json-pretty"]


def test_wrong_fake_does_not_score_100(tmp_path: Path) -> None:
    with FakeModel(wrong=True) as wrong:
        code, _, _ = kaizen_eval(
            "--model",
            "openai/fake-wrong",
            "--api-base",
            wrong.url,
            "--no-cache",
            "--formats",
            "json-compact,ktof",
            "--out",
            str(tmp_path),
        )
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    for f in results["formats"]:
        assert f["accuracy"] < 1.0
        for kind in ("count", "filter", "range", "date", "aggregate", "structure"):
            assert f["by_kind"][kind]["correct"] == 0, kind
        assert f["by_kind"]["lookup"]["correct"] == f["by_kind"]["lookup"]["total"]


def test_second_run_is_answered_from_the_cache(fake: FakeModel, tmp_path: Path) -> None:
    asked = sum(len(generate_questions(d)) for d in sample_datasets(5))  # --sample-size 5
    args = (
        "--model",
        "openai/fake-reader",
        "--api-base",
        fake.url,
        "--sample-size",
        "5",
        "--formats",
        "ktof",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--out",
        str(tmp_path / "out"),
    )
    assert kaizen_eval(*args)[0] == 0
    first = len(fake.requests)
    assert first == asked
    assert all("A1004" in str(r) and "A1005" not in str(r) for r in fake.requests[-3:])
    assert kaizen_eval(*args)[0] == 0
    assert len(fake.requests) == first  # nothing sent the second time
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert (results["calls_sent"], results["calls_cached"]) == (0, asked)
    assert results["formats"][0]["accuracy"] == 1.0


def test_cost_guard_refuses_before_sending(fake: FakeModel, tmp_path: Path) -> None:
    code, _, err = kaizen_eval(
        "--model",
        "openai/gpt-4o-mini",
        "--api-base",
        fake.url,
        "--max-cost",
        "0.000001",
        "--no-cache",
        "--out",
        str(tmp_path),
    )
    assert code == 4
    assert "above --max-cost" in err and "estimated cost $" in err
    assert fake.requests == []
    assert not (tmp_path / "results.json").exists()


def test_unpriced_model_with_a_limit_is_refused(fake: FakeModel, tmp_path: Path) -> None:
    code, _, err = kaizen_eval(
        "--model",
        "openai/fake-reader",
        "--api-base",
        fake.url,
        "--max-cost",
        "5",
        "--no-cache",
        "--out",
        str(tmp_path),
    )
    assert code == 4 and "no price" in err and fake.requests == []


def test_bad_input_is_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = kaizen_eval("--model", "openai/x", str(tmp_path / "missing.json"))
    assert code == 1 and "missing.json" in err
    monkeypatch.delenv("FAKE_MODEL_KEY")
    code, _, err = kaizen_eval("--model", "openai/x")
    assert code == 1 and "FAKE_MODEL_KEY: that variable is not set" in err


def test_reading_fake_is_right_on_the_benchmark_corpus() -> None:
    """Generated questions stay answerable on varied real-world shapes (the codec benchmark's
    datasets: tabular, nested, semi-uniform logs, GitHub API payloads, config): the fake that
    reads the block gets every gold answer in every format."""
    python_dir = str(Path(__file__).resolve().parents[2])
    if python_dir not in sys.path:  # ``benchmarks`` lives next to ``kaizen_client``, not in it
        sys.path.insert(0, python_dir)
    from benchmarks.datasets import corpus

    asked = 0
    for name, value in corpus():
        for q in generate_questions(Dataset(name, value)):
            for fmt in FORMATS:
                reply = answer(build_prompt(render(value, fmt), q.text))
                assert normalise(reply) == q.gold, (name, fmt, q.text)
                asked += 1
    assert asked > 150


def test_user_data_and_questions_file_through_the_cli(fake: FakeModel, tmp_path: Path) -> None:
    """Own data (JSON lines) and own questions: the answers are scored against the file's
    expected answers, so a wrong expectation shows up as a miss."""
    data = tmp_path / "staff.jsonl"
    data.write_text('{"id": "a1", "team": "ops"}\n{"id": "b2", "team": "web"}\n')
    questions = tmp_path / "questions.json"
    questions.write_text(
        json.dumps(
            [
                {
                    "question": "What is the team of the staff record whose id is b2?",
                    "answer": "Web",
                },
                {"question": "How many staff records are there?", "answer": 3, "kind": "count"},
            ]
        )
    )
    code, _, err = kaizen_eval(
        str(data),
        "--questions",
        str(questions),
        "--model",
        "openai/fake-reader",
        "--api-base",
        fake.url,
        "--no-cache",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    for f in results["formats"]:
        assert (f["correct"], f["total"]) == (1, 2)
        assert f["by_kind"] == {
            "custom": {"correct": 1, "total": 1},
            "count": {"correct": 0, "total": 1},
        }
    for path in (tmp_path / "out").iterdir():
        assert b"sk-fake-eval-key" not in path.read_bytes()
