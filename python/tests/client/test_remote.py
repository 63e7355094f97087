"""Remote mode over real httpx semantics (``httpx.MockTransport``), both twins."""

from __future__ import annotations

import contextlib
import email.utils
import json
from typing import Any

import httpx
import pytest

from kaizen_client import (
    EncodeOptions,
    EncodeRequest,
    KaizenAPIError,
    KaizenAuthError,
    KaizenNotFoundError,
    KaizenPayloadTooLargeError,
    KaizenRateLimitError,
    KaizenRequestError,
    KaizenServerError,
    KaizenTimeoutError,
    KaizenValidationError,
)
from kaizen_client.models import HealthResponse, KaizenResponse

from .conftest import API_KEY, BASE, error_body, ok_body


def reply(
    status: int, body: Any = None, *, content: str | None = None, **headers: str
) -> httpx.Response:
    if content is not None:
        headers.setdefault("content-type", "application/json")
        return httpx.Response(status, content=content.encode(), headers=headers)
    if isinstance(body, (dict, list)):
        return httpx.Response(status, json=body, headers=headers)
    return httpx.Response(status, content=(body or "").encode(), headers=headers)


def sequence(*responses: httpx.Response | Exception) -> Any:
    """A handler answering with ``responses`` in order (exceptions are raised)."""
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler


async def test_success_is_typed_and_reads_like_a_dict(make: Any) -> None:
    h = make(
        sequence(reply(200, ok_body(token_stats={"gpt-4o": {"original": 9, "compressed": 4}})))
    )
    resp = await h.call("compress", {"data": {"a": [1, 2]}})
    assert isinstance(resp, KaizenResponse)
    assert resp.result == "KTOF" and resp["result"] == "KTOF"
    assert resp.get("stats")["reduction_ratio"] == 0.4
    assert resp["stats"]["reduction_ratio"] == 0.4
    assert resp.token_stats is not None and resp.token_stats["gpt-4o"].compressed == 4
    assert resp.get("missing", "dflt") == "dflt"
    (request,) = h.requests
    assert request.method == "POST" and str(request.url) == f"{BASE}/v1/compress"
    assert json.loads(request.content) == {"data": {"a": [1, 2]}}


async def test_typed_request_model_is_sent_without_unset_fields(make: Any) -> None:
    h = make(sequence(reply(200, ok_body())))
    await h.call("compress", EncodeRequest(data=None, options=EncodeOptions(indent=4)))
    assert json.loads(h.requests[0].content) == {"data": None, "options": {"indent": 4}}


async def test_health_is_a_get_without_body(make: Any) -> None:
    body = {"status": "ok", "operation": "health", "version": "0.2.0", "mode": "remote"}
    h = make(sequence(reply(200, body)))
    resp = await h.call("health")
    assert isinstance(resp, HealthResponse) and resp["status"] == "ok"
    assert h.requests[0].method == "GET" and h.requests[0].url.path == "/"
    assert h.requests[0].content == b"" and "content-type" not in h.requests[0].headers


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ("compress", "/v1/compress"),
        ("decompress", "/v1/decompress"),
        ("optimize", "/v1/optimize"),
        ("optimize_response", "/v1/optimize/response"),
        ("prompts_decode", "/v1/prompts/decode"),
    ],
)
async def test_each_operation_hits_its_route(make: Any, operation: str, path: str) -> None:
    h = make(sequence(reply(200, ok_body(operation.replace("_", ".")))))
    await h.call(operation, {"data": "x", "ktof": "x"})
    assert h.requests[0].url.path == path


async def test_headers_key_user_agent_and_defaults(make: Any) -> None:
    h = make(sequence(reply(200, ok_body())), default_headers={"X-Team": "blue"})
    await h.call("compress", {"data": 1})
    headers = h.requests[0].headers
    assert headers["x-api-key"] == API_KEY
    assert "authorization" not in headers
    assert headers["x-team"] == "blue"
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("kaizen-client/0.2.0")


