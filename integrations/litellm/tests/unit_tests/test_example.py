"""``examples/litellm_sdk.py`` runs offline and reports what it saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "litellm_sdk.py"


def test_example_runs_offline() -> None:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "tokens saved" in done.stdout
    assert "TOON reply decoded to JSON: {" in done.stdout
