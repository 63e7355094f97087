"""API keys: both header styles, a structured 401, open mode with a start-up warning."""

from __future__ import annotations

import logging

import httpx
import pytest

from kaizen_client.server import ServerSettings, create_app
from kaizen_client.server.auth import Authenticator, fingerprint, presented_key

from .conftest import KEY, OTHER_KEY, AppClient, auth

BODY = {"data": {"a": 1}}


@pytest.mark.parametrize(
    "headers",
    [
        {"x-api-key": KEY},
        {"X-API-Key": OTHER_KEY},
        {"Authorization": f"Bearer {KEY}"},
        {"authorization": f"bearer {OTHER_KEY}"},
    ],
)
async def test_either_header_style_is_accepted(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post("/v1/compress", json=BODY, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["operation"] == "compress"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-api-key": "sk-wrong-key-000"},
        {"Authorization": "Bearer sk-wrong-key-000"},
        {"Authorization": f"Basic {KEY}"},
        {"Authorization": "Bearer"},
        {"x-api-key": KEY[:-1]},
    ],
)
async def test_missing_or_wrong_key_is_a_structured_401(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/compress", json=BODY, headers={**headers, "x-request-id": "rid-401"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "missing or invalid API key "
            "(send it in the API key header or as a Bearer-scheme token)",
            "request_id": "rid-401",
            "detail": None,
        }
    }
    assert "sk-" not in response.text


async def test_unknown_paths_need_a_key_too(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v2/secret")).status_code == 401
    response = await client.get("/v2/secret", headers=auth())
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_health_needs_no_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.json()["mode"] == "server"


async def test_no_keys_configured_means_open_with_a_warning(
    make_client: AppClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kaizen_client.server"):
        client = make_client(api_keys=frozenset())
    assert any("KAIZEN_API_KEYS is not set" in r.getMessage() for r in caplog.records)
    response = await client.post("/v1/compress", json=BODY)
    assert response.status_code == 200


def test_keys_configured_means_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kaizen_client.server"):
        create_app(ServerSettings(api_keys=frozenset({KEY})))
    assert not caplog.records


def test_principal_is_a_fingerprint_not_the_key() -> None:
    authenticator = Authenticator([KEY])
    principal = authenticator.principal({"x-api-key": KEY})
    assert principal == fingerprint(KEY) and KEY not in principal
    assert authenticator.principal({"x-api-key": OTHER_KEY}) is None
    assert KEY not in repr(authenticator)


def test_presented_key_prefers_x_api_key() -> None:
    assert presented_key({"x-api-key": " a ", "authorization": "Bearer b"}) == "a"
    assert presented_key({"authorization": "Bearer   b  "}) == "b"
    assert presented_key({"authorization": "Token b"}) is None
