"""Fixtures for the provider adapter tests: a fake provider on loopback, and test data."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from kaizen_client.integrations.fake_providers import FakeProvider

#: A dummy provider key: the SDKs need one, no provider ever sees it.
DUMMY_KEY = "sk-test-provider-dummy-0000"

ROWS = {
    "orders": [
        {"id": i, "sku": f"SKU-{i:04d}", "qty": i % 5, "status": "shipped", "total": 10.5 + i}
        for i in range(30)
    ]
}
ROWS_TEXT = json.dumps(ROWS, indent=2)
TOON_REPLY = "Here you are:\n```toon\nitems[2]{a,b}:\n  1,2\n  3,4\n```"
TOON_DATA = {"items": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider(reply=TOON_REPLY) as server:
        yield server


def compare_bodies(sent: object, plain: object, path: str = "$") -> list[str]:
    """Where ``sent`` (wrapped client) differs from ``plain`` (same call, unwrapped client).

    Every difference must be a string that is shorter and decodes (KTOF) to exactly the
    JSON the plain request held there; everything else must be equal, key order included.
    Returns the paths of the compressed strings.
    """
    from kaizen_client.ktof import decode

    if isinstance(plain, dict):
        assert isinstance(sent, dict), path
        assert list(sent) == list(plain), f"{path}: keys {list(sent)} != {list(plain)}"
        return [p for k in plain for p in compare_bodies(sent[k], plain[k], f"{path}.{k}")]
    if isinstance(plain, list):
        assert isinstance(sent, list) and len(sent) == len(plain), path
        return [
            p
            for i, (a, b) in enumerate(zip(sent, plain, strict=True))
            for p in compare_bodies(a, b, f"{path}[{i}]")
        ]
    if sent == plain and type(sent) is type(plain):
        return []
    assert isinstance(plain, str) and isinstance(sent, str), f"{path}: {sent!r} != {plain!r}"
    assert len(sent) < len(plain), f"{path}: not smaller"
    start = 0  # prose around an embedded JSON document is kept as it was
    while start < min(len(sent), len(plain)) and sent[start] == plain[start]:
        start += 1
    end = 0
    while end < min(len(sent), len(plain)) - start and sent[-1 - end] == plain[-1 - end]:
        end += 1
    original = plain[start : len(plain) - end]
    replaced = sent[start : len(sent) - end].strip("\n")
    assert decode(replaced) == json.loads(original), f"{path}: does not decode to the original"
    return [path]
