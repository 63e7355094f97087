"""Shared fixtures and sample data for the service tests (the real engine and codec are used)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaizen_client.engine import clear_cache


@pytest.fixture(autouse=True)
def _cold_cache() -> Iterator[None]:
    """Each test starts cold, so cached results never leak between tests."""
    clear_cache()
    yield
    clear_cache()
