"""No cassette of this package may carry a key: not the test keys, no credential header."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import CASSETTES, FILTERED, TEST_KEY, WRONG_KEY

CREDENTIAL_HEADERS = {"x-api-key", "authorization", "proxy-authorization", "cookie"}
BEARER = re.compile(r"bearer[ \t]+(?!<filtered>)[A-Za-z0-9._~+/=-]{4,}", re.IGNORECASE)
KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_-]{8,}")


def leaks(text: str) -> list[str]:
    """Every way ``text`` (one cassette file) gives a credential away."""
    found = [f"test key {k[:12]}..." for k in (TEST_KEY, WRONG_KEY) if k in text]
    found += [f"bearer token {m.group(0)[:16]}..." for m in BEARER.finditer(text)]
    found += [f"key-like string {m.group(0)[:8]}..." for m in KEY_LIKE.finditer(text)]
    data: Any = yaml.safe_load(text)
    for number, interaction in enumerate(data.get("interactions", [])):
        for name, values in interaction["request"].get("headers", {}).items():
            if name.lower() in CREDENTIAL_HEADERS and any(v != FILTERED for v in values):
                found.append(f"interaction {number}: unfiltered {name} header")
        for name in interaction["response"].get("headers", {}):
            if name.lower() in CREDENTIAL_HEADERS | {"set-cookie"}:
                found.append(f"interaction {number}: response {name} header")
    return found


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
