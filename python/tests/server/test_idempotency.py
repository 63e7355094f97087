"""``Idempotency-Key`` on the reference server: a repeated key is answered, not redone."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest

from kaizen_client import KaizenClient, KaizenClientConfig
from kaizen_client.idempotency import ResultCache, StoredResult
from kaizen_client.server import ServerSettings, create_app
from kaizen_client.server.idempotency import InMemoryIdempotencyStore
from kaizen_client.server.store import InMemoryPayloadStore

from .conftest import BASE, KEY, OTHER_KEY, FakeClock, auth

PROMPT = {"prompt": [{"role": "user", "content": '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]'}]}


def counted_app(clock: FakeClock, **settings: Any) -> tuple[Any, InMemoryPayloadStore]:
    """An app whose payload store the test can count."""
    options: dict[str, Any] = {"api_keys": frozenset({KEY, OTHER_KEY}), "payload_ttl": 60.0}
    options.update(settings)
    store = InMemoryPayloadStore(ttl=options["payload_ttl"], max_bytes=1 << 20, clock=clock)
    return create_app(ServerSettings(**options), store=store, clock=clock), store


async def post(
    client: httpx.AsyncClient, body: Any, key: str | None, api_key: str = KEY
) -> httpx.Response:
    headers = auth(api_key)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post("/v1/prompts/encode", json=body, headers=headers)


async def test_repeated_key_stores_one_payload_and_replays_the_first_answer(
    clock: FakeClock,
) -> None:
    app, store = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        first, second, third = [await post(c, PROMPT, "key-1") for _ in range(3)]
    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert len(store) == 1  # one stored payload, not three
    assert first.json() == second.json() == third.json()
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == third.headers["idempotent-replayed"] == "true"


async def test_without_a_key_every_request_does_the_work(clock: FakeClock) -> None:
    """The control: the count above is the key's doing."""
    app, store = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        ids = {(await post(c, PROMPT, None)).json()["payload_id"] for _ in range(3)}
    assert len(store) == 3 and len(ids) == 3


class LoseResponses(httpx.AsyncBaseTransport):
    """Lets the server do the work, then loses its answer ``times`` times (a dropped link)."""

    def __init__(self, app: Any, times: int) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.times = times
        self.keys: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("idempotency-key"))
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if self.times > 0:
            self.times -= 1
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response


async def test_client_retry_after_a_lost_answer_stores_one_payload(clock: FakeClock) -> None:
    app, store = counted_app(clock)
    transport = LoseResponses(app, times=2)
    config = KaizenClientConfig(base_url=BASE, api_key=KEY, max_retries=2)

    async def no_sleep(_: float) -> None:
        return None

    async with KaizenClient(config, transport=transport, sleep=no_sleep) as kaizen:
        result = await kaizen.prompts_encode(PROMPT)
    assert len(transport.keys) == 3 and len(set(transport.keys)) == 1  # one key, three tries
    assert len(store) == 1 and result.payload_id is not None


async def test_same_key_with_another_body_is_422(clock: FakeClock) -> None:
    app, store = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        assert (await post(c, PROMPT, "key-2")).status_code == 200
        other = await post(c, {"prompt": "something else"}, "key-2")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(store) == 1


async def test_keys_belong_to_the_api_key_that_sent_them(clock: FakeClock) -> None:
    app, store = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        mine = await post(c, PROMPT, "shared-key", KEY)
        theirs = await post(c, PROMPT, "shared-key", OTHER_KEY)
    assert mine.json()["payload_id"] != theirs.json()["payload_id"]
    assert "idempotent-replayed" not in theirs.headers and len(store) == 2