# ------------------------------------------------------------------------- retries
# The policy is openai-python's: backoff 0.5 * 2**n capped at 8 s, minus at most 25 % jitter
# (the harness's random() is 0.5, so each backoff is 0.875 of its base); retry-after-ms /
# retry-after honoured only when 0 < value <= 120 s; a longer ask is not retried at all.
JITTERED = 1 - 0.25 * 0.5


async def test_retries_503_then_succeeds(make: Any) -> None:
    h = make(sequence(reply(503, error_body(503, "unavailable")), reply(200, ok_body())))
    resp = await h.call("compress", {"data": 1})
    assert resp["result"] == "KTOF"
    assert len(h.requests) == 2
    assert h.sleeps == [0.5 * JITTERED]  # never a near-zero "full jitter" sleep


async def test_backoff_doubles_from_half_a_second_and_is_capped_at_8(make: Any) -> None:
    h = make(sequence(reply(500, error_body(500))), max_retries=6)
    with pytest.raises(KaizenServerError):
        await h.call("compress", {"data": 1})
    assert h.sleeps == [b * JITTERED for b in (0.5, 1.0, 2.0, 4.0, 8.0, 8.0)]
    assert len(h.requests) == 7


async def test_backoff_knobs_from_config(make: Any) -> None:
    h = make(
        sequence(reply(500, error_body(500))), max_retries=4, backoff_base=1.0, backoff_max=3.0
    )
    with pytest.raises(KaizenServerError):
        await h.call("compress", {"data": 1})
    assert h.sleeps == [b * JITTERED for b in (1.0, 2.0, 3.0, 3.0)]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"Retry-After": "120"}, 120.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # the precise one wins
        ({"Retry-After": "0"}, 0.5 * JITTERED),  # zero: our own backoff, not a hot loop
        ({"Retry-After": "-3"}, 0.5 * JITTERED),
        ({"Retry-After": "soon"}, 0.5 * JITTERED),
        ({"Retry-After": "nan"}, 0.5 * JITTERED),
    ],
    ids=["7s", "0.5s", "120s", "ms", "ms-wins", "zero", "negative", "garbage", "nan"],
)
async def test_429_retry_after_honoured_when_reasonable(
    make: Any, headers: dict[str, str], expected: float
) -> None:
    h = make(
        sequence(reply(429, error_body(429, "rate_limited"), **headers), reply(200, ok_body()))
    )
    await h.call("compress", {"data": 1})
    assert h.sleeps == [expected] and len(h.requests) == 2


@pytest.mark.parametrize("headers", [{"Retry-After": "3600"}, {"retry-after-ms": "120001"}])
async def test_429_asking_for_more_than_two_minutes_is_raised_at_once(
    make: Any, headers: dict[str, str]
) -> None:
    h = make(sequence(reply(429, error_body(429, "rate_limited"), **headers)))
    with pytest.raises(KaizenRateLimitError) as info:
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 1 and h.sleeps == []  # was: 60 s slept twice, then raised
    assert info.value.retry_after == pytest.approx(float(headers.get("Retry-After", 120.001)))
    assert info.value.code == "rate_limited"


async def test_503_asking_for_a_long_wait_is_raised_at_once_with_its_hint(make: Any) -> None:
    h = make(sequence(reply(503, error_body(503, "unavailable"), **{"Retry-After": "600"})))
    with pytest.raises(KaizenServerError) as info:
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 1 and h.sleeps == [] and info.value.retry_after == 600.0


