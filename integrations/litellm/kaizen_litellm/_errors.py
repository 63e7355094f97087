"""How failures are reported: one log line that never carries a key."""

from __future__ import annotations

import logging
from collections.abc import Iterable

logger = logging.getLogger("kaizen_litellm")


class KaizenCompressionError(RuntimeError):
    """Raised by ``KaizenHook(on_error="raise")``; the message never holds an API key."""


def describe_error(exc: BaseException, secrets: Iterable[str | None]) -> str:
    """One line naming the failure, with every known secret (4+ characters) masked."""
    text = f"{type(exc).__name__}: {exc}"
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text[:500]


def warn_fallback(where: str, description: str) -> None:
    logger.warning(
        "Kaizen compression failed in %s (%s); the original messages were sent unchanged",
        where,
        description,
    )
