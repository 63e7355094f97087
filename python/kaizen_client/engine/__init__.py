"""The in-process Kaizen engine: the hot path every local call and the server run.

* :func:`compress_messages` rewrites the JSON inside chat messages as KTOF where it pays;
  :func:`compress_text` does the same to one string (a retrieved node, a tool output).
* :mod:`.jsonl`: JSON lines are one fragment (kind ``jsonl``): :func:`parse_jsonl` says
  whether a text is, :func:`to_jsonl` turns decoded records back into lines.
* :class:`CompressionReport` says what was done to each fragment, and why.
* :mod:`.defaults` holds the engine's vocabulary (fragment kinds, reasons) and defaults.

The engine imports only the codec (:mod:`kaizen_client.ktof`) and the token counter
(:mod:`kaizen_client.tokens`); the HTTP-shaped operations and routing built on it are
:mod:`kaizen_client.service`. Names load on first use (PEP 562), so importing
:mod:`.defaults` (as the API models do) does not load the codec.
See ``docs/engine.md`` for the rules and the round-trip guarantee.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cache import clear_cache, configure_cache
    from .jsonl import parse_jsonl, to_jsonl
    from .messages import CompressionOptions, compress_messages, compress_text
    from .report import CompressionReport, FragmentDecision

_LAZY = {
    "CompressionOptions": ".messages",
    "CompressionReport": ".report",
    "FragmentDecision": ".report",
    "clear_cache": ".cache",
    "compress_messages": ".messages",
    "compress_text": ".messages",
    "parse_jsonl": ".jsonl",
    "to_jsonl": ".jsonl",
    "configure_cache": ".cache",
}

__all__ = [
    "CompressionOptions",
    "CompressionReport",
    "FragmentDecision",
    "clear_cache",
    "compress_messages",
    "compress_text",
    "configure_cache",
    "parse_jsonl",
    "to_jsonl",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
