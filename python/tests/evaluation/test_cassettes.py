"""``kaizen eval`` replayed from vcrpy cassettes (``record_mode="none"``): the whole path with
no model running.

Each scenario runs the real CLI (question generation, prompts, LiteLLM's HTTP call, parsing,
scoring, report) against whatever answers at ``base_url``. Recorded, that is the loopback
fake model (``fake_model.FakeModel``: its ``/v1`` reads the data block, its ``/wrong/v1``
answers wrong on purpose); replayed, it is the cassette alone (vcrpy intercepts the call
where LiteLLM sends it: the OpenAI SDK's httpx client on LiteLLM's aiohttp transport), and a
request whose method, path or JSON body differs from the recorded ones fails the test.
So a change to a prompt, an encoder or a question shows up here, and is re-recorded on
purpose, from ``python/``:

    python -m kaizen_client.testing record tests/evaluation/test_cassettes.py

The standard :class:`~kaizen_client.testing.CassetteSuite` tests come with it: every scenario
replays, every cassette belongs to a scenario, the Authorization header is ``<filtered>`` and
no key is anywhere in a cassette (and the scan catches one planted there).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kaizen_client.cli import main
from kaizen_client.evaluation import sample_datasets
from kaizen_client.evaluation.fake_model import FakeModel
from kaizen_client.evaluation.questions import KINDS
from kaizen_client.testing import CassetteSuite, Scenario, cassette_vcr

# Also when the recorder imports this module outside pytest (and its conftest): LiteLLM's
# bundled price map, never a download at import.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
pytest.importorskip("litellm")
pytest.importorskip("vcr")

CASSETTES = Path(__file__).parent / "cassettes"
KEY = "sk-fake-eval-cassette-key-0001"
KEY_ENV = "KAIZEN_EVAL_CASSETTE_KEY"
# A subset that keeps the cassettes small yet asks every kind: the built-in nested sample (the
# one with every kind of question) cut to 3 records, saved as the user's own file, 1 question
# per kind. The model string selects an exact tokenizer and a price; the calls go to base_url.
SUBSET = ("--model", "openai/gpt-4o-mini", "--per-kind", "1")


def orders_file(directory: str) -> str:
    """The built-in ``orders`` sample, 3 records, as a JSON file (``kaizen eval orders.json``)."""
    path = Path(directory) / "orders.json"
    path.write_text(json.dumps(sample_datasets(3)[1].value), encoding="utf-8")
    return str(path)


# Request headers that only name versions of the client stack: left out so a dependency
# upgrade does not rewrite the cassettes (nothing is matched on headers).
NOISE = (
    "user-agent",
    "x-stainless-arch",
    "x-stainless-async",
    "x-stainless-lang",
    "x-stainless-os",
    "x-stainless-package-version",
    "x-stainless-raw-response",
    "x-stainless-read-timeout",
    "x-stainless-retry-count",
    "x-stainless-runtime",
    "x-stainless-runtime-version",
)


def kaizen_eval(api_base: str, *argv: str) -> dict[str, Any]:
    """The CLI, as a user runs it, with the key in the named variable; returns results.json."""
    os.environ[KEY_ENV] = KEY
    with tempfile.TemporaryDirectory() as out:
        args = ["eval", orders_file(out), *SUBSET, "--api-base", api_base]
        args += ["--api-key-env", KEY_ENV, "--out", str(Path(out) / "report")]
        args += ["--no-cache", "--concurrency", "1", "--no-progress", *argv]
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            code = main(args, stdout=stdout, stderr=stderr)
        finally:
            del os.environ[KEY_ENV]
        assert code == 0, stderr.getvalue()
        assert KEY not in stdout.getvalue() + stderr.getvalue()
        results: dict[str, Any] = json.loads((Path(out) / "report" / "results.json").read_text())
    assert results["calls_cached"] == 0
    assert results["calls_sent"] == sum(f["total"] for f in results["formats"])
    return results


async def fake_reader(base_url: str) -> None:
    """The reading fake: 100 % on every format, every kind asked (each in every format)."""
    results = await asyncio.to_thread(kaizen_eval, base_url + "/v1")
    assert [f["format"] for f in results["formats"]] == [
        "json-compact",
        "json-pretty",
        "toon",
        "ktof",
    ]
    for f in results["formats"]:
        assert f["accuracy"] == 1.0, f
        assert set(f["by_kind"]) == set(KINDS)


async def fake_wrong(base_url: str) -> None:
    """The wrong-on-purpose fake: every count, number and list kind at 0, lookups still right."""
    results = await asyncio.to_thread(kaizen_eval, base_url + "/wrong/v1", "--formats", "ktof")
    for f in results["formats"]:
        assert f["accuracy"] < 1.0
        by_kind = f["by_kind"]
        for kind in ("count", "filter", "range", "date", "aggregate", "structure"):
            assert by_kind[kind]["correct"] == 0, (f["format"], kind)
        assert by_kind["lookup"]["correct"] == by_kind["lookup"]["total"]


@contextmanager
def fake_model(api_key: str) -> Iterator[str]:
    """What the scenarios are recorded from: one loopback fake serving both behaviours."""
    with FakeModel() as fake:
        yield fake.url.removesuffix("/v1")


class TestEvalCassettes(CassetteSuite):
    cassettes: ClassVar[Path] = CASSETTES
    scenarios = (Scenario("fake_reader", fake_reader), Scenario("fake_wrong", fake_wrong))
    secrets = (KEY,)

    @classmethod
    def recording_server(cls, api_key: str) -> Any:
        return fake_model(api_key)

    @classmethod
    def vcr(cls) -> Any:
        """The project's cassette configuration, matching on method, path and JSON body only
        (the recorded host is canonical, and a body is compared as parsed JSON), with the
        version-naming headers left out."""
        config = cassette_vcr(cls.cassettes, cls.secrets)
        config.match_on = ("method", "path", "body")
        config.filter_headers = [*config.filter_headers, *NOISE]
        return config


def test_cassettes_send_the_key_and_record_it_filtered() -> None:
    """Every recorded request carried an Authorization header (the key was sent), and each
    one reads ``<filtered>``: no key, no bearer token, in any request or body."""
    import yaml

    for path in sorted(CASSETTES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        interactions = yaml.safe_load(text)["interactions"]
        assert interactions, path.name
        for interaction in interactions:
            headers = {k.lower(): v for k, v in interaction["request"]["headers"].items()}
            assert headers["authorization"] == ["<filtered>"], path.name
            assert not set(headers) & set(NOISE)
            assert "api_key" not in json.loads(interaction["request"]["body"])
        assert KEY not in text and "Bearer sk-" not in text