async def test_retry_after_max_is_configurable(make: Any) -> None:
    h = make(sequence(reply(429, error_body(429), **{"Retry-After": "30"})), retry_after_max=10.0)
    with pytest.raises(KaizenRateLimitError):
        await h.call("compress", {"data": 1})
    assert h.sleeps == [] and len(h.requests) == 1


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(30, 30.0), (-30, 0.5 * JITTERED), (600, None)],
    ids=["future", "past", "too-far"],
)
async def test_retry_after_http_date(make: Any, offset: int, expected: float | None) -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + offset, usegmt=True)
    h = make(
        sequence(reply(429, error_body(429), **{"Retry-After": date}), reply(200, ok_body())),
        now=lambda: now,
    )
    if expected is None:
        with pytest.raises(KaizenRateLimitError) as info:
            await h.call("compress", {"data": 1})
        assert h.sleeps == [] and info.value.retry_after == 600.0
    else:
        await h.call("compress", {"data": 1})
        assert h.sleeps == [expected]


@pytest.mark.parametrize(
    ("status", "hint", "tries"), [(503, "false", 1), (400, "true", 2), (409, None, 2)]
)
async def test_x_should_retry_overrides_and_409_is_retried(
    make: Any, status: int, hint: str | None, tries: int
) -> None:
    headers = {"x-should-retry": hint} if hint else {}
    h = make(sequence(reply(status, error_body(status), **headers), reply(200, ok_body())))
    with contextlib.suppress(KaizenAPIError):
        await h.call("compress", {"data": 1})
    assert len(h.requests) == tries


async def test_408_is_retried(make: Any) -> None:
    h = make(sequence(reply(408, error_body(408)), reply(200, ok_body())))
    await h.call("compress", {"data": 1})
    assert len(h.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 422])
async def test_other_4xx_are_never_retried(make: Any, status: int) -> None:
    h = make(sequence(reply(status, error_body(status))))
    with pytest.raises(KaizenAPIError):
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 1 and h.sleeps == []


async def test_exhausted_retries_raise_the_status_class(make: Any) -> None:
    h = make(sequence(reply(429, error_body(429, "rate_limited"), **{"Retry-After": "2"})))
    with pytest.raises(KaizenRateLimitError) as info:
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 3  # max_retries default 2
    assert h.sleeps == [2.0, 2.0]
    assert info.value.retry_after == 2.0 and info.value.code == "rate_limited"


async def test_max_retries_zero_disables_retries(make: Any) -> None:
    h = make(sequence(reply(503, error_body(503))), max_retries=0)
    with pytest.raises(KaizenServerError):
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 1 and h.sleeps == []


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow")],
    ids=["connect-error", "read-timeout", "connect-timeout"],
)
async def test_transport_failures_retried_then_request_error(make: Any, exc: Exception) -> None:
    h = make(sequence(exc))
    with pytest.raises(KaizenRequestError) as info:
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 3 and len(h.sleeps) == 2
    err = info.value
    assert err.original is exc and err.__cause__ is exc
    assert isinstance(err, KaizenTimeoutError) is isinstance(exc, httpx.TimeoutException)
    assert "after 3 attempts" in err.message and BASE in str(err)
    assert err.request_id == h.requests[0].headers["x-request-id"]


async def test_transport_failure_then_success(make: Any) -> None:
    h = make(sequence(httpx.ReadTimeout("slow"), reply(200, ok_body())))
    assert (await h.call("compress", {"data": 1}))["result"] == "KTOF"
    assert len(h.requests) == 2


async def test_non_transient_transport_error_is_not_retried(make: Any) -> None:
    h = make(sequence(httpx.UnsupportedProtocol("nope")))
    with pytest.raises(KaizenRequestError) as info:
        await h.call("compress", {"data": 1})
    assert len(h.requests) == 1
    assert isinstance(info.value.original, httpx.UnsupportedProtocol)


