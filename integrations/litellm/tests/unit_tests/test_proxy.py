"""The Proxy, in-process: our example config.yaml, the proxy's ASGI app, a loopback upstream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaizen_client.ktof import encode
from kaizen_litellm import RECORD_KEY, KaizenHook

from ..data import UPSTREAM_KEY, chat, rows
from ..upstream import Upstream, running_upstream
from .test_sdk import check_compressed

pytest.importorskip("litellm.proxy.proxy_server", reason="the proxy's dependencies are missing")

CONFIG = Path(__file__).resolve().parents[4] / "examples" / "litellm_proxy" / "config.yaml"
TOON = encode({"active": rows(6)}, mode="toon")


@asynccontextmanager
async def proxy(
    monkeypatch: pytest.MonkeyPatch, reply: str = "ok"
) -> AsyncIterator[tuple[httpx.AsyncClient, Upstream, list[str]]]:
    """The proxy app loaded from CONFIG, its upstream, and the call types the hook saw."""
    from litellm.proxy import proxy_server

    seen: list[str] = []
    original = KaizenHook.async_pre_call_hook

    async def spy(
        self: KaizenHook, user_api_key_dict: Any, cache: Any, data: Any, call_type: Any
    ) -> Any:
        result = await original(self, user_api_key_dict, cache, data, call_type)
        compressed = RECORD_KEY in (data.get("metadata") or {})
        seen.append(f"{getattr(call_type, 'value', call_type)}:{compressed}")
        return result

    monkeypatch.setattr(KaizenHook, "async_pre_call_hook", spy)
    with running_upstream(reply) as upstream:
        monkeypatch.setenv("OPENAI_API_BASE", upstream.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", UPSTREAM_KEY)
        await proxy_server.initialize(config=str(CONFIG))  # type: ignore[no-untyped-call]
        transport = httpx.ASGITransport(app=proxy_server.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://proxy") as client:
            yield client, upstream, seen


async def test_proxy_compresses_chat_completions(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaizen_litellm import proxy_handler_instance

    before = proxy_handler_instance.compressions
    async with proxy(monkeypatch, "proxied") as (client, upstream, seen):
        response = await client.post(
            "/chat/completions", json={"model": "gpt-4o", "messages": chat()}
        )
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"] == "proxied"
        check_compressed(upstream.last["messages"])
    # the Proxy called async_pre_call_hook on the registered class, which compressed
    assert seen == ["acompletion:True"]
    assert proxy_handler_instance.compressions == before + 1  # once, not again per deployment
    assert upstream.headers[-1]["authorization"] == f"Bearer {UPSTREAM_KEY}"


async def test_proxy_leaves_embeddings_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaizen_litellm import proxy_handler_instance

    before = proxy_handler_instance.compressions
    async with proxy(monkeypatch) as (client, _upstream, _seen):
        await client.post("/embeddings", json={"model": "gpt-4o", "input": json.dumps(rows())})
    assert proxy_handler_instance.compressions == before


@pytest.mark.parametrize(
    "ask", [{"kaizen_decode_reply": True}, {"metadata": {"kaizen_decode_reply": True}}]
)
async def test_proxy_decodes_toon_replies(
    monkeypatch: pytest.MonkeyPatch, ask: dict[str, Any]
) -> None:
    async with proxy(monkeypatch, f"```toon\n{TOON}\n```") as (client, upstream, _seen):
        body = {"model": "gpt-4o", "messages": chat(), **ask}
        whole = await client.post("/chat/completions", json=body)
        assert whole.status_code == 200, whole.text
        content = whole.json()["choices"][0]["message"]["content"]
        assert json.loads(content) == {"active": rows(6)}

        pieces: list[str] = []
        async with client.stream(
            "POST", "/chat/completions", json={**body, "stream": True}
        ) as stream:
            async for line in stream.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    for choice in json.loads(line[6:])["choices"]:
                        pieces.append(choice.get("delta", {}).get("content") or "")
        assert json.loads("".join(pieces)) == {"active": rows(6)}
        assert all("kaizen_decode_reply" not in r for r in upstream.requests)


async def test_proxy_request_metadata_carries_the_savings(monkeypatch: pytest.MonkeyPatch) -> None:
    records: list[dict[str, Any]] = []
    original = KaizenHook.async_post_call_success_hook

    async def spy(self: KaizenHook, data: Any, user_api_key_dict: Any, response: Any) -> Any:
        records.append(dict(data.get("metadata", {}).get(RECORD_KEY, {})))
        return await original(self, data, user_api_key_dict, response)

    monkeypatch.setattr(KaizenHook, "async_post_call_success_hook", spy)
    async with proxy(monkeypatch) as (client, _upstream, _seen):
        await client.post("/chat/completions", json={"model": "gpt-4o", "messages": chat()})
    assert records and records[0]["tokens_saved"] > 0
