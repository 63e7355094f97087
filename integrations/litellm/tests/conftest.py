"""Shared fixtures: offline LiteLLM, a clean engine cache and clean LiteLLM callbacks per test."""

from __future__ import annotations

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is imported

from collections.abc import Iterator

import litellm
import pytest

from kaizen_client.engine import clear_cache


@pytest.fixture(autouse=True)
def _fresh_engine_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


_CALLBACK_LISTS = (
    "callbacks",
    "input_callback",
    "success_callback",
    "failure_callback",
    "_async_input_callback",
    "_async_success_callback",
    "_async_failure_callback",
)


@pytest.fixture(autouse=True)
def _clean_callbacks() -> Iterator[None]:
    """LiteLLM keeps callbacks in module lists (a Router adds its own): restore them all."""
    saved = {name: list(getattr(litellm, name)) for name in _CALLBACK_LISTS}
    yield
    for name, value in saved.items():
        setattr(litellm, name, value)
