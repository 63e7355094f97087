"""Settings come from KAIZEN_* variables, fail loudly when malformed, and never print keys."""

from __future__ import annotations

import re

import pytest

import kaizen_client.server.settings as settings_module
from kaizen_client.server import RateLimit, ServerSettings


def test_defaults() -> None:
    settings = ServerSettings.from_env({"KAIZEN_ALLOW_ANONYMOUS": "1"})
    assert settings.api_keys == frozenset() and not settings.auth_enabled
    assert settings.allow_anonymous and settings.redis_url is None
    assert settings.auth_failure_limit == RateLimit(10, 60.0)
    assert settings.payload_max_entries == 100_000
    assert (settings.header_timeout, settings.body_timeout) == (10.0, 30.0)
    assert (settings.keep_alive_timeout, settings.shutdown_timeout) == (15.0, 20.0)
    assert (settings.max_concurrency, settings.max_connections) == (64, 1000)
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.rate_limit is None
    assert settings.payload_ttl == 3600.0
    assert settings.fail_first == frozenset()


def test_everything_from_env() -> None:
    settings = ServerSettings.from_env(
        {
            "KAIZEN_API_KEYS": " sk-one-1111 ,sk-two-2222,, ",
            "KAIZEN_MAX_BODY_BYTES": "1024",
            "KAIZEN_RATE_LIMIT": "120/60",
            "KAIZEN_PAYLOAD_TTL": "30",
            "KAIZEN_PAYLOAD_MAX_BYTES": "4096",
            "KAIZEN_TEST_FAIL_FIRST": "/v1/compress",
            "KAIZEN_AUTH_FAILURE_LIMIT": "off",
            "KAIZEN_PAYLOAD_MAX_ENTRIES": "50",
            "KAIZEN_REDIS_URL": "redis://:s3cret-pw@127.0.0.1:6390/0",
            "KAIZEN_HEADER_TIMEOUT": "2",
            "KAIZEN_BODY_TIMEOUT": "3",
            "KAIZEN_KEEP_ALIVE_TIMEOUT": "4",
            "KAIZEN_SHUTDOWN_TIMEOUT": "5",
            "KAIZEN_MAX_CONCURRENCY": "6",
            "KAIZEN_MAX_CONNECTIONS": "7",
        }
    )
    assert settings.auth_failure_limit is None and settings.payload_max_entries == 50
    assert settings.redis_url == "redis://:s3cret-pw@127.0.0.1:6390/0"
    assert "s3cret" not in repr(settings)
    assert (settings.header_timeout, settings.body_timeout) == (2.0, 3.0)
    assert (settings.keep_alive_timeout, settings.shutdown_timeout) == (4.0, 5.0)
    assert (settings.max_concurrency, settings.max_connections) == (6, 7)
    assert settings.api_keys == frozenset({"sk-one-1111", "sk-two-2222"})
    assert settings.max_body_bytes == 1024
    assert settings.rate_limit == RateLimit(120, 60.0)
    assert settings.payload_ttl == 30.0 and settings.payload_max_bytes == 4096
    assert settings.fail_first == frozenset({"/v1/compress"})
    assert "sk-" not in repr(settings) and "sk-" not in str(settings)
    assert "2 key(s)" in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KAIZEN_MAX_BODY_BYTES", "2MB"),
        ("KAIZEN_MAX_BODY_BYTES", "0"),
        ("KAIZEN_PAYLOAD_TTL", "soon"),
        ("KAIZEN_PAYLOAD_TTL", "-1"),
        ("KAIZEN_PAYLOAD_TTL", "inf"),
        ("KAIZEN_PAYLOAD_TTL", "nan"),
        ("KAIZEN_MAX_BODY_BYTES", "999999999999"),
        ("KAIZEN_PAYLOAD_MAX_ENTRIES", "0"),
        ("KAIZEN_HEADER_TIMEOUT", "0"),
        ("KAIZEN_BODY_TIMEOUT", "1e9"),
        ("KAIZEN_MAX_CONCURRENCY", "0"),
        ("KAIZEN_MAX_CONNECTIONS", "-5"),
        ("KAIZEN_SHUTDOWN_TIMEOUT", "9999"),
        ("KAIZEN_AUTH_FAILURE_LIMIT", "ten"),
        ("KAIZEN_REDIS_URL", "http://127.0.0.1:6379"),
    ],
)
def test_bad_values_raise(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        ServerSettings.from_env({"KAIZEN_API_KEYS": "sk-one-1111", name: value})


def test_every_variable_is_documented() -> None:
    """The table in docs/server.md lists every variable settings read, with its bounds."""
    from pathlib import Path

    from kaizen_client.server.settings import VARIABLES

    doc = (Path(__file__).resolve().parents[3] / "docs" / "server.md").read_text("utf-8")
    source = Path(settings_module.__file__).read_text("utf-8")
    read = set(re.findall(r'"(KAIZEN_[A-Z_]+)"', source))
    assert read == {v.name for v in VARIABLES}
    for variable in VARIABLES:
        assert f"`{variable.name}`" in doc, variable.name
        assert variable.bounds in doc, variable.name
