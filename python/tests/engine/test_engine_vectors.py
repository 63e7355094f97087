"""The cross-language engine vectors still say what Python's engine gives.

``shared/fixtures/engine/vectors.json`` is written by ``python/scripts/make_engine_vectors.py``
and read by the TypeScript engine's tests (``js/test/engine/vectors.test.ts``), which must give
the same output; this test fails when Python's engine changes without the vectors, so neither
side can drift alone.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "shared" / "fixtures" / "engine" / "vectors.json"
SCRIPT = ROOT / "python" / "scripts" / "make_engine_vectors.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_engine_vectors", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vectors_are_what_the_engine_gives_today() -> None:
    committed = VECTORS.read_text(encoding="utf-8")
    assert _script().render() == committed, (
        "Python's engine output changed: re-run python/scripts/make_engine_vectors.py, "
        "review the diff, and make the TypeScript engine (js/src/engine) give the same"
    )


def test_vectors_cover_every_kind_and_most_reasons() -> None:
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    fragments = [f for v in vectors for f in v["expected_report"]["fragments"]]
    assert {f["kind"] for f in fragments} == {"whole", "embedded", "fenced", "jsonl"}
    reasons = {f["reason"] for f in fragments}
    assert reasons >= {
        "compressed",
        "too_small",
        "no_saving",
        "not_json",
        "bypassed",
        "cache_prefix",
        "not_lossless",
        "duplicate_keys",
        "malformed",
    }
