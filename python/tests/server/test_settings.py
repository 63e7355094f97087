"""Settings come from KAIZEN_* variables, fail loudly when malformed, and never print keys."""

from __future__ import annotations

import pytest

from kaizen_client.server import RateLimit, ServerSettings


def test_defaults() -> None:
    settings = ServerSettings.from_env({})
    assert settings.api_keys == frozenset() and not settings.auth_enabled
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
        }
    )
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
    ],
)
def test_bad_values_raise(name: str, value: str) -> None:
    with pytest.raises(ValueError):
        ServerSettings.from_env({name: value})
