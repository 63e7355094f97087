"""The real thing: uvicorn on a free loopback port, ``kaizen serve`` as a process, both clients."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from kaizen_client import (
    KaizenAuthError,
    KaizenClient,
    KaizenClientConfig,
    KaizenPayloadTooLargeError,
    KaizenSyncClient,
)
from kaizen_client.server import ServerSettings, running_server

from . import processes
from .conftest import KEY

SETTINGS = ServerSettings(api_keys=frozenset({KEY}), max_body_bytes=64 * 1024)


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    with running_server(SETTINGS) as url:
        yield url


def test_sync_client_live(live_url: str) -> None:
    config = KaizenClientConfig(base_url=live_url, api_key=KEY, max_retries=0)
    with KaizenSyncClient(config) as kaizen:
        assert kaizen.health().mode == "server"
        encoded = kaizen.prompts_encode({"prompt": [{"role": "user", "content": "[1, 2, 3]"}]})
        decoded = kaizen.prompts_decode({"payload_id": encoded["payload_id"]})
        assert decoded.result == [{"role": "user", "content": "[1, 2, 3]"}]
        with pytest.raises(KaizenPayloadTooLargeError):  # refused before the body is read
            kaizen.compress({"data": "x" * 100_000})
        assert kaizen.compress({"data": [1]}).result == "[1]"  # the client recovered
    wrong = KaizenClientConfig(base_url=live_url, api_key="sk-not-the-key-123", max_retries=0)
    with KaizenSyncClient(wrong) as intruder, pytest.raises(KaizenAuthError) as caught:
        intruder.compress({"data": 1})
    assert "sk-not-the-key-123" not in str(caught.value) + repr(caught.value)


@pytest.mark.parametrize("size", [70_000, 300_000, 1_500_000, 8_000_000])
def test_oversized_bodies_always_get_their_413(live_url: str, size: int) -> None:
    """Over real TCP, every oversized request reads a 413, never "connection reset".

    The server answers before the body is read; had it closed the socket then, the unread
    input would make the kernel reset it, racing the 413 (this failed one CI run in ~10).
    """
    config = KaizenClientConfig(base_url=live_url, api_key=KEY, max_retries=0)
    with KaizenSyncClient(config) as kaizen:
        for _ in range(15):
            with pytest.raises(KaizenPayloadTooLargeError):
                kaizen.compress({"data": "x" * size})
        assert kaizen.compress({"data": [1]}).result == "[1]"


async def test_async_client_live_concurrently(live_url: str) -> None:
    import asyncio

    config = KaizenClientConfig(base_url=live_url, api_key=KEY, max_retries=0)
    async with KaizenClient(config) as kaizen:
        results = await asyncio.gather(*(kaizen.compress({"data": [i]}) for i in range(20)))
    assert [r.result for r in results] == [f"[{i}]" for i in range(20)]


async def test_bearer_auth_live(live_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_url) as client:
        ok = await client.post(
            "/v1/compress", json={"data": 1}, headers={"Authorization": f"Bearer {KEY}"}
        )
        assert ok.status_code == 200
        assert ok.headers["x-request-id"] == ok.json()["request_id"]


def _serve(env_keys: str | None, **extra: str) -> tuple[subprocess.Popen[str], str]:
    port = processes.free_port()
    env = processes.clean_env(extra)
    if env_keys is not None:
        env["KAIZEN_API_KEYS"] = env_keys
    argv = ["-m", "kaizen_client.server", "--port", str(port)]
    return processes.start(argv, env, port, ready_path="/")


def _stop(process: subprocess.Popen[str]) -> str:
    return processes.stop(process)


def test_kaizen_serve_process_with_keys() -> None:
    process, url = _serve(f"{KEY},sk-second-key-0000")
    try:
        assert httpx.post(url + "/v1/compress", json={"data": 1}).status_code == 401
        # A key in the query string must not reach the log either.
        query = url + "/v1/compress?key=" + KEY
        response = httpx.post(query, json={"data": 1}, headers={"x-api-key": KEY})
        assert response.status_code == 200
    finally:
        output = _stop(process)
    assert process.returncode == 0
    assert "POST /v1/compress 200" in output and "principal=key:" in output  # access log
    assert KEY not in output and "sk-second-key" not in output
    assert "ANONYMOUS MODE" not in output


@pytest.mark.parametrize("keys", [None, "", " , "])
def test_kaizen_serve_without_keys_refuses_to_start(keys: str | None) -> None:
    """Finding 5: an unset, empty or separator-only KAIZEN_API_KEYS no longer runs open."""
    env = processes.clean_env()
    if keys is not None:
        env["KAIZEN_API_KEYS"] = keys
    port = processes.free_port()
    done = subprocess.run(
        [sys.executable, *processes.serve_argv(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "KAIZEN_API_KEYS holds no key" in done.stderr


def test_kaizen_serve_open_on_purpose_warns_loudly() -> None:
    process, url = _serve(None, KAIZEN_ALLOW_ANONYMOUS="1")
    try:
        assert httpx.post(url + "/v1/compress", json={"data": 1}).status_code == 200
    finally:
        output = _stop(process)
    assert "ANONYMOUS MODE" in output
