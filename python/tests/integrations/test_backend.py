"""kaizen_client.integrations.backend: the one local/remote backend pair every integration uses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient
from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import (
    LocalBackend,
    RemoteBackend,
    Savings,
    client_settings,
    describe_error,
    is_remote,
    make_backend,
    secret_value,
)
from kaizen_client.ktof import decode

ROWS = [{"id": i, "sku": f"SKU-{i:04d}", "qty": i % 7, "price": i * 1.25} for i in range(40)]
CHAT = [
    {"role": "system", "content": "You are terse."},
    {"role": "tool", "tool_call_id": "call_1", "content": json.dumps(ROWS, indent=2)},
]


def _check(out: list[dict[str, object]], savings: Savings) -> None:
    assert out[0] == CHAT[0]
    assert out[1]["tool_call_id"] == "call_1"
    assert decode(str(out[1]["content"])) == ROWS
    assert savings.tokens_saved == savings.tokens_before - savings.tokens_after > 0
    assert savings.fragments_compressed == 1
    assert savings.report is not None
    assert savings.to_dict()["tokens_saved"] == savings.tokens_saved
    assert json.loads(json.dumps(savings.to_dict())) == savings.to_dict()


def test_local_backend() -> None:
    out, savings = LocalBackend("gpt-4o", CompressionOptions()).compress(CHAT)
    assert savings.backend == "local"
    _check(out, savings)


@pytest.mark.parametrize("offload", [False, True])
async def test_local_backend_async(offload: bool) -> None:
    out, savings = await LocalBackend("gpt-4o", CompressionOptions(), offload=offload).acompress(
        CHAT
    )
    _check(out, savings)


def test_remote_backend_gives_the_local_result() -> None:
    # A client in local mode speaks the real request/response path in-process.
    client = KaizenSyncClient(KaizenClientConfig(base_url="local"))
    remote = RemoteBackend({"model": "gpt-4o"}, sync_client=client)
    out, savings = remote.compress(CHAT)
    assert savings.backend == "remote"
    _check(out, savings)
    local_out, local_savings = LocalBackend("gpt-4o", CompressionOptions()).compress(CHAT)
    assert out == local_out
    assert savings.to_dict() == {**local_savings.to_dict(), "backend": "remote"}


async def test_remote_backend_async_and_derived_clients() -> None:
    async with KaizenClient(KaizenClientConfig(base_url="local")) as client:
        out, savings = await RemoteBackend({}, async_client=client).acompress(CHAT)
    _check(out, savings)
    with KaizenSyncClient(KaizenClientConfig(base_url="local")) as sync_client:
        out, savings = await RemoteBackend({}, sync_client=sync_client).acompress(CHAT)
    _check(out, savings)


def test_remote_backend_needs_a_client() -> None:
    with pytest.raises(ValueError, match="needs a client"):
        RemoteBackend({})


@pytest.mark.parametrize(
    ("settings", "remote"),
    [
        ({}, False),
        ({"base_url": "local"}, False),
        ({"base_url": " LOCAL "}, False),
        ({"base_url": "local", "api_key": "k"}, False),
        ({"api_key": "k"}, True),  # a key alone means the hosted API
        ({"base_url": "http://127.0.0.1:9"}, True),
        ({"client": KaizenSyncClient(KaizenClientConfig(base_url="local"))}, False),
        ({"client": KaizenSyncClient(KaizenClientConfig(base_url="http://127.0.0.1:9"))}, True),
    ],
)
def test_make_backend_chooses_by_settings_only(
    settings: dict[str, Any], remote: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Integrations are local unless their own settings say otherwise (env is not read)."""
    monkeypatch.setenv("KAIZEN_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("KAIZEN_API_KEY", "env-key")
    options = CompressionOptions(preserve_prefix=2, respect_cache_control=False, mode="toon")
    backend = make_backend("gpt-4", options, offload=True, **settings)
    client = settings.get("client")
    assert is_remote(client, settings.get("base_url"), settings.get("api_key")) is remote
    if not remote:
        assert backend == LocalBackend("gpt-4", options, offload=True)
        return
    assert isinstance(backend, RemoteBackend)
    assert backend._payload([])["options"] == {  # the server runs what the engine would
        "model": "gpt-4",
        "min_tokens_saved": options.min_tokens_saved,
        "min_percent_saved": options.min_percent_saved,
        "mode": "toon",
        "preserve_prefix": 2,
        "respect_cache_control": False,
    }


async def test_make_backend_keeps_an_async_client_for_async_calls() -> None:
    async with KaizenClient(KaizenClientConfig(base_url="http://127.0.0.1:9")) as client:
        backend = make_backend("gpt-4o", CompressionOptions(), client=client)
        assert isinstance(backend, RemoteBackend) and backend._async is client


def test_make_backend_takes_the_key_as_a_pydantic_secret() -> None:
    """Integrations hold the key as ``SecretStr``; it reaches the client as plain text."""
    backend = make_backend("gpt-4o", CompressionOptions(), api_key=SecretStr("sk-secret-123"))
    assert is_remote(None, None, SecretStr("sk-secret-123"))
    assert isinstance(backend, RemoteBackend)
    assert backend._sync.config.api_key == "sk-secret-123"
    assert secret_value(SecretStr("x")) == secret_value("x") == "x" and secret_value(None) is None


def test_describe_error_masks_every_known_secret() -> None:
    """The one line each integration logs on fallback names the failure and no key."""
    exc = ConnectionError("POST with key sk-live-123456 and sk-other-999 refused")
    line = describe_error(exc, ["sk-live-123456", None, "sk-other-999", "ab"])
    assert line == "ConnectionError: POST with key *** and *** refused"
    assert describe_error(ValueError("ab" * 600), ["ab"]).startswith("ValueError: abab")
    assert len(describe_error(ValueError("x" * 600), [])) == 500


def test_client_settings_fill_only_what_the_integration_left_unset() -> None:
    client = KaizenSyncClient(KaizenClientConfig(base_url="http://kaizen.test", api_key="sk-c-1"))
    url, key = client_settings(client, None, None)
    assert url == "http://kaizen.test" and key is not None
    assert key.get_secret_value() == "sk-c-1"
    url, key = client_settings(client, "http://own.test", SecretStr("sk-own-2"))
    assert url == "http://own.test" and key is not None and key.get_secret_value() == "sk-own-2"
    keyless = KaizenSyncClient(KaizenClientConfig(base_url="http://kaizen.test"))
    assert client_settings(keyless, None, None) == ("http://kaizen.test", None)
