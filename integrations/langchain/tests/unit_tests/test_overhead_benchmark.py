"""The overhead benchmark still runs and prints every row (its timings are never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "overhead.py"


def test_overhead_benchmark_prints_every_row() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--rounds", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for sample in ("orders, one line", "orders, pretty", "issues, one line"):
        assert f"\n{sample}: " in out
    for row in (
        "model | parser",
        "RunnableLambda(identity) | model | parser",
        "KaizenCompressor() | model | parser",
        "engine alone (compress_messages)",
        "tokenizer alone (count JSON + KTOF)",
        "verification alone (decode + compare)",
        "overhead (with - without)",
        "identity step overhead",
    ):
        assert out.count(row) >= 3, row  # every sample has a cold row of each
    assert out.count("warm  ") == 6  # the first sample's warm rows, overheads included
