"""Server settings, read once from the environment so a deployment is configured in one place.

=============================  ===========  =================================================
variable                       default      meaning
=============================  ===========  =================================================
``KAIZEN_API_KEYS``            (none)       comma-separated keys; none configured = open
``KAIZEN_MAX_BODY_BYTES``      ``2097152``  larger request bodies answer 413
``KAIZEN_RATE_LIMIT``          (off)        ``N/SECONDS``: token bucket of N per key
``KAIZEN_PAYLOAD_TTL``         ``3600``     seconds a stored prompt lives; 0 = no storage
``KAIZEN_PAYLOAD_MAX_BYTES``   ``67108864`` memory budget of the in-memory payload store
``KAIZEN_TEST_FAIL_FIRST``     (none)       test only: paths whose first request answers 503
=============================  ===========  =================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_PAYLOAD_TTL = 3600.0
DEFAULT_PAYLOAD_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``requests`` per ``per_seconds`` per key; also the burst size (bucket capacity)."""

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per_seconds <= 0:
            raise ValueError("a rate limit needs requests >= 1 and per_seconds > 0")

    @classmethod
    def parse(cls, text: str) -> RateLimit | None:
        """``"120/60"`` -> 120 requests per 60 s; ``""``, ``"0"`` or ``"off"`` -> no limit."""
        text = text.strip().lower()
        if text in ("", "0", "off", "none"):
            return None
        count, sep, seconds = text.partition("/")
        try:
            return cls(int(count), float(seconds) if sep else 1.0)
        except ValueError:
            raise ValueError(
                f"KAIZEN_RATE_LIMIT must look like N/SECONDS (e.g. 120/60), got {text!r}"
            ) from None


@dataclass(frozen=True, slots=True, repr=False)
class ServerSettings:
    """Everything the app factory needs; ``repr`` counts the keys and never shows them."""

    api_keys: frozenset[str] = frozenset()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    rate_limit: RateLimit | None = None
    payload_ttl: float = DEFAULT_PAYLOAD_TTL
    payload_max_bytes: int = DEFAULT_PAYLOAD_MAX_BYTES
    #: Test-only fault injection: the first request to each of these paths answers 503.
    fail_first: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be >= 1")
        if self.payload_ttl < 0 or self.payload_max_bytes < 0:
            raise ValueError("payload_ttl and payload_max_bytes must be >= 0")

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        """Settings from ``env`` (default ``os.environ``); bad values raise ``ValueError``."""
        env = os.environ if env is None else env
        return cls(
            api_keys=_split(env.get("KAIZEN_API_KEYS", "")),
            max_body_bytes=_int(env, "KAIZEN_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            rate_limit=RateLimit.parse(env.get("KAIZEN_RATE_LIMIT", "")),
            payload_ttl=_float(env, "KAIZEN_PAYLOAD_TTL", DEFAULT_PAYLOAD_TTL),
            payload_max_bytes=_int(env, "KAIZEN_PAYLOAD_MAX_BYTES", DEFAULT_PAYLOAD_MAX_BYTES),
            fail_first=_split(env.get("KAIZEN_TEST_FAIL_FIRST", "")),
        )

    def __repr__(self) -> str:
        return (
            f"ServerSettings(api_keys=<{len(self.api_keys)} key(s)>, "
            f"max_body_bytes={self.max_body_bytes}, rate_limit={self.rate_limit}, "
            f"payload_ttl={self.payload_ttl}, payload_max_bytes={self.payload_max_bytes}, "
            f"fail_first={sorted(self.fail_first)})"
        )

    __str__ = __repr__


def _split(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
