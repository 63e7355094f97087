"""Local mode: the same client code over the in-process engine transport, no network."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from kaizen_client import (
    KaizenClient,
    KaizenClientConfig,
    KaizenServerError,
    KaizenValidationError,
    _transports,
)
from kaizen_client._transports import LocalEngineTransport
from kaizen_client.models import HealthResponse, KaizenResponse

DATA = {"users": [{"id": 1, "name": "Ada", "admin": True}, {"id": 2, "name": "Bo", "admin": False}]}


async def test_local_health_and_no_network(make: Any) -> None:
    h = make(base_url="local", api_key=None)
    assert h.client.mode == "local"
    assert isinstance(h.client._client._transport, LocalEngineTransport)
    resp = await h.call("health", request_id="hc-1")
    assert isinstance(resp, HealthResponse)
    assert resp["status"] == "ok" and resp.mode == "local" and resp.request_id == "hc-1"


@pytest.mark.parametrize("mode", ["toon", "auto"])
async def test_local_compress_decompress_round_trip(make: Any, mode: str) -> None:
    h = make(base_url="local")
    encoded = await h.call("compress", {"data": DATA, "options": {"mode": mode}})
    assert isinstance(encoded, KaizenResponse) and isinstance(encoded["result"], str)
    assert encoded["stats"]["original_bytes"] > 0
    decoded = await h.call("decompress", {"data": encoded.result})
    assert decoded["result"] == DATA
    assert decoded.request_id and decoded.request_id != encoded.request_id


async def test_local_token_models_give_token_stats(make: Any) -> None:
    h = make(base_url="local")
    resp = await h.call("optimize", {"data": DATA, "token_models": ["gpt-4o"]})
    stats = resp["token_stats"]["gpt-4o"]
    assert stats.original > 0 and stats.compressed > 0


async def test_local_bad_input_raises_the_api_classes(make: Any) -> None:
    h = make(base_url="local")
    with pytest.raises(KaizenValidationError) as info:
        await h.call("decompress", {"data": "a[3]: 1,2"})
    assert info.value.status_code == 400 and info.value.code == "ktof_decode_error"
    assert info.value.detail["line"] == 1
    assert info.value.request_id is not None and len(info.value.request_id) == 32
    with pytest.raises(KaizenValidationError) as info2:
        await h.call("compress", {"not_data": 1})
    assert info2.value.status_code == 422 and info2.value.code == "validation_error"


async def test_local_failures_are_not_retried(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def broken(method: str, path: str, body: bytes | None, request_id: str) -> tuple[int, Any]:
        calls.append(path)
        return 503, {"error": {"code": "x", "message": "m", "request_id": request_id}}

    monkeypatch.setattr(_transports, "_engine_call", broken)
    h = make(base_url="local")
    with pytest.raises(KaizenServerError):
        await h.call("compress", {"data": 1})
    assert calls == ["/v1/compress"] and h.sleeps == []


async def test_local_logs_name_the_mode(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kaizen_client")
    h = make(base_url="local")
    await h.call("health")
    lines = [r.getMessage() for r in caplog.records if r.name == "kaizen_client"]
    assert len(lines) == 2 and all("mode=local" in line for line in lines)


@pytest.mark.parametrize(("threshold", "off_loop"), [(10**9, False), (0, True)])
async def test_async_transport_moves_big_bodies_off_the_loop(
    monkeypatch: pytest.MonkeyPatch, threshold: int, off_loop: bool
) -> None:
    seen: list[int] = []
    real = _transports._engine_call

    def spy(method: str, path: str, body: bytes | None, request_id: str) -> tuple[int, Any]:
        seen.append(threading.get_ident())
        return real(method, path, body, request_id)

    monkeypatch.setattr(_transports, "_engine_call", spy)
    transport = LocalEngineTransport(thread_threshold=threshold)
    async with KaizenClient(KaizenClientConfig(base_url="local"), transport=transport) as client:
        resp = await client.compress({"data": DATA, "options": {"mode": "toon"}})
    assert resp["status"] == "ok"
    assert (seen[0] != threading.get_ident()) is off_loop