# ------------------------------------------------------------------------- error mapping
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, KaizenValidationError),
        (422, KaizenValidationError),
        (401, KaizenAuthError),
        (403, KaizenAuthError),
        (404, KaizenNotFoundError),
        (410, KaizenNotFoundError),
        (413, KaizenPayloadTooLargeError),
        (429, KaizenRateLimitError),
        (500, KaizenServerError),
        (502, KaizenServerError),
        (503, KaizenServerError),
        (504, KaizenServerError),
        (409, KaizenAPIError),
        (418, KaizenAPIError),
    ],
)
async def test_status_maps_to_exception_class(make: Any, status: int, cls: type) -> None:
    body = error_body(status, "some_code", request_id="srv-rid", detail={"line": 3})
    h = make(sequence(reply(status, body)), max_retries=0)
    with pytest.raises(KaizenAPIError) as info:
        await h.call("compress", {"data": 1})
    err = info.value
    assert type(err) is cls
    assert err.status_code == status and err.code == "some_code"
    assert err.message == f"boom {status}" and err.detail == {"line": 3}
    assert err.payload == body and err.headers["content-type"] == "application/json"
    assert err.request_id == "srv-rid"
    if status in (404, 410):
        assert err.expired is (status == 410)
    if status == 429:
        assert err.retry_after is None


async def test_error_without_envelope_and_non_json_error_body(make: Any) -> None:
    h = make(sequence(reply(422, {"detail": [{"loc": ["body"], "msg": "bad"}]})), max_retries=0)
    with pytest.raises(KaizenValidationError) as info:
        await h.call("compress", {"data": 1})
    assert info.value.code is None and "bad" in info.value.message

    h = make(sequence(reply(502, "<html>Bad gateway</html>", **{"content-type": "text/html"})))
    with pytest.raises(KaizenServerError) as info2:
        await h.call("compress", {"data": 1})
    assert info2.value.payload == "<html>Bad gateway</html>"
    assert len(h.requests) == 3


async def test_malformed_json_success_body(make: Any) -> None:
    h = make(sequence(reply(200, "{not json", **{"content-type": "application/json"})))
    with pytest.raises(KaizenAPIError) as info:
        await h.call("compress", {"data": 1})
    err = info.value
    assert type(err) is KaizenAPIError and err.code == "malformed_response"
    assert err.status_code == 200 and "not valid JSON" in str(err) and "{not json" in str(err)
    assert err.payload == "{not json"
    assert err.request_id == h.requests[0].headers["x-request-id"]
    assert len(h.requests) == 1


