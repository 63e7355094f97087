"""No cassette of this package may carry a key: not the test keys, no credential header."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaizen_client.testing import cassette_leaks

from .harness import CASSETTES, FILTERED, TEST_KEY, WRONG_KEY


def leaks(text: str) -> list[str]:
    """Every way ``text`` (one cassette file) gives a credential away (the core's scan)."""
    return cassette_leaks(text, (TEST_KEY, WRONG_KEY))


def cassette_files() -> list[Path]:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files, "no cassettes found"
    return files


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.name)
def test_cassette_holds_no_key(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert leaks(text) == []
    assert FILTERED in text  # the key header was there, and was filtered


@pytest.mark.parametrize("planted", [f"- {TEST_KEY}", "- Bearer abcdef123456", f"- {WRONG_KEY}"])
def test_the_scan_catches_a_planted_key(planted: str) -> None:
    text = cassette_files()[0].read_text(encoding="utf-8")
    assert "- <filtered>" in text
    assert leaks(text.replace("- <filtered>", planted, 1)) != []
