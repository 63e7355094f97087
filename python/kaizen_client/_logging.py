"""The SDK's logger and the redaction rules that keep API keys out of everything printable."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

logger = logging.getLogger("kaizen_client")

#: Loggers of the HTTP stack whose DEBUG traces print raw response headers (where a server
#: may echo the key back); a filter on them masks every key a client was built with.
HTTP_LOGGERS = ("httpx", "httpcore.http11", "httpcore.http2", "httpcore.connection")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()

REDACTED = "***"
#: Header names (lower case) whose values are credentials.
SENSITIVE_HEADERS = frozenset(
    {"x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"}
)


def redact_headers(
    headers: Mapping[str, str], secrets: Iterable[str | None] = ()
) -> dict[str, str]:
    """A copy of ``headers`` safe to print: credential values replaced by ``***``."""
    return dict(redact_header_pairs(headers.items(), secrets))


def redact_header_pairs(
    pairs: Iterable[tuple[str, str]], secrets: Iterable[str | None] = ()
) -> list[tuple[str, str]]:
    """Header pairs with credential headers, and any known secret inside values, masked."""
    secrets = list(secrets)
    return [
        (k, REDACTED if k.lower() in SENSITIVE_HEADERS else redact_text(v, secrets))
        for k, v in pairs
    ]


def redact_text(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every occurrence of each (non-trivial) secret replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def redact_value(value: Any, secrets: Iterable[str | None]) -> Any:
    """``value`` (JSON-like) with every secret inside its strings replaced by ``***``."""
    secrets = [s for s in secrets if s and len(s) >= 4]
    if not secrets:
        return value
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {redact_text(str(k), secrets): redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, secrets) for v in value]
    return value


class SecretFilter(logging.Filter):
    """Rewrites a record whose text contains a registered key, with the key masked.

    Filters run only for records that pass the level check, so this costs nothing unless
    the HTTP stack's DEBUG logging is on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = list(_secrets)
        if not secrets:
            return True
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is the logging module's business
            return True
        if any(secret in text for secret in secrets):
            record.msg = redact_text(text, secrets)
            record.args = None
        return True


_FILTER = SecretFilter()


def register_secret(secret: str | None) -> None:
    """Mask ``secret`` in the HTTP stack's log records from now on (idempotent)."""
    if not secret or len(secret) < 4:
        return
    with _secrets_lock:
        if secret in _secrets:
            return
        _secrets.add(secret)
        for name in HTTP_LOGGERS:
            http_logger = logging.getLogger(name)
            if _FILTER not in http_logger.filters:
                http_logger.addFilter(_FILTER)


def log_request(*, method: str, path: str, request_id: str, mode: str, attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "kaizen request %s %s request_id=%s mode=%s attempt=%d",
            method,
            path,
            request_id,
            mode,
            attempt,
            extra={"kaizen_request_id": request_id, "kaizen_mode": mode},
        )


def log_response(
    *, method: str, path: str, status: int | str, ms: float, request_id: str, mode: str
) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "kaizen response %s %s status=%s ms=%.1f request_id=%s mode=%s",
            method,
            path,
            status,
            ms,
            request_id,
            mode,
            extra={"kaizen_request_id": request_id, "kaizen_mode": mode},
        )


def log_retry(*, method: str, path: str, request_id: str, delay: float, reason: str) -> None:
    logger.debug(
        "kaizen retry %s %s in %.3fs (%s) request_id=%s", method, path, delay, reason, request_id
    )


__all__ = [
    "SecretFilter",
    "logger",
    "redact_header_pairs",
    "redact_headers",
    "redact_text",
    "redact_value",
    "register_secret",
]