async def test_keys_expire_with_the_payload_ttl(clock: FakeClock) -> None:
    app, _ = counted_app(clock, payload_ttl=30.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        first = await post(c, PROMPT, "key-3")
        clock.advance(31.0)
        later = await post(c, PROMPT, "key-3")
    assert first.json()["payload_id"] != later.json()["payload_id"]
    assert "idempotent-replayed" not in later.headers


async def test_failed_answers_are_not_kept_and_bad_keys_are_400(clock: FakeClock) -> None:
    app, _ = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        bad = [await post(c, {"no_prompt": 1}, "key-4") for _ in range(2)]
        assert [r.status_code for r in bad] == [422, 422]
        assert "idempotent-replayed" not in bad[1].headers
        assert (await post(c, PROMPT, "key-4")).status_code == 200  # the key is still free
        too_long = await post(c, PROMPT, "k" * 256)
        spaced = await post(c, PROMPT, "has space")
    for response in (too_long, spaced):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_idempotency_key"


async def test_concurrent_duplicate_waits_for_the_first_and_gets_its_answer() -> None:
    store = InMemoryIdempotencyStore(ttl=60.0, max_bytes=1 << 20)
    first = await store.claim("owner", "k", "fp")
    assert first.state == "acquired"
    seen: list[Any] = []

    async def duplicate() -> None:
        seen.append(await store.claim("owner", "k", "fp"))

    async with anyio.create_task_group() as tg:
        tg.start_soon(duplicate)
        await anyio.sleep(0.01)
        assert seen == []  # still waiting for the first
        await store.complete("owner", "k", StoredResult(200, {"n": 1}, "fp", 7))
    (claim,) = seen
    assert claim.state == "replay" and claim.result is not None
    assert claim.result.payload == {"n": 1}


async def test_concurrent_duplicate_runs_itself_when_the_first_fails() -> None:
    store = InMemoryIdempotencyStore(ttl=60.0, max_bytes=1 << 20)
    assert (await store.claim("owner", "k", "fp")).state == "acquired"
    seen: list[Any] = []

    async def duplicate() -> None:
        seen.append(await store.claim("owner", "k", "fp"))

    async with anyio.create_task_group() as tg:
        tg.start_soon(duplicate)
        await anyio.sleep(0.01)
        await store.release("owner", "k")
    assert seen[0].state == "acquired"
    assert (await store.claim("owner", "k", "other")).state == "conflict"  # in flight


async def test_concurrent_duplicates_over_http_do_the_work_once(clock: FakeClock) -> None:
    # Large enough to run the engine on a worker thread, so the two requests really overlap.
    rows = [{"id": i, "name": f"user{i}", "tags": ["a", "b"]} for i in range(3000)]
    body = {"prompt": [{"role": "user", "content": json.dumps(rows)}]}
    app, store = counted_app(clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        answers: list[httpx.Response] = []

        async def send() -> None:
            answers.append(await post(c, body, "key-5"))

        async with anyio.create_task_group() as tg:
            tg.start_soon(send)
            tg.start_soon(send)
    assert [r.status_code for r in answers] == [200, 200]
    assert answers[0].json() == answers[1].json() and len(store) == 1


def test_result_cache_is_bounded_in_entries_and_bytes() -> None:
    now = [0.0]
    cache = ResultCache(ttl=10.0, max_entries=3, max_bytes=100, clock=lambda: now[0])
    for i in range(5):
        cache.put_first("o", f"k{i}", StoredResult(200, i, "fp", 10))
    assert len(cache) == 3 and cache.get("o", "k0") is None and cache.get("o", "k4") is not None
    cache.put_first("o", "big", StoredResult(200, "x", "fp", 95))
    assert len(cache) == 1 and cache.bytes_used == 95
    huge = StoredResult(200, "y", "fp", 101)
    assert cache.put_first("o", "huge", huge) is huge and cache.get("o", "huge") is None
    now[0] = 11.0
    assert cache.get("o", "big") is None and cache.bytes_used == 0
    first = StoredResult(200, "first", "fp", 1)
    assert cache.put_first("o", "k", first) is first
    assert cache.put_first("o", "k", StoredResult(200, "second", "fp", 1)) is first


@pytest.mark.parametrize("ttl", [0.0])
async def test_no_store_without_payload_ttl(make_client: Any, ttl: float) -> None:
    client = make_client(payload_ttl=ttl)
    headers = {**auth(), "Idempotency-Key": "key-6"}
    a = await client.post("/v1/compress", json={"data": [1]}, headers=headers)
    b = await client.post("/v1/compress", json={"data": [1]}, headers=headers)
    assert a.status_code == b.status_code == 200 and "idempotent-replayed" not in b.headers
