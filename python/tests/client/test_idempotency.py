"""One ``Idempotency-Key`` per logical call, repeated on every retry; the local engine replays."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from kaizen_client import KaizenClientConfig, KaizenSyncClient, KaizenValidationError, _transports

from .conftest import error_body, ok_body

KEY_FORMAT = re.compile(
    r"kaizen-python-retry-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def answers(*statuses: int) -> Any:
    queue = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        status = queue.pop(0) if len(queue) > 1 else queue[0]
        body = ok_body() if status == 200 else error_body(status)
        return httpx.Response(status, json=body)

    return handler


async def test_one_key_per_call_the_same_on_every_retry(make: Any) -> None:
    h = make(answers(503, 502, 200))
    await h.call("prompts_encode", {"prompt": "hi"})
    await h.call("prompts_encode", {"prompt": "hi"})
    keys = [r.headers.get("idempotency-key") for r in h.requests]
    assert len(keys) == 4 and all(k is not None and KEY_FORMAT.fullmatch(k) for k in keys)
    assert keys[0] == keys[1] == keys[2]  # three tries of one call
    assert keys[3] != keys[0]  # the next call is another operation


async def test_caller_chooses_the_key_per_call(make: Any) -> None:
    h = make(answers(500, 200), default_headers={"Idempotency-Key": "ignored-default"})
    await h.call("compress", {"data": 1}, idempotency_key="order-42-encode")
    assert [r.headers.get_list("idempotency-key") for r in h.requests] == [
        ["order-42-encode"],
        ["order-42-encode"],
    ]


async def test_get_carries_no_key(make: Any) -> None:
    body = {"status": "ok", "operation": "health", "version": "x", "mode": "remote"}
    h = make(lambda r: httpx.Response(200, json=body))
    await h.call("health")
    assert "idempotency-key" not in h.requests[0].headers


def count_engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = _transports._engine_call

    def counted(method: str, path: str, body: bytes | None, request_id: str) -> Any:
        calls.append(path)
        return real(method, path, body, request_id)

    monkeypatch.setattr(_transports, "_engine_call", counted)
    return calls


async def test_local_engine_answers_a_repeated_key_without_redoing_the_work(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_engine_calls(monkeypatch)
    h = make(None, base_url="local", api_key=None)
    prompt = {"prompt": [{"role": "user", "content": '[{"a": 1}, {"a": 2}, {"a": 3}]'}]}
    first = await h.call("prompts_encode", prompt, idempotency_key="k-1")
    again = await h.call("prompts_encode", prompt, idempotency_key="k-1")
    assert again == first and len(calls) == 1
    fresh = await h.call("prompts_encode", prompt)  # a new call, a new key: new work
    assert fresh["result"] == first["result"] and len(calls) == 2
    with pytest.raises(KaizenValidationError) as info:
        await h.call("prompts_encode", {"prompt": "other"}, idempotency_key="k-1")
    assert info.value.code == "idempotency_key_reused" and len(calls) == 2


def test_local_keys_are_scoped_per_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_engine_calls(monkeypatch)
    transport = _transports.LocalEngineTransport()
    for key in ("sk-one-0000", "sk-two-0000"):
        config = KaizenClientConfig(base_url="local", api_key=key)
        with KaizenSyncClient(config, transport=transport) as kaizen:
            kaizen.compress({"data": [1, 2]}, idempotency_key="same")
    assert len(calls) == 2


def test_local_failures_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_engine_calls(monkeypatch)
    with KaizenSyncClient(KaizenClientConfig(base_url="local")) as kaizen:
        for _ in range(2):
            with pytest.raises(KaizenValidationError):
                kaizen.compress({"nodata": 1}, idempotency_key="k")
    assert len(calls) == 2


def test_local_bad_key_is_400_like_the_server() -> None:
    with (
        KaizenSyncClient(KaizenClientConfig(base_url="local")) as kaizen,
        pytest.raises(KaizenValidationError) as info,
    ):
        kaizen.compress({"data": 1}, idempotency_key="has space")
    assert info.value.status_code == 400 and info.value.code == "invalid_idempotency_key"
