"""Stored prompts: encode returns a payload_id; decode answers 404 unknown, 410 expired."""

from __future__ import annotations

import httpx

from kaizen_client.server.store import InMemoryPayloadStore, footprint

from .conftest import OTHER_KEY, AppClient, FakeClock, auth

PROMPT = [{"role": "user", "content": 'rows: [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]'}]


async def encode(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.post("/v1/prompts/encode", json={"prompt": PROMPT}, headers=auth())
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def decode_id(
    client: httpx.AsyncClient, payload_id: object, key: str | None = None
) -> httpx.Response:
    headers = auth(key) if key else auth()
    return await client.post("/v1/prompts/decode", json={"payload_id": payload_id}, headers=headers)


async def test_encode_stores_and_decode_by_id_restores_the_prompt(
    client: httpx.AsyncClient,
) -> None:
    encoded = await encode(client)
    payload_id = encoded["payload_id"]
    assert isinstance(payload_id, str) and payload_id.startswith("pl_")
    response = await decode_id(client, payload_id)
    assert response.status_code == 200
    assert response.json()["result"] == PROMPT
    # Same answer as decoding the KTOF text itself (the engine does the work both ways).
    by_text = await client.post(
        "/v1/prompts/decode", json={"ktof": encoded["result"]}, headers=auth()
    )
    assert {**by_text.json(), "request_id": None} == {**response.json(), "request_id": None}


async def test_unknown_id_is_404_and_expired_id_is_410(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    unknown = await decode_id(client, "pl_never_issued")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert unknown.json()["error"]["detail"] == {"payload_id": "pl_never_issued"}
    payload_id = (await encode(client))["payload_id"]
    clock.advance(3600)  # the default TTL
    expired = await decode_id(client, payload_id)
    assert expired.status_code == 410
    assert expired.json()["error"]["code"] == "gone"
    assert expired.json()["error"]["detail"] == {"payload_id": payload_id}


async def test_payloads_belong_to_the_key_that_stored_them(client: httpx.AsyncClient) -> None:
    payload_id = (await encode(client))["payload_id"]
    assert (await decode_id(client, payload_id, OTHER_KEY)).status_code == 404


async def test_ktof_wins_over_payload_id(client: httpx.AsyncClient) -> None:
    body = {"ktof": "a: 1", "payload_id": "pl_never_issued"}
    response = await client.post("/v1/prompts/decode", json=body, headers=auth())
    assert response.status_code == 200 and response.json()["result"] == {"a": 1}


async def test_invalid_bodies_still_get_the_engines_errors(client: httpx.AsyncClient) -> None:
    bad = await client.post("/v1/prompts/decode", content=b"{nope", headers=auth())
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_json"
    empty = await client.post("/v1/prompts/decode", json={}, headers=auth())
    assert empty.status_code == 422


async def test_storage_off_means_no_payload_id(make_client: AppClient) -> None:
    client = make_client(payload_ttl=0)
    assert "payload_id" not in await encode(client)


async def test_memory_store_expiry_and_budget() -> None:
    clock = FakeClock()
    fixed = footprint("pl_" + "x" * 22, "me", "")  # what an entry costs beyond its text
    store = InMemoryPayloadStore(ttl=10, max_bytes=fixed + 10, clock=clock)
    first = await store.put("me", "12345")
    assert (await store.get("me", first)).text == "12345"
    assert (await store.get("you", first)).state == "unknown"
    second = await store.put("me", "678901")  # over budget: the oldest goes
    assert (await store.get("me", first)).state == "expired"
    assert (await store.get("me", second)).state == "found"
    assert store.bytes_used == fixed + 6 and len(store) == 1
    huge = await store.put("me", "x" * 11)  # never fits: gone at once
    assert (await store.get("me", huge)).state == "expired"
    clock.advance(10)
    assert (await store.get("me", second)).state == "expired"
    assert store.bytes_used == 0 and len(store) == 0
    assert (await store.get("me", "pl_other")).state == "unknown"


async def test_empty_prompts_are_charged_their_footprint() -> None:
    """Finding 4: an empty prompt cost 0 bytes, so ``max_bytes=1`` kept 100,000 entries."""
    from kaizen_client.server.store import ENTRY_OVERHEAD

    store = InMemoryPayloadStore(ttl=60, max_bytes=10 * (ENTRY_OVERHEAD + 40))
    ids = [await store.put("key:abc", "") for _ in range(1000)]
    assert 1 <= len(store) <= 10
    assert store.bytes_used <= store.max_bytes
    assert (await store.get("key:abc", ids[-1])).state == "found"
    assert (await store.get("key:abc", ids[0])).state == "expired"  # evicted, so 410
    tiny = InMemoryPayloadStore(ttl=60, max_bytes=1)
    for _ in range(1000):
        await tiny.put("key:abc", "")
    assert len(tiny) == 0 and tiny.bytes_used == 0


async def test_max_entries_caps_the_count() -> None:
    store = InMemoryPayloadStore(ttl=60, max_bytes=2**30, max_entries=5)
    ids = [await store.put("key:abc", "x") for _ in range(50)]
    assert len(store) == 5
    assert [(await store.get("key:abc", i)).state for i in ids[-5:]] == ["found"] * 5
    assert (await store.get("key:abc", ids[0])).state == "expired"


async def test_the_server_passes_max_entries_on(make_client: AppClient) -> None:
    client = make_client(payload_max_entries=3)
    first = await encode(client)
    for _ in range(3):
        await encode(client)
    assert (await decode_id(client, first["payload_id"])).status_code == 410
