"""The tokenizer meter behind ``benchmarks/auto_cost.py`` and the engine benchmark's ``enc-tok``
sees every count and leaves the tokenizer as it found it; the ``floor`` both benchmarks print is
the sum of the same steps. Nothing is timed here (the timings are only checked to add up)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

_PYTHON_DIR = str(Path(__file__).resolve().parents[1])
if _PYTHON_DIR not in sys.path:  # ``benchmarks`` lives next to ``kaizen_client``, not in it
    sys.path.insert(0, _PYTHON_DIR)

from benchmarks.auto_cost import FLOOR_STEPS, TokenizerMeter, floor_steps, measure  # noqa: E402
from kaizen_client import tokens  # noqa: E402
from kaizen_client.ktof.encoder import encode_counted  # noqa: E402


def test_meter_sees_every_count_and_restores_the_counters() -> None:
    meter = TokenizerMeter(tokens, "gpt-4o")
    with meter.wrapped():
        assert tokens.count_tokens("hello world", "gpt-4o") == 2
        assert tokens.count_tokens_upto("a b c d e f g", 2, "gpt-4o") is None
        assert (meter.calls, meter.chars) == (2, 11 + 13)
        assert meter.ns > 0
        wrappers = (tokens._COUNTERS["gpt-4o"], tokens._LIMITED["gpt-4o"])
    originals = (tokens._COUNTERS["gpt-4o"], tokens._LIMITED["gpt-4o"])
    assert all(a is not b for a, b in zip(wrappers, originals, strict=True))
    meter.reset()
    tokens.count_tokens("not seen", "gpt-4o")
    assert meter.calls == 0


def test_meter_counts_what_auto_mode_counts() -> None:
    value = {"user": {"login": "octocat", "url": "https://api.github.com/users/octocat"}}
    meter = TokenizerMeter(tokens, "gpt-4o")
    with meter.wrapped():
        text, count = encode_counted(value, model="gpt-4o", compare_json=False)
    assert count == tokens.count_tokens(text, "gpt-4o")
    assert meter.calls >= 2 and meter.chars >= len(text)


@pytest.mark.parametrize("value", [[{"a": 1, "b": "x"}] * 20, {"k": {"v": [1, 2]}}])
def test_measure_splits_encode_into_tokenizer_and_rest(value: object) -> None:
    row = measure(value, "gpt-4o", 2, time.perf_counter_ns)
    assert row["encode"] == pytest.approx(row["tokenizer"] + row["rest"])
    assert row["calls"] >= 1 and row["chars"] > 0


def test_floor_is_the_sum_of_the_steps_every_design_runs() -> None:
    value = [{"id": i, "name": f"item {i}", "price": i * 1.5} for i in range(30)]
    steps = floor_steps(value, "gpt-4o", 2, time.perf_counter_ns)
    assert set(steps) == {*FLOOR_STEPS, "floor"}
    assert steps["floor"] == pytest.approx(sum(steps[name] for name in FLOOR_STEPS))
    assert all(steps[name] > 0 for name in FLOOR_STEPS)


def test_engine_step_table_reports_the_same_floor() -> None:
    from benchmarks.engine import _chat, step_times

    text = '{"user": {"login": "octocat", "id": 1, "site_admin": false}, "state": "open"}'
    p50 = step_times(_chat(text, "What does this say?"), 2, "gpt-4o")
    assert p50["floor"] == pytest.approx(sum(p50[name] for name in FLOOR_STEPS))
    assert p50["write"] > 0 and p50["cold"] > 0
