"""The API key never shows up in logs, reprs or exception text; logs say what happened."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import httpx
import pytest

from kaizen_client import KaizenAPIError, KaizenClientConfig, KaizenRequestError

from .conftest import API_KEY, error_body, ok_body


def _everything_printable(obj: Any) -> str:
    return f"{obj!s}\n{obj!r}"


async def test_key_absent_from_debug_logs(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # root: also captures httpx / httpcore debug output
    responses = iter(
        [httpx.Response(503, json=error_body(503)), httpx.Response(200, json=ok_body())]
    )
    h = make(lambda r: next(responses), default_headers={"Authorization": f"Bearer {API_KEY}"})
    await h.call("compress", {"data": 1})
    assert h.requests[0].headers["authorization"] == f"Bearer {API_KEY}"  # it was sent...
    assert API_KEY not in caplog.text  # ...but never logged
    assert "kaizen request POST /v1/compress" in caplog.text


async def test_one_debug_line_per_request_and_response(
    make: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kaizen_client")
    h = make(lambda r: httpx.Response(200, json=ok_body()))
    resp = await h.call("compress", {"data": 1})
    records = [r for r in caplog.records if r.name == "kaizen_client"]
    assert [r.levelno for r in records] == [logging.DEBUG, logging.DEBUG]
    request_line, response_line = (r.getMessage() for r in records)
    assert request_line.startswith("kaizen request POST /v1/compress")
    assert f"request_id={resp.request_id}" in request_line and "mode=remote" in request_line
    assert response_line.startswith("kaizen response POST /v1/compress status=200 ms=")
    assert f"request_id={resp.request_id}" in response_line and "mode=remote" in response_line


async def test_key_absent_from_exceptions(make: Any) -> None:
    # A server that echoes the key back in its error message.
    body = error_body(401, "unauthorized")
    body["error"]["message"] = f"key {API_KEY} is revoked"
    h = make(
        lambda r: httpx.Response(401, json=body, headers={"x-api-key": API_KEY}),
        default_headers={"Authorization": f"Bearer {API_KEY}"},
    )
    with pytest.raises(KaizenAPIError) as info:
        await h.call("compress", {"data": 1})
    err = info.value
    assert API_KEY not in _everything_printable(err)
    assert "***" in err.message
    assert API_KEY not in repr(err.payload) and err.payload["error"]["code"] == "unauthorized"
    assert err.headers["x-api-key"] == "***" and err.headers["content-type"] == "application/json"

    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot connect with {API_KEY}", request=request)

    h2 = make(boom, max_retries=0)
    with pytest.raises(KaizenRequestError) as info2:
        await h2.call("compress", {"data": 1})
    assert API_KEY not in _everything_printable(info2.value)


async def test_key_absent_from_config_and_client_repr(make: Any) -> None:
    config = KaizenClientConfig(
        base_url="https://api.test.example",
        api_key=API_KEY,
        default_headers={"x-api-key": API_KEY, "Authorization": f"Bearer {API_KEY}", "X-A": "b"},
    )
    assert API_KEY not in repr(config) and API_KEY not in str(config)
    assert "mode='remote'" in repr(config) and "'X-A': 'b'" in repr(config)
    h = make(lambda r: httpx.Response(200, json=ok_body()))
    assert API_KEY not in repr(h.client)
    assert "mode='remote'" in repr(h.client) and "api_key='***'" in repr(h.client)


def test_errors_pickle_round_trip() -> None:
    err = KaizenAPIError(500, error_body(500, request_id="r1"), {"a": "b"})
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is KaizenAPIError and again.request_id == "r1" and again.status_code == 500
    rerr = KaizenRequestError("down", None, request_id="r2")
    again2 = pickle.loads(pickle.dumps(rerr))
    assert again2.message == "down" and again2.request_id == "r2"
