"""Fixtures for server tests: an app with chosen settings, a client on it, a movable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from kaizen_client.server import ServerSettings, create_app

KEY = "sk-server-test-KEY-0123456789"
OTHER_KEY = "sk-server-test-OTHER-9876543210"
BASE = "http://kaizen.test"


class FakeClock:
    """``time.monotonic`` stand-in that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


AppClient = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def make_client(clock: FakeClock) -> AsyncIterator[AppClient]:
    """``make_client(**settings)`` -> an ``httpx.AsyncClient`` talking ASGI to a fresh app."""
    clients: list[httpx.AsyncClient] = []

    def factory(**overrides: Any) -> httpx.AsyncClient:
        options: dict[str, Any] = {"api_keys": frozenset({KEY, OTHER_KEY})}
        options.update(overrides)
        app = create_app(ServerSettings(**options), clock=clock)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(make_client: AppClient) -> httpx.AsyncClient:
    """An app with the two test keys and default limits."""
    return make_client()


def auth(key: str = KEY) -> dict[str, str]:
    return {"x-api-key": key}
