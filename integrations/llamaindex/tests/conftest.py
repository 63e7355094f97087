"""Shared fixtures: a clean engine cache per test, so cold/warm paths do not leak between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaizen_client.engine import clear_cache


@pytest.fixture(autouse=True)
def _fresh_engine_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()
