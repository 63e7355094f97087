"""Config: mode resolution from arguments and environment, timeouts, TLS, repr."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient
from kaizen_client.config import DEFAULT_BASE_URL

ENV = ("KAIZEN_BASE_URL", "KAIZEN_API_KEY", "KAIZEN_TIMEOUT")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("env", "kwargs", "mode", "base_url"),
    [
        ({}, {}, "local", "local"),
        ({"KAIZEN_API_KEY": "k"}, {}, "remote", DEFAULT_BASE_URL),
        ({}, {"api_key": "k"}, "remote", DEFAULT_BASE_URL),
        ({"KAIZEN_BASE_URL": "https://x.test/"}, {}, "remote", "https://x.test/"),
        ({"KAIZEN_BASE_URL": "local", "KAIZEN_API_KEY": "k"}, {}, "local", "local"),
        ({"KAIZEN_BASE_URL": "LOCAL"}, {}, "local", "local"),
        ({"KAIZEN_API_KEY": "k"}, {"base_url": "local"}, "local", "local"),
        ({"KAIZEN_BASE_URL": "https://x.test"}, {"base_url": " Local "}, "local", "local"),
        ({"KAIZEN_BASE_URL": "local"}, {"base_url": "https://y.test"}, "remote", "https://y.test"),
        # the 0.1.4 README snippet's call shape
        (
            {"KAIZEN_BASE_URL": "local", "KAIZEN_API_KEY": "k"},
            {"api_key": "k", "base_url": "local"},
            "local",
            "local",
        ),
    ],
)
def test_mode_resolution(
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    kwargs: dict[str, str],
    mode: str,
    base_url: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = KaizenClientConfig(**kwargs)  # type: ignore[arg-type]
    assert config.mode == mode and config.base_url == base_url
    assert f"mode={mode!r}" in repr(config)


def test_env_is_read_when_config_is_created_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    assert KaizenClientConfig().api_key is None
    monkeypatch.setenv("KAIZEN_API_KEY", "later")
    monkeypatch.setenv("KAIZEN_TIMEOUT", "12.5")
    config = KaizenClientConfig()
    assert config.api_key == "later" and config.timeout == 12.5 and config.mode == "remote"


def test_bad_timeout_env_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAIZEN_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="KAIZEN_TIMEOUT"):
        KaizenClientConfig()


def test_014_positional_and_keyword_construction() -> None:
    config = KaizenClientConfig("https://x.test/", "key", 5.0, False, {"X-A": "1"})
    assert (config.base_url, config.api_key, config.timeout, config.verify_ssl) == (
        "https://x.test/",
        "key",
        5.0,
        False,
    )
    assert config.default_headers == {"X-A": "1"} and config.max_retries == 2
    assert config.endpoint == "https://x.test"


def test_timeout_float_still_sets_every_phase() -> None:
    t = KaizenClientConfig(base_url="https://x.test", timeout=7.0).httpx_timeout()
    assert (t.connect, t.read, t.write, t.pool) == (7.0, 7.0, 7.0, 7.0)


def test_verify_accepts_bool_or_ca_path(tmp_path: Path) -> None:
    import certifi

    assert KaizenClientConfig(base_url="https://x.test").httpx_verify() is True
    assert KaizenClientConfig(base_url="https://x.test", verify_ssl=False).httpx_verify() is False
    by_path = KaizenClientConfig(base_url="https://x.test", verify_ssl=certifi.where())
    assert isinstance(by_path.httpx_verify(), ssl.SSLContext)
    by_bundle = KaizenClientConfig(base_url="https://x.test", ca_bundle=certifi.where())
    assert isinstance(by_bundle.httpx_verify(), ssl.SSLContext)


def test_negative_retries_rejected() -> None:
    with pytest.raises(ValueError):
        KaizenClientConfig(max_retries=-1)


async def test_client_repr_names_the_mode() -> None:
    sync = KaizenSyncClient(KaizenClientConfig())
    assert repr(sync) == "KaizenSyncClient(mode='local', base_url='local', api_key=None)"
    sync.close()
    async with KaizenClient(KaizenClientConfig(api_key="s3cr3t-key")) as client:
        assert client.mode == "remote"
        assert repr(client) == (
            f"KaizenClient(mode='remote', base_url={DEFAULT_BASE_URL!r}, api_key='***')"
        )


def test_proxy_is_passed_to_httpx() -> None:
    config = KaizenClientConfig(base_url="https://x.test", proxy="http://proxy.test:3128")
    client = KaizenSyncClient(config)
    try:
        (transport,) = client._client._mounts.values()
        proxy_url = transport._pool._proxy_url  # type: ignore[union-attr]
        assert proxy_url.host == b"proxy.test" and proxy_url.port == 3128
    finally:
        client.close()
