"""Importing the core never imports a provider SDK; a missing SDK names the extra to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SDKS = ("openai", "anthropic", "google.genai")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )


def test_core_and_adapters_import_no_sdk() -> None:
    result = _run(
        f"""
        import sys
        import kaizen_client, kaizen_client.integrations
        import kaizen_client.integrations.openai
        import kaizen_client.integrations.anthropic
        import kaizen_client.integrations.gemini
        import kaizen_client.integrations.fake_providers
        loaded = [name for name in {SDKS!r} if name in sys.modules]
        print(loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("module", "name", "extra"),
    [
        ("openai", "OpenAIKaizenWrapper", "openai"),
        ("anthropic", "AnthropicKaizenWrapper", "anthropic"),
        ("gemini", "GeminiKaizenWrapper", "gemini"),
    ],
)
def test_missing_sdk_names_the_extra(module: str, name: str, extra: str) -> None:
    result = _run(
        f"""
        import sys
        for sdk in ("openai", "anthropic", "google.genai"):
            sys.modules[sdk] = None  # as if it were not installed
        from kaizen_client.integrations.{module} import {name}
        try:
            {name}(None)
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert f"pip install 'kaizen-client[{extra}]'" in result.stdout
