"""Callback events the runnable and the middleware send, and how failures are reported.

Compression is reported as a LangChain custom event rather than through a return value so
that it reaches every handler in the run's config (``KaizenCallbackHandler``, tracers,
``astream_events``) without changing what the step returns.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("langchain_kaizen")

COMPRESSION_EVENT = "kaizen_compression"
"""Custom event sent after each compression; data: ``Savings.to_dict()`` plus ``source``."""
ERROR_EVENT = "kaizen_compression_error"
"""Custom event sent when compression failed and the original input went through."""


def error_event(source: str, description: str) -> dict[str, Any]:
    return {"source": source, "error": description}
