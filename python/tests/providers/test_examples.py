"""``examples/{openai,anthropic,gemini}_example.py`` run offline against the fake provider."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PROVIDER_KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY")


@pytest.mark.parametrize(
    ("example", "sdk", "expected"),
    [
        ("openai_example.py", "openai", "tool result as the provider received it"),
        ("anthropic_example.py", "anthropic", "cached prefix sent exactly as given: True"),
        ("gemini_example.py", "google.genai", "decodes to the original: True"),
    ],
)
def test_example_runs_offline(example: str, sdk: str, expected: str) -> None:
    if importlib.util.find_spec(sdk.split(".")[0]) is None or (
        sdk == "google.genai" and importlib.util.find_spec(sdk) is None
    ):
        pytest.skip(f"{sdk} is not installed")
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_KEYS}  # offline mode
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / example)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "offline" in done.stdout and expected in done.stdout
    assert "tokens saved" in done.stdout and "running total" in done.stdout
    assert "TOON reply decoded to JSON: {" in done.stdout
    assert "0.1.4" in done.stdout and "decoded {" in done.stdout
