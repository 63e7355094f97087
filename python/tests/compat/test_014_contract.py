"""What code and test doubles written for kaizen-client 0.1.4 rely on, checked here.

0.1.4's own test suite (getkaizen/kaizen-sdk ``python/tests/test_client.py``; see README.md)
drives the client through objects that have only ``request(method, url, json=, headers=)``,
returns ``{"ok": True}`` from every call, and replaces ``KaizenClient`` with a class that has
only ``close()`` when testing the decorator. These tests rebuild each of those situations
(written here, not copied) and check what 0.1.4 did.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kaizen_client import (
    KaizenAPIError,
    KaizenClient,
    KaizenClientConfig,
    KaizenRequestError,
    KaizenSyncClient,
    PromptDecodePayload,
    with_kaizen_client,
)

HOSTED = "https://api.getkaizen.io"


class Answer:
    """What 0.1.4 read from a response: status_code, headers, is_error, json(), text."""

    def __init__(self, body: Any, status_code: int = 200) -> None:
        self.body = body
        self.status_code = status_code
        self.headers = {"x-double": "yes"}
        self.is_error = status_code >= 400

    def json(self) -> Any:
        return self.body

    @property
    def text(self) -> str:
        return str(self.body)


class RequestOnly:
    """A 0.1.4-style transport double: an async ``request`` and nothing else of httpx."""

    def __init__(self, answer: Answer | Exception | None = None) -> None:
        self.answer = answer if answer is not None else Answer({"ok": True})
        self.seen: list[dict[str, Any]] = []
        self.closed = False

    async def request(
        self,
        method: str,
        url: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        self.seen.append({"method": method, "url": url, "json": json, "headers": headers})
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    async def aclose(self) -> None:
        self.closed = True


class SyncRequestOnly(RequestOnly):
    def request(  # type: ignore[override]
        self, method: str, url: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        self.seen.append({"method": method, "url": url, "json": json, "headers": headers})
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


async def no_sleep(_: float) -> None:
    return None


@pytest.mark.parametrize(
    ("method", "payload", "path"),
    [
        ("compress", {"data": {"k": "v"}}, "/v1/compress"),
        ("decompress", {"data": "x"}, "/v1/decompress"),
        ("optimize", {"data": [1]}, "/v1/optimize"),
        ("optimize_request", {"prompt": {"messages": []}}, "/v1/optimize/request"),
        ("optimize_response", {"ktof": "x"}, "/v1/optimize/response"),
        ("prompts_encode", {"prompt": {"messages": []}}, "/v1/prompts/encode"),
        ("prompts_decode", {"ktof": "x"}, "/v1/prompts/decode"),
    ],
)
async def test_request_only_object_gets_each_call_and_any_object_answer_is_returned(
    method: str, payload: dict[str, Any], path: str
) -> None:
    double = RequestOnly()
    client = KaizenClient(client=double)  # no config: the hosted API, as in 0.1.4
    result = await getattr(client, method)(payload)
    assert result == {"ok": True} and result["ok"] is True  # a shape the schema does not know
    (seen,) = double.seen
    assert seen["method"] == "POST" and seen["url"] == HOSTED + path
    assert seen["json"] == payload
    await client.close()
    assert not double.closed  # the caller's object stays the caller's


async def test_request_only_object_sees_the_key_header_and_a_typed_payload() -> None:
    double = RequestOnly()
    client = KaizenClient(KaizenClientConfig(api_key="secret-0000"), client=double)
    await client.prompts_decode(PromptDecodePayload(ktof="abc123"))
    (seen,) = double.seen
    assert seen["json"] == {"ktof": "abc123"}
    assert seen["headers"]["x-api-key"] == "secret-0000"
    assert seen["headers"]["Content-Type"] == "application/json"
    assert "host" not in {k.lower() for k in seen["headers"]}  # httpx's own headers stay out


async def test_health_is_a_get_on_the_root_without_json() -> None:
    double = RequestOnly(Answer({"status": "ok"}))
    client = KaizenClient(client=double)
    assert await client.health() == {"status": "ok"}
    (seen,) = double.seen
    assert (seen["method"], seen["url"], seen["json"]) == ("GET", HOSTED + "/", None)


async def test_error_status_and_transport_failure_raise_the_014_exceptions() -> None:
    failing = KaizenClient(client=RequestOnly(Answer({"detail": "bad"}, 500)), sleep=no_sleep)
    with pytest.raises(KaizenAPIError) as api_error:
        await failing.prompts_encode({"prompt": {"messages": []}})
    assert api_error.value.status_code == 500 and api_error.value.message == "bad"
    refused = httpx.ConnectError("boom", request=httpx.Request("POST", "http://test"))
    unreachable = KaizenClient(client=RequestOnly(refused), sleep=no_sleep)
    with pytest.raises(KaizenRequestError) as request_error:
        await unreachable.prompts_encode({"prompt": {"messages": []}})
    assert request_error.value.original is refused


def test_sync_client_takes_a_sync_request_only_object() -> None:
    double = SyncRequestOnly()
    with KaizenSyncClient(client=double) as client:
        assert client.compress({"data": 1}) == {"ok": True}
    assert double.seen[0]["url"] == HOSTED + "/v1/compress"


def test_sync_client_refuses_an_async_request_only_object_clearly() -> None:
    with (
        KaizenSyncClient(client=RequestOnly(), config=KaizenClientConfig(max_retries=0)) as client,
        pytest.raises(TypeError, match="KaizenClient, not KaizenSyncClient"),
    ):
        client.compress({"data": 1})


def test_an_explicit_local_config_is_kept_with_a_client() -> None:
    assert KaizenSyncClient(
        KaizenClientConfig(base_url="local"), client=SyncRequestOnly()
    ).mode == ("local")


async def test_decorator_works_with_a_client_that_only_has_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []

    class CloseOnly:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            events.append("created")

        async def prompts_encode(self, payload: Any) -> Any:
            events.append("used")
            return payload

        async def close(self) -> None:
            events.append("closed")

    monkeypatch.setattr("kaizen_client.decorators.KaizenClient", CloseOnly)

    @with_kaizen_client()
    async def run(*, kaizen: Any) -> Any:
        return await kaizen.prompts_encode({"prompt": {"messages": []}})

    assert await run() == {"prompt": {"messages": []}}
    assert events == ["created", "used", "closed"]


def test_sync_decorator_closes_a_close_only_client_even_on_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []

    class CloseOnly:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            events.append("created")

        def close(self) -> None:
            events.append("closed")

    monkeypatch.setattr("kaizen_client.decorators.KaizenSyncClient", CloseOnly)

    @with_kaizen_client()
    def run(*, kaizen: Any) -> None:
        raise RuntimeError("inside")

    with pytest.raises(RuntimeError):
        run()
    assert events == ["created", "closed"]


@pytest.mark.parametrize("twin", [KaizenClient, KaizenSyncClient])
def test_a_client_that_is_neither_is_refused_by_name(twin: Any) -> None:
    with pytest.raises(TypeError, match=r"client= must be an httpx\..* not object"):
        twin(client=object())
