"""Shared setup: a clean engine cache per test, and a ``llamaindex`` marker on every test.

The marker makes ``python3 dev.py test -k llamaindex`` select this whole package (``-k``
matches marker names), whatever a test happens to be called.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaizen_client.engine import clear_cache


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "llamaindex: a test of llama-index-postprocessor-kaizen")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.llamaindex)


@pytest.fixture(autouse=True)
def _fresh_engine_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()
