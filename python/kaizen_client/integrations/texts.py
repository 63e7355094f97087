"""Compressing a batch of texts (documents, retrieved nodes) with a message-level backend.

Each text travels as a one-message user chat, so a batch is one engine call (one HTTP
request in remote mode) whatever its size; the report's per-message decisions give each
text its own token counts. For integrations whose unit is a text, not a chat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .backend import Backend


@dataclass(frozen=True, slots=True)
class TextResult:
    """One text after compression, with the tokens of its JSON before and after."""

    text: str
    tokens_before: int
    tokens_after: int
    fragments_compressed: int


def compress_texts(backend: Backend, texts: Sequence[str]) -> list[TextResult]:
    """Each of ``texts`` compressed (or itself), in order, in one backend call."""
    out, savings = backend.compress(_chat(texts))
    return _results(texts, out, savings.report)


async def acompress_texts(backend: Backend, texts: Sequence[str]) -> list[TextResult]:
    """Async :func:`compress_texts`."""
    out, savings = await backend.acompress(_chat(texts))
    return _results(texts, out, savings.report)


def _chat(texts: Sequence[str]) -> list[Any]:
    return [{"role": "user", "content": text} for text in texts]


def _results(texts: Sequence[str], out: Sequence[Any], report: Any) -> list[TextResult]:
    """Pair each text with its output message and the sums of its fragments' decisions."""
    if len(out) != len(texts):
        raise ValueError(f"the engine returned {len(out)} messages for {len(texts)} texts")
    before = [0] * len(texts)
    after = [0] * len(texts)
    compressed = [0] * len(texts)
    for fragment in report.fragments:
        index = int(fragment.message_index)
        before[index] += int(fragment.tokens_before)
        after[index] += int(fragment.tokens_after)
        compressed[index] += fragment.action == "compressed"
    results = []
    for index, (text, message) in enumerate(zip(texts, out, strict=True)):
        content = message.get("content") if isinstance(message, Mapping) else None
        if not isinstance(content, str):
            raise ValueError(f"the engine returned message {index} without string content")
        new = text if content == text else content
        results.append(TextResult(new, before[index], after[index], compressed[index]))
    return results


__all__ = ["TextResult", "acompress_texts", "compress_texts"]
