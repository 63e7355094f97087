"""Server settings, read once from the environment so a deployment is configured in one place.

Every variable, its default and its bounds are in :data:`VARIABLES` (docs/server.md prints the
same table). A value outside its bounds is refused at start-up with the variable's name, never
clamped silently. Running without API keys is an explicit choice (``KAIZEN_ALLOW_ANONYMOUS=1``):
a ``KAIZEN_API_KEYS`` that is unset, empty or only separators refuses to start otherwise.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_PAYLOAD_TTL = 3600.0
DEFAULT_PAYLOAD_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_PAYLOAD_MAX_ENTRIES = 100_000
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_BODY_TIMEOUT = 30.0
DEFAULT_KEEP_ALIVE_TIMEOUT = 15.0  # longer than clients keep idle connections (httpx, the SDK: 5 s)
DEFAULT_SHUTDOWN_TIMEOUT = 20.0
DEFAULT_MAX_CONCURRENCY = 64
DEFAULT_MAX_CONNECTIONS = 1000

_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class Variable:
    """One ``KAIZEN_*`` variable: its default (as text), bounds and meaning, for docs and errors."""

    name: str
    default: str
    bounds: str
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable("KAIZEN_API_KEYS", "(none)", "at least one key", "comma-separated API keys"),
    Variable(
        "KAIZEN_ALLOW_ANONYMOUS", "0", "0/1", "1 = run without keys (logged loudly at start-up)"
    ),
    Variable("KAIZEN_MAX_BODY_BYTES", "2097152", "1..268435456", "larger bodies answer 413"),
    Variable("KAIZEN_RATE_LIMIT", "off", "N/SECONDS, N>=1", "token bucket of N per key"),
    Variable(
        "KAIZEN_AUTH_FAILURE_LIMIT",
        "10/60",
        "N/SECONDS or off",
        "failed authentications per client address before 429",
    ),
    Variable("KAIZEN_PAYLOAD_TTL", "3600", "0..2592000 s", "life of a stored prompt; 0 = none"),
    Variable(
        "KAIZEN_PAYLOAD_MAX_BYTES", "67108864", "0..2^40", "byte budget of the in-memory store"
    ),
    Variable("KAIZEN_PAYLOAD_MAX_ENTRIES", "100000", "1..10^8", "entry cap of the in-memory store"),
    Variable("KAIZEN_REDIS_URL", "(none)", "redis:// or rediss:// URL", "shared state in Redis"),
    Variable("KAIZEN_HEADER_TIMEOUT", "10", "0.1..300 s", "time to send the request headers"),
    Variable("KAIZEN_BODY_TIMEOUT", "30", "0.1..3600 s", "time to send the whole body (408)"),
    Variable("KAIZEN_KEEP_ALIVE_TIMEOUT", "15", "0.1..300 s", "idle keep-alive connections close"),
    Variable("KAIZEN_SHUTDOWN_TIMEOUT", "20", "0..600 s", "graceful-shutdown wait, then close"),
    Variable("KAIZEN_MAX_CONCURRENCY", "64", "1..100000", "requests in the app at once (503)"),
    Variable("KAIZEN_MAX_CONNECTIONS", "1000", "1..1000000", "open connections per worker"),
    Variable("KAIZEN_TEST_FAIL_FIRST", "(none)", "paths", "test only: first request answers 503"),
)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``requests`` per ``per_seconds`` per key; also the burst size (bucket capacity)."""

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not (0 < self.per_seconds <= 86_400 * 366):
            raise ValueError("a rate limit needs requests >= 1 and 0 < per_seconds <= 1 year")

    @classmethod
    def parse(cls, text: str, name: str = "KAIZEN_RATE_LIMIT") -> RateLimit | None:
        """``"120/60"`` -> 120 requests per 60 s; ``""``, ``"0"`` or ``"off"`` -> no limit."""
        text = text.strip().lower()
        if text in ("", "0", "off", "none"):
            return None
        count, sep, seconds = text.partition("/")
        try:
            return cls(int(count), float(seconds) if sep else 1.0)
        except ValueError:
            raise ValueError(
                f"{name} must look like N/SECONDS (e.g. 120/60), got {text!r}"
            ) from None


DEFAULT_AUTH_FAILURE_LIMIT = RateLimit(10, 60.0)


