"""API keys: both header styles, a structured 401, open mode with a start-up warning."""

from __future__ import annotations

import logging

import httpx
import pytest

from kaizen_client.server import RateLimit, ServerSettings, create_app
from kaizen_client.server.auth import Authenticator, fingerprint, presented_key

from .conftest import KEY, OTHER_KEY, AppClient, FakeClock, auth

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


async def test_open_only_when_asked_and_then_with_a_loud_warning(
    make_client: AppClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kaizen_client.server"):
        client = make_client(api_keys=frozenset(), allow_anonymous=True)
    assert any("ANONYMOUS MODE" in r.getMessage() for r in caplog.records)
    response = await client.post("/v1/compress", json=BODY)
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["", " , ", ",,", "   "])
def test_keys_variable_without_a_key_refuses_to_start(value: str) -> None:
    """Finding 5: ``KAIZEN_API_KEYS=" , "`` used to run the server open, saying "not set"."""
    with pytest.raises(ValueError, match="KAIZEN_API_KEYS holds no key"):
        ServerSettings.from_env({"KAIZEN_API_KEYS": value})
    with pytest.raises(ValueError, match="KAIZEN_ALLOW_ANONYMOUS"):
        ServerSettings.from_env({})
    open_server = ServerSettings.from_env({"KAIZEN_API_KEYS": value, "KAIZEN_ALLOW_ANONYMOUS": "1"})
    assert not open_server.auth_enabled


async def test_failed_attempts_are_limited_per_client_address(
    make_client: AppClient, clock: FakeClock
) -> None:
    """Finding 5: 300 guesses in 0.6 s went through; now 10 per minute, then 429 for all."""
    client = make_client(auth_failure_limit=RateLimit(10, 60.0))
    statuses = [
        (
            await client.post("/v1/compress", json=BODY, headers=auth(f"sk-guess-{i:04d}"))
        ).status_code
        for i in range(12)
    ]
    assert statuses == [401] * 10 + [429] * 2
    # Once limited, even the right key is refused: a guess cannot be told right from wrong.
    limited = await client.post("/v1/compress", json=BODY, headers=auth())
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "6"
    assert limited.json()["error"]["code"] == "too_many_auth_failures"
    clock.advance(6)
    assert (await client.post("/v1/compress", json=BODY, headers=auth())).status_code == 200


async def test_successful_requests_do_not_use_up_the_failure_budget(
    make_client: AppClient,
) -> None:
    client = make_client(auth_failure_limit=RateLimit(2, 60.0))
    for _ in range(20):
        assert (await client.post("/v1/compress", json=BODY, headers=auth())).status_code == 200


async def test_a_non_ascii_key_sent_as_utf8_matches() -> None:
    """Finding 5: a key with non-ASCII characters never matched (headers are latin-1 text)."""
    key = "sk-clé-ünïcode-0123456789"
    app = create_app(ServerSettings(api_keys=frozenset({key})))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kaizen.test") as client:
        ok = await client.post(
            "/v1/compress", json=BODY, headers=[(b"x-api-key", key.encode("utf-8"))]
        )
        assert ok.status_code == 200, ok.text
        wrong = await client.post(
            "/v1/compress", json=BODY, headers=[(b"x-api-key", key.encode("latin-1", "replace"))]
        )
        assert wrong.status_code == 401


def test_keys_are_compared_as_sha256_digests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every comparison is between two 32-byte digests, whatever the keys' lengths."""
    import kaizen_client.server.auth as auth_module

    seen: list[tuple[int, int]] = []
    real = auth_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(auth_module.hmac, "compare_digest", spy)
    authenticator = Authenticator([KEY, "short-k", "x" * 500])
    assert authenticator.principal({"x-api-key": "y"}) is None
    assert authenticator.principal({"x-api-key": KEY}) == fingerprint(KEY)
    assert seen and set(seen) == {(32, 32)}


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
