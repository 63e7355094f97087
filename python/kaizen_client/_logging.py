"""The SDK's logger and the redaction rules that keep API keys out of everything printable."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

logger = logging.getLogger("kaizen_client")

REDACTED = "***"
#: Header names (lower case) whose values are credentials.
SENSITIVE_HEADERS = frozenset(
    {"x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"}
)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` safe to print: credential values replaced by ``***``."""
    return {k: (REDACTED if k.lower() in SENSITIVE_HEADERS else v) for k, v in headers.items()}


def redact_text(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every occurrence of each (non-trivial) secret replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


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


__all__ = ["logger", "redact_headers", "redact_text"]