@dataclass(frozen=True, slots=True, repr=False)
class ServerSettings:
    """Everything the app factory needs; ``repr`` counts the keys and never shows them."""

    api_keys: frozenset[str] = frozenset()
    allow_anonymous: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    rate_limit: RateLimit | None = None
    auth_failure_limit: RateLimit | None = DEFAULT_AUTH_FAILURE_LIMIT
    payload_ttl: float = DEFAULT_PAYLOAD_TTL
    payload_max_bytes: int = DEFAULT_PAYLOAD_MAX_BYTES
    payload_max_entries: int = DEFAULT_PAYLOAD_MAX_ENTRIES
    redis_url: str | None = None
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    keep_alive_timeout: float = DEFAULT_KEEP_ALIVE_TIMEOUT
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    #: Test-only fault injection: the first request to each of these paths answers 503.
    fail_first: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.api_keys and not self.allow_anonymous:
            raise ValueError(
                "KAIZEN_API_KEYS holds no key: set at least one key, or set "
                "KAIZEN_ALLOW_ANONYMOUS=1 to run an open server on purpose"
            )
        _bound("KAIZEN_MAX_BODY_BYTES", self.max_body_bytes, 1, 256 * 1024 * 1024)
        _bound("KAIZEN_PAYLOAD_TTL", self.payload_ttl, 0, 30 * 86_400)
        _bound("KAIZEN_PAYLOAD_MAX_BYTES", self.payload_max_bytes, 0, 2**40)
        _bound("KAIZEN_PAYLOAD_MAX_ENTRIES", self.payload_max_entries, 1, 10**8)
        _bound("KAIZEN_HEADER_TIMEOUT", self.header_timeout, 0.1, 300)
        _bound("KAIZEN_BODY_TIMEOUT", self.body_timeout, 0.1, 3600)
        _bound("KAIZEN_KEEP_ALIVE_TIMEOUT", self.keep_alive_timeout, 0.1, 300)
        _bound("KAIZEN_SHUTDOWN_TIMEOUT", self.shutdown_timeout, 0, 600)
        _bound("KAIZEN_MAX_CONCURRENCY", self.max_concurrency, 1, 100_000)
        _bound("KAIZEN_MAX_CONNECTIONS", self.max_connections, 1, 1_000_000)
        if self.redis_url is not None and not self.redis_url.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError("KAIZEN_REDIS_URL must start with redis://, rediss:// or unix://")

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        """Settings from ``env`` (default ``os.environ``); bad values raise ``ValueError``."""
        env = os.environ if env is None else env
        failure_limit = env.get("KAIZEN_AUTH_FAILURE_LIMIT")
        return cls(
            api_keys=_split(env.get("KAIZEN_API_KEYS", "")),
            allow_anonymous=env.get("KAIZEN_ALLOW_ANONYMOUS", "").strip().lower() in _TRUE,
            max_body_bytes=_int(env, "KAIZEN_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            rate_limit=RateLimit.parse(env.get("KAIZEN_RATE_LIMIT", "")),
            auth_failure_limit=(
                DEFAULT_AUTH_FAILURE_LIMIT
                if failure_limit is None
                else RateLimit.parse(failure_limit, "KAIZEN_AUTH_FAILURE_LIMIT")
            ),
            payload_ttl=_float(env, "KAIZEN_PAYLOAD_TTL", DEFAULT_PAYLOAD_TTL),
            payload_max_bytes=_int(env, "KAIZEN_PAYLOAD_MAX_BYTES", DEFAULT_PAYLOAD_MAX_BYTES),
            payload_max_entries=_int(
                env, "KAIZEN_PAYLOAD_MAX_ENTRIES", DEFAULT_PAYLOAD_MAX_ENTRIES
            ),
            redis_url=env.get("KAIZEN_REDIS_URL", "").strip() or None,
            header_timeout=_float(env, "KAIZEN_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT),
            body_timeout=_float(env, "KAIZEN_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
            keep_alive_timeout=_float(env, "KAIZEN_KEEP_ALIVE_TIMEOUT", DEFAULT_KEEP_ALIVE_TIMEOUT),
            shutdown_timeout=_float(env, "KAIZEN_SHUTDOWN_TIMEOUT", DEFAULT_SHUTDOWN_TIMEOUT),
            max_concurrency=_int(env, "KAIZEN_MAX_CONCURRENCY", DEFAULT_MAX_CONCURRENCY),
            max_connections=_int(env, "KAIZEN_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS),
            fail_first=_split(env.get("KAIZEN_TEST_FAIL_FIRST", "")),
        )

    def __repr__(self) -> str:
        redis = "<set>" if self.redis_url else None  # a URL may carry a password
        return (
            f"ServerSettings(api_keys=<{len(self.api_keys)} key(s)>, "
            f"allow_anonymous={self.allow_anonymous}, "
            f"max_body_bytes={self.max_body_bytes}, rate_limit={self.rate_limit}, "
            f"auth_failure_limit={self.auth_failure_limit}, "
            f"payload_ttl={self.payload_ttl}, payload_max_bytes={self.payload_max_bytes}, "
            f"payload_max_entries={self.payload_max_entries}, redis_url={redis}, "
            f"timeouts=header {self.header_timeout}/body {self.body_timeout}/"
            f"keep-alive {self.keep_alive_timeout}/shutdown {self.shutdown_timeout}, "
            f"max_concurrency={self.max_concurrency}, max_connections={self.max_connections}, "
            f"fail_first={sorted(self.fail_first)})"
        )

    __str__ = __repr__


def _bound(name: str, value: float, low: float, high: float) -> None:
    if not (low <= value <= high) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")


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
