"""413 before the whole body is read; 429 with Retry-After from a per-key token bucket."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from kaizen_client.server import RateLimit, ServerSettings
from kaizen_client.server.ratelimit import TokenBucketLimiter

from .conftest import KEY, OTHER_KEY, AppClient, FakeClock, auth


class CountingBody:
    """An endless request body of ``chunk``-byte pieces that counts how many were read."""

    def __init__(self, chunk: int = 100, chunks: int = 10_000) -> None:
        self.chunk, self.chunks, self.read = chunk, chunks, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.read += 1
            yield b" " * self.chunk


async def test_declared_oversized_body_is_refused_before_reading(make_client: AppClient) -> None:
    client = make_client(max_body_bytes=1000)
    body = CountingBody()
    headers = {**auth(), "content-length": str(body.chunk * body.chunks)}
    response = await client.post("/v1/compress", content=body, headers=headers)
    assert response.status_code == 413
    assert body.read == 0
    assert response.headers.get("connection") != "close"  # a close could reset away the 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large" and error["detail"] == {"limit": 1000}


async def test_chunked_oversized_body_is_read_only_up_to_the_limit(
    make_client: AppClient,
) -> None:
    client = make_client(max_body_bytes=1000)
    body = CountingBody()
    response = await client.post("/v1/compress", content=body, headers=auth())
    assert response.status_code == 413
    assert body.read <= 11  # 1000 bytes in 100-byte chunks, plus the one that crossed


async def test_body_at_the_limit_is_accepted(make_client: AppClient) -> None:
    payload = json.dumps({"data": "x" * 50}).encode()
    client = make_client(max_body_bytes=len(payload))
    assert (await client.post("/v1/compress", content=payload, headers=auth())).status_code == 200
    client = make_client(max_body_bytes=len(payload) - 1)
    assert (await client.post("/v1/compress", content=payload, headers=auth())).status_code == 413


async def test_default_limit_is_two_mebibytes(client: httpx.AsyncClient) -> None:
    payload = json.dumps({"data": "x" * (2 * 1024 * 1024)}).encode()
    response = await client.post("/v1/compress", content=payload, headers=auth())
    assert response.status_code == 413


async def test_rate_limit_answers_429_with_retry_after(
    make_client: AppClient, clock: FakeClock
) -> None:
    client = make_client(rate_limit=RateLimit(2, 10.0))
    for _ in range(2):
        assert (await client.post("/v1/compress", json={"data": 1}, headers=auth())).is_success
    response = await client.post("/v1/compress", json={"data": 1}, headers=auth())
    assert response.status_code == 429
    assert response.headers["retry-after"] == "5"  # one token every 10/2 s
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["detail"] == {"retry_after": 5}
    # Another key has its own bucket; health is never limited.
    other = {"x-api-key": OTHER_KEY}
    assert (await client.post("/v1/compress", json={"data": 1}, headers=other)).is_success
    assert (await client.get("/")).is_success
    clock.advance(5)
    assert (await client.post("/v1/compress", json={"data": 1}, headers=auth())).is_success


async def test_open_server_limits_per_client_address(make_client: AppClient) -> None:
    client = make_client(api_keys=frozenset(), allow_anonymous=True, rate_limit=RateLimit(1, 60.0))
    assert (await client.post("/v1/compress", json={"data": 1})).is_success
    response = await client.post("/v1/compress", json={"data": 1})
    assert response.status_code == 429 and response.headers["retry-after"] == "60"


def test_token_bucket_refills_continuously() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(RateLimit(3, 3.0), clock=clock)
    assert [limiter.acquire(KEY) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    clock.advance(0.5)
    assert limiter.acquire(KEY) == 1.0  # half a token is not enough; wait rounds up
    clock.advance(0.5)
    assert limiter.acquire(KEY) == 0.0
    clock.advance(100)
    assert [limiter.acquire(KEY) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]  # capped at 3


def test_token_bucket_keeps_a_bounded_number_of_buckets() -> None:
    limiter = TokenBucketLimiter(RateLimit(1, 60.0), clock=FakeClock(), max_buckets=2)
    for name in ("a", "b", "c"):
        limiter.acquire(name)
    assert limiter.acquire("c") == 60.0  # recent buckets are kept
    assert limiter.acquire("a") == 0.0  # the oldest was forgotten (errs towards allowing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("off", None),
        ("0", None),
        ("120/60", RateLimit(120, 60.0)),
        ("5", RateLimit(5, 1.0)),
    ],
)
def test_rate_limit_setting_parses(text: str, expected: RateLimit | None) -> None:
    assert RateLimit.parse(text) == expected


@pytest.mark.parametrize("text", ["fast", "10/x", "-1/60", "10/0"])
def test_bad_rate_limit_setting_is_a_clear_error(text: str) -> None:
    with pytest.raises(ValueError):
        ServerSettings.from_env({"KAIZEN_RATE_LIMIT": text})
