"""No cassette may carry a key: not the test keys, not a bearer token, not a credential header.

The scan reads every ``shared/cassettes/*.yaml`` as text and as YAML. The self-tests plant a
key in a copy of a real cassette and prove the scan catches it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kaizen_client.testing import cassette_leaks

from .harness import CASSETTES, TEST_KEY, WRONG_KEY


def leaks(text: str) -> list[str]:
    """Every way ``text`` (one cassette file) gives a credential away."""
    return cassette_leaks(text, (TEST_KEY, WRONG_KEY))


def cassette_files() -> list[Path]:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files, "no cassettes found"
    return files


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.name)
def test_cassette_holds_no_key(path: Path) -> None:
    assert leaks(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("original", "planted"),
    [
        ("- <filtered>", f"- {TEST_KEY}"),
        ("- <filtered>", "- Bearer abcdef123456"),
        ('"data":', f'"note":"{WRONG_KEY}","data":'),
        ("uri: http://kaizen.test/v1/compress", "uri: http://kaizen.test/v1/compress?api_key=x"),
    ],
)
def test_scan_catches_a_planted_key(original: str, planted: str) -> None:
    text = (CASSETTES / "retry_503.yaml").read_text(encoding="utf-8")
    assert original in text
    assert leaks(text.replace(original, planted, 1))
