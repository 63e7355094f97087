"""How failures are reported: one log line, whose text ``describe_error`` has cleared of keys."""

from __future__ import annotations

import logging

logger = logging.getLogger("kaizen_litellm")


class KaizenCompressionError(RuntimeError):
    """Raised by ``KaizenHook(on_error="raise")``; the message never holds an API key."""


def warn_fallback(where: str, description: str) -> None:
    logger.warning(
        "Kaizen compression failed in %s (%s); the original messages were sent unchanged",
        where,
        description,
    )
