"""Request ids, structured 500s without stack traces, fault injection, and a key-free access log."""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import httpx
import pytest

from kaizen_client.server.gateway import Gateway
from kaizen_client.service import operations

from .conftest import KEY, OTHER_KEY, AppClient, auth


async def test_incoming_request_id_is_echoed_in_header_and_body(
    client: httpx.AsyncClient,
) -> None:
    headers = {**auth(), "X-Request-ID": "req-42.a:b"}
    ok = await client.post("/v1/compress", json={"data": [1]}, headers=headers)
    assert ok.headers["x-request-id"] == "req-42.a:b"
    assert ok.json()["request_id"] == "req-42.a:b"
    bad = await client.post("/v1/compress", json={}, headers=headers)
    assert bad.headers["x-request-id"] == "req-42.a:b"
    assert bad.json()["error"]["request_id"] == "req-42.a:b"


async def test_missing_or_unsafe_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    generated = await client.get("/")
    assert len(generated.headers["x-request-id"]) == 32
    assert generated.json()["request_id"] == generated.headers["x-request-id"]
    unsafe = await client.get("/", headers={"X-Request-ID": "a b\tc" + "x" * 200})
    assert unsafe.headers["x-request-id"] != "a b\tc" + "x" * 200
    assert unsafe.json()["request_id"] == unsafe.headers["x-request-id"]


async def test_engine_failure_is_a_structured_500_without_stack_trace(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("secret internals at line 12")

    monkeypatch.setitem(operations.OPERATIONS, "compress", explode)
    response = await client.post(
        "/v1/compress", json={"data": 1}, headers={**auth(), "x-request-id": "r500"}
    )
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "internal error",
            "request_id": "r500",
            "detail": None,
        }
    }


async def test_server_failure_outside_the_engine_is_a_structured_500(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Gateway, "_finish", explode)
    response = await client.post(
        "/v1/compress", json={"data": 1}, headers={**auth(), "x-request-id": "r500b"}
    )
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "r500b"
    assert response.json()["error"] == {
        "code": "internal_error",
        "message": "internal error",
        "request_id": "r500b",
        "detail": None,
    }
    assert "Traceback" not in response.text and "secret" not in response.text


async def test_fault_injection_fails_only_the_first_request(make_client: AppClient) -> None:
    client = make_client(fail_first=frozenset({"/v1/compress"}))
    first = await client.post("/v1/compress", json={"data": 1}, headers=auth())
    assert first.status_code == 503
    assert first.json()["error"]["code"] == "unavailable"
    assert (await client.post("/v1/compress", json={"data": 1}, headers=auth())).is_success
    assert (await client.post("/v1/optimize", json={"data": 1}, headers=auth())).is_success


async def test_access_log_has_one_line_per_request_and_no_keys(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setitem(operations.OPERATIONS, "optimize", explode)
    caplog.set_level(logging.DEBUG, logger="kaizen_client")
    await client.post("/v1/compress", json={"data": 1}, headers=auth())
    await client.post(
        "/v1/compress", json={"data": 1}, headers={"Authorization": f"Bearer {OTHER_KEY}"}
    )
    await client.post(
        f"/v1/compress?api_key={KEY}", json={"data": 1}, headers={"x-api-key": "sk-bad-guess-1"}
    )
    await client.post("/v1/optimize", json={"data": 1}, headers=auth())
    access = [r for r in caplog.records if r.name == "kaizen_client.server.access"]
    assert len(access) == 4
    lines = [r.getMessage() for r in access]
    assert lines[0].startswith("POST /v1/compress 200 ") and "principal=key:" in lines[0]
    assert lines[2].startswith("POST /v1/compress 401 ") and "principal=-" in lines[2]
    assert lines[3].startswith("POST /v1/optimize 500 ")
    everything = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    for secret in (KEY, OTHER_KEY, "sk-bad-guess-1", "api_key"):
        assert secret not in everything


async def test_wrong_method_is_the_engines_405_with_an_allow_header(
    client: httpx.AsyncClient,
) -> None:
    for method in ("GET", "PUT", "TRACE", "BREW"):
        response = await client.request(method, "/v1/compress", headers=auth())
        assert response.status_code == 405, method
        assert response.headers["allow"] == "POST"
        assert response.json()["error"]["detail"] == {"allowed": ["POST"]}
    root = await client.post("/")
    assert root.status_code == 405 and root.headers["allow"] == "GET"
