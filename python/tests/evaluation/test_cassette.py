"""The recorded exchanges of a run against the reading fake (``cassettes/fake_reader.json``).

Each exchange keeps what LiteLLM sent (the request body, its prompt replaced by a SHA-256 and
a token count, so the file stays small) and what the fake replied. Three checks:

* today's prompts are still byte-for-byte the recorded ones (a change to the prompt wording or
  to an encoder shows up here, and the cassette is re-recorded on purpose:
  ``KAIZEN_EVAL_RECORD=1 pytest tests/evaluation/test_cassette.py``);
* replayed through the response cache, the recorded replies reproduce the run (100 % on every
  format) with no model reachable at all;
* no key is in the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kaizen_client.cli import main
from kaizen_client.evaluation import generate_questions, sample_datasets
from kaizen_client.evaluation.fake_model import FakeModel
from kaizen_client.evaluation.runner import ResponseCache, plan
from kaizen_client.testing import cassette_leaks

pytest.importorskip("litellm")

CASSETTE = Path(__file__).parent / "cassettes" / "fake_reader.json"
MODEL = "openai/gpt-4o-mini"  # a priced model with an exact tokenizer; the calls go to the fake
KEY = "sk-fake-eval-cassette-key"
SAMPLE_QUESTIONS = sum(len(generate_questions(d)) for d in sample_datasets())


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(tmp: Path) -> None:
    """Run the CLI against the reading fake and write what crossed the wire."""
    os.environ["FAKE_MODEL_KEY"] = KEY
    with FakeModel() as fake:
        code = main(
            [
                "eval",
                "--model",
                MODEL,
                "--api-base",
                fake.url,
                "--api-key-env",
                "FAKE_MODEL_KEY",
                "--no-cache",
                "--concurrency",
                "1",
                "--out",
                str(tmp),
            ],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert code == 0
        bodies = fake.requests
    results = json.loads((tmp / "results.json").read_text())
    exchanges = []
    for body, row in zip(bodies, results["answers"], strict=True):
        prompt = body["messages"][0]["content"]
        assert row["question"] in prompt
        request = {k: v for k, v in body.items() if k != "messages"}
        request["messages"] = [{"role": "user", "content_sha256": sha(prompt)}]
        exchanges.append(
            {
                "id": row["id"],
                "format": row["format"],
                "prompt_tokens": row["prompt_tokens"],
                "request": request,
                "reply": row["answer"],
            }
        )
    CASSETTE.write_text(
        json.dumps(
            {
                "model": MODEL,
                "fake": "kaizen_client.evaluation.fake_model (reading)",
                "exchanges": exchanges,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def cassette(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if os.environ.get("KAIZEN_EVAL_RECORD") == "1":
        record(tmp_path_factory.mktemp("record"))
    data: dict[str, Any] = json.loads(CASSETTE.read_text(encoding="utf-8"))
    return data


def current_calls() -> list[tuple[str, str, str, int]]:
    datasets = sample_datasets()
    questions = [q for d in datasets for q in generate_questions(d)]
    return [
        (c.question.id, c.format, c.prompt, c.prompt_tokens)
        for c in plan(datasets, questions, MODEL, ["json-compact", "json-pretty", "toon", "ktof"])
    ]


def test_prompts_are_the_recorded_ones(cassette: dict[str, Any]) -> None:
    recorded = {(e["id"], e["format"]): e for e in cassette["exchanges"]}
    calls = current_calls()
    assert len(recorded) == len(calls) == 4 * SAMPLE_QUESTIONS
    for qid, fmt, prompt, tokens in calls:
        entry = recorded[(qid, fmt)]
        assert entry["request"]["messages"][0]["content_sha256"] == sha(prompt), (qid, fmt)
        assert entry["prompt_tokens"] == tokens
        assert entry["request"]["model"] == "gpt-4o-mini" and entry["request"]["temperature"] == 0


def test_replay_through_the_cache_reproduces_the_run(
    cassette: dict[str, Any], tmp_path: Path
) -> None:
    """The recorded replies, put in the response cache, answer every call: nothing is sent
    (no ``--api-base``, no key: a call that escaped would fail), and every format scores 100 %."""
    replies = {(e["id"], e["format"]): e["reply"] for e in cassette["exchanges"]}
    cache = ResponseCache(tmp_path / "cache")
    for qid, fmt, prompt, _ in current_calls():
        messages = [{"role": "user", "content": prompt}]
        cache.put(cache.key(MODEL, None, messages), replies[(qid, fmt)])
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "eval",
            "--model",
            MODEL,
            "--cache-dir",
            str(tmp_path / "cache"),
            "--out",
            str(tmp_path / "out"),
        ],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert (results["calls_sent"], results["calls_cached"]) == (0, 4 * SAMPLE_QUESTIONS)
    assert [f["accuracy"] for f in results["formats"]] == [1.0, 1.0, 1.0, 1.0]


def test_cassette_holds_no_key() -> None:
    assert cassette_leaks(CASSETTE.read_text(encoding="utf-8"), (KEY,)) == []
