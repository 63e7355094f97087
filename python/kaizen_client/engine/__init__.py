"""The in-process Kaizen engine: what the local client runs and the server wraps.

* :func:`compress_messages` rewrites the JSON inside chat messages as KTOF where it pays.
* :mod:`.operations` are the eight API operations, returning the API's JSON bodies.
* :func:`handle_request` is the HTTP-shaped entry point that never raises.

See ``docs/engine.md`` for the rules and the round-trip guarantee.
"""

from __future__ import annotations

from .cache import clear_cache, configure_cache
from .errors import EngineError, NotFoundError
from .messages import CompressionOptions, compress_messages
from .report import CompressionReport, FragmentDecision
from .routing import handle_request

__all__ = [
    "CompressionOptions",
    "CompressionReport",
    "EngineError",
    "FragmentDecision",
    "NotFoundError",
    "clear_cache",
    "compress_messages",
    "configure_cache",
    "handle_request",
]
