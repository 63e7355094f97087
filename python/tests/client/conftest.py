"""Helpers to run every client test against both twins over ``httpx.MockTransport``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient

API_KEY = "sk-test-SECRET-0123456789"
BASE = "https://api.test.example"

Handler = Callable[[httpx.Request], httpx.Response]


def ok_body(operation: str = "compress", result: Any = "KTOF", **extra: Any) -> dict[str, Any]:
    """A valid success body for the ``KaizenResponse`` operations."""
    body: dict[str, Any] = {
        "operation": operation,
        "status": "ok",
        "result": result,
        "stats": {"original_bytes": 100, "compressed_bytes": 40, "reduction_ratio": 0.4},
    }
    body.update(extra)
    return body


def error_body(status: int, code: str = "invalid_request", **extra: Any) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": f"boom {status}",
            "request_id": extra.pop("request_id", None),
            "detail": extra.pop("detail", None),
        }
    }


class Harness:
    """One twin plus what the tests inspect: requests seen and sleeps requested."""

    def __init__(self, kind: str, client: KaizenClient | KaizenSyncClient) -> None:
        self.kind = kind
        self.client = client
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self) -> None:
        result = self.client.close()
        if inspect.isawaitable(result):
            await result


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make(kind: str) -> Any:
    """``make(handler, **config_overrides)`` -> Harness for the parametrized twin."""
    made: list[Harness] = []

    def factory(
        handler: Handler | None = None,
        *,
        transport: Any = None,
        now: Callable[[], float] | None = None,
        **overrides: Any,
    ) -> Harness:
        settings: dict[str, Any] = {"base_url": BASE, "api_key": API_KEY}
        settings.update(overrides)
        config = KaizenClientConfig(**settings)
        holder: list[Harness] = []

        def recording(request: httpx.Request) -> httpx.Response:
            holder[0].requests.append(request)
            assert handler is not None
            return handler(request)

        if transport is None and handler is not None:
            transport = httpx.MockTransport(recording)
        client: KaizenClient | KaizenSyncClient
        if kind == "sync":
            client = KaizenSyncClient(
                config,
                transport=transport,
                sleep=lambda s: holder[0].sleeps.append(s),
                random=lambda: 0.5,
                now=now,
            )
        else:

            async def sleep(seconds: float) -> None:
                holder[0].sleeps.append(seconds)

            client = KaizenClient(
                config, transport=transport, sleep=sleep, random=lambda: 0.5, now=now
            )
        harness = Harness(kind, client)
        holder.append(harness)
        made.append(harness)
        return harness

    return factory
