"""``examples/llamaindex_rag.py`` runs offline and reports a saving (it exits 1 otherwise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "llamaindex_rag.py"


def test_example_runs_offline() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "decode(compressed node text) == original data: True" in done.stdout
    assert "TokenCountingHandler prompt tokens:" in done.stdout
