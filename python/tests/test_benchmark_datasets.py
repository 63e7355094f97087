"""Benchmark datasets are deterministic JSON, and the benchmark's helpers run end to end.

Token tables are only comparable across runs if the corpus never changes, and a benchmark
that crashes when one codec is unfinished is useless, so both are checked here. Nothing is
timed: speed numbers are printed by ``benchmarks/codec.py``, never asserted.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

_PYTHON_DIR = str(Path(__file__).resolve().parents[1])
if _PYTHON_DIR not in sys.path:  # ``benchmarks`` lives next to ``kaizen_client``, not in it
    sys.path.insert(0, _PYTHON_DIR)

from benchmarks import codec, datasets  # noqa: E402

NAMES = list(datasets.GENERATORS)
REQUIRED = {
    "tabular_records",
    "keyed_objects",
    "nested_orders",
    "event_logs",
    "chat_transcript",
    "github_api",
    "nested_config",
    "mixed_small",
}


def _walk(value: Any, path: str = "$") -> None:
    """Fail on anything ``json`` would not round-trip exactly (tuples, NaN, non-str keys)."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str), f"{path}: non-string key {k!r}"
            _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, f"{path}[{i}]")
    elif isinstance(value, float):
        assert math.isfinite(value), f"{path}: {value!r} is not JSON"
    else:
        assert value is None or isinstance(value, (str, int, bool)), f"{path}: {type(value)}"


def test_registry_has_every_shape() -> None:
    assert set(NAMES) >= REQUIRED
    assert set(datasets.DATASETS) == set(NAMES) == set(datasets.DEFAULT_SIZES)
    assert set(datasets.QUICK_SIZES) == set(NAMES)
    assert [n for n, _ in datasets.quick_corpus()] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_and_json_only(name: str) -> None:
    gen = datasets.GENERATORS[name]
    size = datasets.QUICK_SIZES[name]
    first, second = gen(size), gen(size)
    text = datasets.compact_json(first)
    assert text == datasets.compact_json(second)
    _walk(first)
    back = json.loads(text)
    assert back == first
    assert json.dumps(back) == json.dumps(first)  # type-exact: 1 vs 1.0, -0.0, key order


def test_default_corpus_sizes_and_stability() -> None:
    corpus = datasets.corpus()
    assert [n for n, _ in corpus] == NAMES
    for name, value in corpus:
        kb = len(datasets.compact_json(value).encode()) / 1024
        assert 5 <= kb <= 60, f"{name} is {kb:.1f} KB"
    again = dict(datasets.corpus())
    for name, value in corpus:
        assert datasets.compact_json(again[name]) == datasets.compact_json(value)


def test_shapes_are_what_the_benchmark_claims() -> None:
    orders = datasets.nested_orders(40)
    assert {len(o["items"]) for o in orders} <= {1, 2, 3, 4, 5}
    with_coupon = sum("coupon" in o for o in orders)
    assert 0 < with_coupon < len(orders)  # non-uniform on purpose

    keyed = datasets.keyed_objects(5)
    assert len({tuple(v) for v in keyed.values()}) == 1  # uniform values

    chat = datasets.chat_transcript(4)
    calls = [c for m in chat for c in m.get("tool_calls") or []]
    assert calls and all(isinstance(json.loads(c["function"]["arguments"]), dict) for c in calls)
    assert any(m["role"] == "tool" and json.loads(m["content"]) is not None for m in chat)

    issue = datasets.github_api(1)[0]
    for key in ("url", "node_id", "user", "labels", "reactions", "timeline_url", "body"):
        assert key in issue
    assert issue["user"]["following_url"].endswith("{/other_user}")

    hard = datasets.mixed_small(40)
    floats = [v for v in hard if isinstance(v, float)]
    assert any(math.copysign(1.0, v) < 0 and v == 0 for v in floats)  # -0.0
    assert 3.0 in floats and "3.0" in hard and "true" in hard
    assert any(isinstance(v, int) and not isinstance(v, bool) and v > 2**63 for v in hard)
    assert [] in hard and {} in hard


def test_render_table_aligns_columns() -> None:
    out = codec.render_table(["name", "n"], [["a", 1], ["longer", None], ["TOTAL", 12345]])
    lines = out.splitlines()
    assert lines[0].split() == ["name", "n"]
    assert "err" in lines[3]
    assert len({len(line) for line in lines}) == 1  # every line padded to the same width


def test_measure_tokens_and_speed_on_tiny_data() -> None:
    name, value = "tabular_records", datasets.tabular_records(3)
    row = codec.measure_tokens(name, value)
    assert row.tokens["json_compact"] is not None
    assert row.tokens["json_pretty"] is not None
    assert row.tokens["json_pretty"] > row.tokens["json_compact"] > 0
    for key in ("toon", "toon_format", "ktof"):  # int, or None while a codec is unfinished
        assert row.tokens[key] is None or row.tokens[key] > 0  # type: ignore[operator]
    assert row.round_trip in (True, False, None)
    assert codec.round_trip_ok(value) in (True, None)  # never a wrong value

    speed = codec.measure_speed(name, value, codec.speed_codecs(), repeats=1, min_time=0.0)
    json_rate = speed.mbps("json", "encode")
    assert json_rate is not None and json_rate > 0
    assert set(speed.encode_s) == {c.name for c in codec.speed_codecs()}

    tokens_out = codec.token_table([row])
    speed_out = codec.speed_tables([speed])
    assert name in tokens_out and "TOTAL" in tokens_out
    assert "encode MB/s" in speed_out and "decode MB/s" in speed_out
    assert len(codec.token_verdicts([row])) == 3
    assert len(codec.speed_verdicts([speed])) == 4


def test_main_quick_prints_command_and_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert codec.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("$ python ")
    assert "--quick" in out.splitlines()[0]
    for name in NAMES:
        assert name in out
    assert "KTOF auto" in out and "decode MB/s" in out
