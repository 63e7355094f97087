"""Redis as the shared state (``KAIZEN_REDIS_URL``), against a real redis-server.

Payloads written through one server process are read through another; the rate limit holds
exactly across processes under 500 concurrent requests; a Redis outage gives 503s (never a
500, never an unchecked request) and the server recovers when Redis is back.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import redis

from kaizen_client.server import RateLimit, ServerSettings, create_app, running_server

from . import processes
from .conftest import KEY, OTHER_KEY, auth
from .redis_server import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture, imported for pytest

PROMPT = [{"role": "user", "content": 'rows: [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]'}]


@pytest.fixture(autouse=True)
def empty_redis(redis_server: RedisServer) -> None:
    redis.Redis(port=redis_server.port).flushall()


def _settings(redis_server: RedisServer, **overrides: object) -> ServerSettings:
    options: dict[str, object] = {"api_keys": frozenset({KEY, OTHER_KEY})}
    options.update(overrides)
    return ServerSettings(redis_url=redis_server.url, **options)  # type: ignore[arg-type]


def _client(settings: ServerSettings) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://kaizen.test")


async def test_payloads_live_in_redis_with_owner_and_expiry(redis_server: RedisServer) -> None:
    settings = _settings(redis_server, payload_ttl=1.0)
    async with _client(settings) as first, _client(settings) as second:  # two apps, one Redis
        encoded = await first.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth())
        payload_id = encoded.json()["payload_id"]
        decoded = await second.post(
            "/v1/prompts/decode", json={"payload_id": payload_id}, headers=auth()
        )
        assert decoded.status_code == 200 and decoded.json()["result"] == PROMPT
        other = await second.post(
            "/v1/prompts/decode", json={"payload_id": payload_id}, headers=auth(OTHER_KEY)
        )
        assert other.status_code == 404  # another key's payload does not exist for it
        await asyncio.sleep(1.2)
        gone = await second.post(
            "/v1/prompts/decode", json={"payload_id": payload_id}, headers=auth()
        )
        assert gone.status_code == 410


async def test_idempotency_records_are_shared(redis_server: RedisServer) -> None:
    settings = _settings(redis_server)
    body = {"prompt": PROMPT}
    headers = {**auth(), "idempotency-key": "retry-1234"}
    async with _client(settings) as first, _client(settings) as second:
        one = await first.post("/v1/prompts/encode", json=body, headers=headers)
        two = await second.post("/v1/prompts/encode", json=body, headers=headers)
        assert one.status_code == two.status_code == 200
        assert two.headers["idempotent-replayed"] == "true"
        assert two.json()["payload_id"] == one.json()["payload_id"]  # stored once
        reused = await second.post("/v1/prompts/encode", json={"prompt": "other"}, headers=headers)
        assert reused.status_code == 422
        assert reused.json()["error"]["code"] == "idempotency_key_reused"


async def test_concurrent_duplicates_run_once_across_apps(redis_server: RedisServer) -> None:
    settings = _settings(redis_server)
    headers = {**auth(), "idempotency-key": "race-5678"}
    async with _client(settings) as first, _client(settings) as second:
        answers = await asyncio.gather(
            *(
                client.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=headers)
                for client in (first, second) * 4
            )
        )
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["payload_id"] for a in answers}) == 1


async def test_failed_auth_limit_is_shared(redis_server: RedisServer) -> None:
    settings = _settings(redis_server, auth_failure_limit=RateLimit(3, 3600.0))
    async with _client(settings) as first, _client(settings) as second:
        statuses = [
            (
                await client.post("/v1/compress", json={"data": 1}, headers=auth("sk-nope"))
            ).status_code
            for client in (first, second, first, second)
        ]
    assert statuses == [401, 401, 401, 429]


async def test_lock_out_and_rate_limit_in_one_round_trip(redis_server: RedisServer) -> None:
    """Both limiters in Redis: a locked-out address is refused even with the right key, the
    rate limit still counts, and a Redis that lost its scripts (restart, SCRIPT FLUSH) is
    handled."""
    settings = _settings(
        redis_server, auth_failure_limit=RateLimit(2, 3600.0), rate_limit=RateLimit(3, 3600.0)
    )
    async with _client(settings) as client:
        ok = [
            (await client.post("/v1/compress", json={"data": 1}, headers=auth())).status_code
            for _ in range(4)
        ]
        assert ok == [200, 200, 200, 429]
        redis.Redis(port=redis_server.port).script_flush()
        limited = await client.post("/v1/compress", json={"data": 1}, headers=auth(OTHER_KEY))
        assert limited.status_code == 200  # another key, its own bucket; scripts reloaded
        for _ in range(2):
            wrong = await client.post("/v1/compress", json={"data": 1}, headers=auth("sk-x"))
            assert wrong.status_code == 401
        locked = await client.post("/v1/compress", json={"data": 1}, headers=auth(OTHER_KEY))
        assert locked.status_code == 429
        assert locked.json()["error"]["code"] == "too_many_auth_failures"


def _serve_with_redis(
    redis_server: RedisServer, *extra: str, **env: str
) -> tuple[subprocess.Popen[str], str]:
    port = processes.free_port()
    environment = processes.clean_env(
        {"KAIZEN_API_KEYS": KEY, "KAIZEN_REDIS_URL": redis_server.url, **env}
    )
    return processes.start(processes.serve_argv(port, *extra), environment, port)


@pytest.fixture(scope="module")
def two_servers(redis_server: RedisServer) -> Iterator[list[str]]:
    """Two server processes (as on two machines) on one Redis, rate limit 100 per day."""
    started = [
        _serve_with_redis(
            redis_server, KAIZEN_RATE_LIMIT="100/86400", KAIZEN_MAX_CONCURRENCY="1000"
        )
        for _ in range(2)
    ]
    try:
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            processes.stop(process)


async def test_payload_written_through_one_process_is_read_through_another(
    two_servers: list[str],
) -> None:
    """With two processes and in-memory stores, 110 of 200 decodes answered 404."""
    a, b = two_servers
    limits = httpx.Limits(max_connections=50)
    async with httpx.AsyncClient(limits=limits) as client:
        ids = []
        for i in range(40):
            base = (a, b)[i % 2]
            encoded = await client.post(
                base + "/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth()
            )
            assert encoded.status_code == 200
            ids.append((base, encoded.json()["payload_id"]))
        decoded = await asyncio.gather(
            *(
                client.post(
                    (b if base == a else a) + "/v1/prompts/decode",
                    json={"payload_id": payload_id},
                    headers=auth(),
                )
                for base, payload_id in ids
            )
        )
    assert [d.status_code for d in decoded] == [200] * 40
    assert all(d.json()["result"] == PROMPT for d in decoded)


async def test_rate_limit_is_exact_across_processes_under_500_concurrent(
    two_servers: list[str],
) -> None:
    """The limiter allowed 2x the configured rate with 2 workers; now exactly the limit.

    100 per day and a fresh Redis: exactly 100 of 500 pass, whichever process they reach
    (the payload test before this one ran on the same servers; its budget is flushed)."""
    a, b = two_servers
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    (a, b)[i % 2] + "/v1/compress",
                    json={"data": [i]},
                    headers=auth(),
                )
                for i in range(500)
            )
        )
    counts = Counter(r.status_code for r in answers)
    assert counts == {200: 100, 429: 400}, counts


def test_workers_need_redis_unless_forced() -> None:
    port = processes.free_port()
    env = processes.clean_env({"KAIZEN_API_KEYS": KEY})
    done = subprocess.run(
        [sys.executable, *processes.serve_argv(port, "--workers", "2")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--workers 2 needs KAIZEN_REDIS_URL" in done.stderr


def test_two_workers_share_payloads_limits_and_metrics(redis_server: RedisServer) -> None:
    process, url = _serve_with_redis(redis_server, "--workers", "2")
    try:
        with httpx.Client(base_url=url, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            for _ in range(20):  # new connections: the two workers take turns accepting
                encoded = client.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth())
                decoded = client.post(
                    "/v1/prompts/decode",
                    json={"payload_id": encoded.json()["payload_id"]},
                    headers=auth(),
                )
                assert decoded.status_code == 200
            assert client.get("/readyz").json() == {"status": "ready", "redis": "ok"}
            metrics = client.get("/metrics").text
    finally:
        output = processes.stop(process)
    # /metrics sums both workers (multiprocess mode): every request above is counted once.
    assert 'kaizen_requests_total{route="prompts_encode",status="200"} 20.0' in metrics, metrics
    assert "kaizen_redis_payloads 20.0" in metrics
    assert output.count("Started server process") == 2


def test_redis_outage_gives_503_and_the_server_recovers(redis_server: RedisServer) -> None:
    settings = _settings(redis_server, rate_limit=RateLimit(1000, 1.0))
    with running_server(settings) as url, httpx.Client(base_url=url, timeout=10) as client:

        def compress() -> httpx.Response:
            return client.post("/v1/compress", json={"data": [1]}, headers=auth())

        assert compress().status_code == 200
        assert client.get("/readyz").status_code == 200
        redis_server.stop()
        try:
            during = [compress() for _ in range(10)]
            encode = client.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth())
            ready = client.get("/readyz")
            live = client.get("/healthz")
        finally:
            redis_server.start()
        assert {r.status_code for r in during} == {503}  # never 500, never let through
        assert during[0].json()["error"]["code"] == "unavailable"
        assert during[0].headers["retry-after"] == "1"
        assert encode.status_code == 503
        assert ready.status_code == 503 and live.status_code == 200
        deadline = time.monotonic() + 10
        while compress().status_code != 200:
            assert time.monotonic() < deadline, "did not recover after Redis came back"
            time.sleep(0.1)
        encoded = client.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth())
        decoded = client.post(
            "/v1/prompts/decode", json={"payload_id": encoded.json()["payload_id"]}, headers=auth()
        )
        assert decoded.status_code == 200
        assert client.get("/readyz").status_code == 200
