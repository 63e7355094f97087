"""No cassette may carry a key: not the test keys, not a bearer token, not a credential header.

The scan reads every ``shared/cassettes/*.yaml`` as text and as YAML. The self-tests plant a
key in a copy of a real cassette and prove the scan catches it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import CASSETTES, FILTERED, TEST_KEY, WRONG_KEY

# Header names only (their values are filtered out of every cassette).
CREDENTIAL_HEADERS = {"x-api-key", "authorization", "proxy-authorization", "cookie"}  # filtered
BEARER = re.compile(r"bearer[ \t]+(?!<filtered>)[A-Za-z0-9._~+/=-]{4,}", re.IGNORECASE)
KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_-]{8,}")
SECRET_QUERY = re.compile(r"[?&](api_?key|key|token|access_token)=", re.IGNORECASE)


def leaks(text: str) -> list[str]:
    """Every way ``text`` (one cassette file) gives a credential away."""
    found = [f"test key {k[:12]}..." for k in (TEST_KEY, WRONG_KEY) if k in text]
    found += [f"bearer token {m.group(0)[:16]}..." for m in BEARER.finditer(text)]
    found += [f"key-like string {m.group(0)[:8]}..." for m in KEY_LIKE.finditer(text)]
    data: Any = yaml.safe_load(text)
    for number, interaction in enumerate(data.get("interactions", [])):
        request = interaction["request"]
        for name, values in request.get("headers", {}).items():
            if name.lower() in CREDENTIAL_HEADERS and any(v != FILTERED for v in values):
                found.append(f"interaction {number}: unfiltered {name} header")
        if SECRET_QUERY.search(request.get("uri", "")):
            found.append(f"interaction {number}: secret query parameter")
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
