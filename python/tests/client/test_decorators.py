"""``with_kaizen_client``: 0.1.4 keyword injection, positional clients, sync functions."""

from __future__ import annotations

from typing import Any

import pytest

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient, with_kaizen_client

LOCAL = KaizenClientConfig(base_url="local")


async def test_async_injects_keyword_client_and_closes_it() -> None:
    seen: list[KaizenClient] = []

    @with_kaizen_client(LOCAL)
    async def run(x: int, *, kaizen: KaizenClient) -> str:
        seen.append(kaizen)
        return str((await kaizen.health())["status"]) + str(x)

    assert await run(1) == "ok1"
    assert isinstance(seen[0], KaizenClient) and seen[0]._client.is_closed
    assert run.__name__ == "run"


async def test_014_style_kwargs_only_function() -> None:
    @with_kaizen_client(LOCAL)
    async def run(**kwargs: Any) -> Any:
        return kwargs["kaizen"]

    client = await run()
    assert isinstance(client, KaizenClient) and client._client.is_closed


async def test_caller_client_by_keyword_is_used_and_left_open() -> None:
    @with_kaizen_client(LOCAL)
    async def run(*, kaizen: KaizenClient) -> KaizenClient:
        return kaizen

    async with KaizenClient(LOCAL) as mine:
        assert await run(kaizen=mine) is mine
        assert not mine._client.is_closed


async def test_caller_client_by_position_is_not_doubled() -> None:
    @with_kaizen_client(LOCAL)
    async def run(prompt: str, kaizen: KaizenClient) -> KaizenClient:
        return kaizen

    async with KaizenClient(LOCAL) as mine:
        assert await run("p", mine) is mine  # no "multiple values for 'kaizen'"
        assert not mine._client.is_closed
    injected = await run("p")
    assert injected is not mine and injected._client.is_closed


async def test_positional_none_is_replaced() -> None:
    @with_kaizen_client(LOCAL)
    async def run(prompt: str, kaizen: KaizenClient | None = None) -> Any:
        return kaizen

    assert isinstance(await run("p", None), KaizenClient)


async def test_method_with_self() -> None:
    class Service:
        @with_kaizen_client(LOCAL)
        async def go(self, kaizen: KaizenClient) -> KaizenClient:
            return kaizen

    async with KaizenClient(LOCAL) as mine:
        assert await Service().go(mine) is mine
    assert isinstance(await Service().go(), KaizenClient)


def test_sync_function_gets_sync_client() -> None:
    seen: list[Any] = []

    @with_kaizen_client(LOCAL)
    def run(kaizen: KaizenSyncClient) -> str:
        seen.append(kaizen)
        return str(kaizen.health()["status"])

    assert run() == "ok"
    assert isinstance(seen[0], KaizenSyncClient) and seen[0]._client.is_closed
    with KaizenSyncClient(LOCAL) as mine:
        assert run(mine) == "ok" and seen[-1] is mine and not mine._client.is_closed


async def test_client_closed_even_when_function_raises() -> None:
    seen: list[KaizenClient] = []

    @with_kaizen_client(LOCAL)
    async def run(*, kaizen: KaizenClient) -> None:
        seen.append(kaizen)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await run()
    assert seen[0]._client.is_closed


async def test_default_config_uses_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAIZEN_API_KEY", raising=False)
    monkeypatch.delenv("KAIZEN_BASE_URL", raising=False)

    @with_kaizen_client()
    async def run(*, kaizen: KaizenClient) -> str:
        return kaizen.mode

    assert await run() == "local"
