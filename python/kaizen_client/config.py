"""Client configuration: where to send requests, how patiently, and which mode that means.

Environment variables (``KAIZEN_BASE_URL``, ``KAIZEN_API_KEY``, ``KAIZEN_TIMEOUT``) are read
when a config is created, not when the package is imported (0.1.4 froze them at import time).

Mode rule, applied once in ``__post_init__``:

* ``base_url="local"`` (any case) forces the in-process engine;
* another explicit ``base_url`` means HTTP to it;
* no ``base_url``: ``KAIZEN_BASE_URL`` if set; else the hosted API if an API key is known
  (argument or ``KAIZEN_API_KEY``); else the local engine, so the SDK works with no account.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from typing import Literal

import httpx

from ._logging import redact_headers

DEFAULT_BASE_URL = "https://api.getkaizen.io/"
LOCAL = "local"
#: Host the local transport is addressed by; nothing ever resolves it.
LOCAL_BASE_URL = "http://kaizen.local"

Mode = Literal["local", "remote"]


def _env_timeout() -> float:
    raw = os.environ.get("KAIZEN_TIMEOUT", "30")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"KAIZEN_TIMEOUT must be a number of seconds, got {raw!r}") from None


def _env_api_key() -> str | None:
    return os.environ.get("KAIZEN_API_KEY") or None


@dataclass(slots=True, repr=False)
class KaizenClientConfig:
    """Runtime configuration; the first five fields are 0.1.4's, in 0.1.4's order."""

    base_url: str | None = None
    api_key: str | None = field(default_factory=_env_api_key)
    timeout: float = field(default_factory=_env_timeout)
    #: True, False, or a path to a CA bundle file/directory.
    verify_ssl: bool | str = True
    default_headers: dict[str, str] = field(default_factory=dict)

    # Retries (openai-python's policy, see ``_retry``): transient failures are retried, and
    # every POST carries one ``Idempotency-Key`` so a retry never does the work twice.
    max_retries: int = 2
    #: First backoff in seconds; each retry doubles it, up to ``backoff_max``, minus <= 25 %.
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    #: Longest ``retry-after``/``retry-after-ms`` wait honoured; a server asking for longer
    #: is not retried: the error is raised at once with its ``retry_after``.
    retry_after_max: float = 120.0
    #: Overall deadline of one call in seconds, every attempt and backoff sleep included
    #: (``timeout`` is per connect/read/write). None: no overall deadline.
    total_timeout: float | None = None

    # Split timeouts; each falls back to ``timeout`` when None.
    connect_timeout: float | None = None
    read_timeout: float | None = None
    write_timeout: float | None = None
    pool_timeout: float | None = None

    # Connection pool.
    max_connections: int | None = 100
    max_keepalive_connections: int | None = 20
    keepalive_expiry: float | None = 5.0

    proxy: str | None = None
    #: CA bundle path; same as passing the path as ``verify_ssl``.
    ca_bundle: str | None = None

    def __post_init__(self) -> None:
        if self.base_url is None or not self.base_url.strip():
            env_url = os.environ.get("KAIZEN_BASE_URL", "").strip()
            if env_url:
                self.base_url = env_url
            elif self.api_key:
                self.base_url = DEFAULT_BASE_URL
            else:
                self.base_url = LOCAL
        if self.base_url.strip().lower() == LOCAL:
            self.base_url = LOCAL
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.total_timeout is not None and not self.total_timeout > 0:
            raise ValueError(
                f"total_timeout must be > 0 seconds or None, got {self.total_timeout!r}"
            )

    @property
    def mode(self) -> Mode:
        """``"local"`` (in-process engine, no network) or ``"remote"`` (HTTP)."""
        return "local" if (self.base_url or "").strip().lower() == LOCAL else "remote"

    @property
    def endpoint(self) -> str:
        """Base URL requests are sent to, without a trailing slash."""
        if self.mode == "local":
            return LOCAL_BASE_URL
        return (self.base_url or DEFAULT_BASE_URL).rstrip("/")

    def httpx_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            self.timeout,
            connect=self.connect_timeout if self.connect_timeout is not None else self.timeout,
            read=self.read_timeout if self.read_timeout is not None else self.timeout,
            write=self.write_timeout if self.write_timeout is not None else self.timeout,
            pool=self.pool_timeout if self.pool_timeout is not None else self.timeout,
        )

    def httpx_limits(self) -> httpx.Limits:
        return httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_keepalive_connections,
            keepalive_expiry=self.keepalive_expiry,
        )

    def httpx_verify(self) -> bool | ssl.SSLContext:
        """``verify=`` for httpx; a CA path becomes an SSLContext (httpx 0.28 deprecates str)."""
        path = self.ca_bundle or (self.verify_ssl if isinstance(self.verify_ssl, str) else None)
        if path is None:
            return bool(self.verify_ssl)
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        return ssl.create_default_context(cafile=path)

    def __repr__(self) -> str:
        key = "'***'" if self.api_key else "None"
        return (
            f"KaizenClientConfig(mode={self.mode!r}, base_url={self.base_url!r}, api_key={key}, "
            f"timeout={self.timeout!r}, total_timeout={self.total_timeout!r}, "
            f"max_retries={self.max_retries!r}, "
            f"verify_ssl={self.verify_ssl!r}, proxy={self.proxy!r}, "
            f"default_headers={redact_headers(self.default_headers)!r})"
        )

    __str__ = __repr__


__all__ = ["DEFAULT_BASE_URL", "LOCAL", "KaizenClientConfig", "Mode"]
