"""LangChain integration for Kaizen: fewer prompt tokens for the JSON in your prompts.

* :class:`KaizenCompressor` — ``prompt | KaizenCompressor() | llm``: compress JSON before the model.
* :class:`KaizenOutputParser` — ask for and parse TOON answers (fewer output tokens).
* :class:`KaizenCallbackHandler` / :class:`AsyncKaizenCallbackHandler` — what was saved.
* :class:`KaizenMiddleware` — the same compression for ``create_agent`` agents; loaded on
  first use because it needs ``langchain`` (the ``agents`` extra).
* :func:`load_options` — ``loads(text, allowed_objects="core", **load_options())`` loads a
  saved chain that contains Kaizen steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._events import COMPRESSION_EVENT, ERROR_EVENT
from ._version import __version__
from .callbacks import AsyncKaizenCallbackHandler, KaizenCallbackHandler, KaizenUsage
from .compressor import KaizenCompressor
from .output_parser import KaizenOutputParser
from .serialization import SERIALIZABLE_MAPPING, load_options

if TYPE_CHECKING:
    from .middleware import KaizenMiddleware


def __getattr__(name: str) -> Any:
    if name == "KaizenMiddleware":
        from .middleware import KaizenMiddleware

        return KaizenMiddleware
    raise AttributeError(f"module 'langchain_kaizen' has no attribute {name!r}")


__all__ = [
    "COMPRESSION_EVENT",
    "ERROR_EVENT",
    "SERIALIZABLE_MAPPING",
    "AsyncKaizenCallbackHandler",
    "KaizenCallbackHandler",
    "KaizenCompressor",
    "KaizenMiddleware",
    "KaizenOutputParser",
    "KaizenUsage",
    "__version__",
    "load_options",
]