async def test_response_of_unexpected_shape_is_kept_as_sent_and_logged(
    make: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Was: invalid_response. As openai-python: a well-formed object is never rejected.
    body = {"status": "done", "stats": {"original_bytes": 3}, "renamed_result": "KTOF", "n": 1}
    h = make(sequence(reply(200, body)))
    with caplog.at_level("DEBUG", logger="kaizen_client"):
        resp = await h.call("compress", {"data": 1})
    assert isinstance(resp, KaizenResponse)
    assert resp == body and resp.to_dict() == body  # equal to the plain dict it came from
    assert resp["renamed_result"] == "KTOF" and resp.get("n") == 1  # unknown fields kept
    assert resp.result is None and resp.operation is None  # missing fields are None
    assert "result" not in resp and resp.get("result", "absent") == "absent"
    assert resp.status == "done" and resp.stats == {"original_bytes": 3}  # kept as sent
    (record,) = [r for r in caplog.records if "does not match" in r.getMessage()]
    assert record.levelname == "DEBUG" and "KaizenResponse" in record.getMessage()
    assert "renamed_result" not in record.getMessage()  # locations only, never values


async def test_fields_that_fit_are_still_typed_when_others_do_not(make: Any) -> None:
    body = ok_body(status="later", token_stats={"gpt-4o": {"original": 9, "compressed": 4}})
    h = make(sequence(reply(200, body)))
    resp = await h.call("compress", {"data": 1})
    assert resp.status == "later" and resp.stats.reduction_ratio == 0.4
    assert resp.token_stats is not None and resp.token_stats["gpt-4o"].compressed == 4
    assert resp == body


@pytest.mark.parametrize("body", [[1, 2], "text", 3])
async def test_json_that_is_not_an_object_is_invalid_response(make: Any, body: Any) -> None:
    h = make(sequence(reply(200, content=json.dumps(body))))
    with pytest.raises(KaizenAPIError) as info:
        await h.call("compress", {"data": 1})
    assert info.value.code == "invalid_response" and "compress" in info.value.message
    assert info.value.__cause__ is None and info.value.__context__ is None


# ------------------------------------------------------------------------- request id
async def test_request_id_generated_sent_and_surfaced(make: Any) -> None:
    h = make(sequence(reply(200, ok_body())))
    resp = await h.call("compress", {"data": 1})
    rid = h.requests[0].headers["x-request-id"]
    assert len(rid) == 32 and int(rid, 16) >= 0
    assert resp.request_id == rid


async def test_request_id_per_call_and_from_default_headers(make: Any) -> None:
    h = make(sequence(reply(200, ok_body())), default_headers={"x-request-id": "fixed-id"})
    assert (await h.call("compress", {"data": 1})).request_id == "fixed-id"
    assert (await h.call("compress", {"data": 1}, request_id="mine")).request_id == "mine"
    assert [r.headers.get_list("x-request-id") for r in h.requests] == [["fixed-id"], ["mine"]]


async def test_request_id_is_stable_across_retries(make: Any) -> None:
    h = make(sequence(reply(503, error_body(503)), reply(200, ok_body())))
    await h.call("compress", {"data": 1})
    ids = {r.headers["x-request-id"] for r in h.requests}
    assert len(ids) == 1


async def test_request_id_on_errors_falls_back_to_ours(make: Any) -> None:
    h = make(sequence(reply(400, error_body(400))))
    with pytest.raises(KaizenValidationError) as info:
        await h.call("compress", {"data": 1}, request_id="abc")
    assert info.value.request_id == "abc" and "request_id=abc" in str(info.value)


async def test_server_request_id_wins_in_the_response(make: Any) -> None:
    h = make(sequence(reply(200, ok_body(), **{"X-Request-ID": "server-side"})))
    assert (await h.call("compress", {"data": 1})).request_id == "server-side"


# ------------------------------------------------------------------------- config -> httpx
async def test_split_timeouts_and_limits_applied(kind: str) -> None:
    from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient

    config = KaizenClientConfig(
        base_url=BASE,
        api_key=API_KEY,
        timeout=9.0,
        connect_timeout=1.0,
        read_timeout=2.0,
        pool_timeout=4.0,
        max_connections=7,
        max_keepalive_connections=3,
    )
    client = KaizenSyncClient(config) if kind == "sync" else KaizenClient(config)
    try:
        timeout = client._client.timeout
        assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (1.0, 2.0, 9.0, 4.0)
        pool = client._client._transport._pool  # type: ignore[union-attr]
        assert pool._max_connections == 7 and pool._max_keepalive_connections == 3
        request = client._build_request("compress", {"data": 1}, "rid")
        assert request.extensions["timeout"] == {
            "connect": 1.0,
            "read": 2.0,
            "write": 9.0,
            "pool": 4.0,
        }
    finally:
        result = client.close()
        if result is not None:
            await result


async def test_caller_supplied_httpx_client_is_used_and_not_closed(kind: str) -> None:
    from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient

    transport = httpx.MockTransport(lambda r: reply(200, ok_body()))
    config = KaizenClientConfig(base_url=BASE, api_key=API_KEY)
    if kind == "sync":
        raw = httpx.Client(transport=transport)
        with KaizenSyncClient(config, client=raw) as client:
            client.compress({"data": 1})
        assert not raw.is_closed
        raw.close()
    else:
        araw = httpx.AsyncClient(transport=transport)
        async with KaizenClient(config, client=araw) as aclient:
            await aclient.compress({"data": 1})
        assert not araw.is_closed
        await araw.aclose()


async def test_payload_that_cannot_be_json_fails_before_any_io(make: Any) -> None:
    h = make(sequence(reply(200, ok_body())))
    with pytest.raises(TypeError, match="request model or a mapping"):
        await h.call("compress", ["not", "a", "mapping"])
    with pytest.raises(ValueError):
        await h.call("compress", {"data": float("nan")})
    assert h.requests == []
