"""TOON replies inside OpenAI-style response objects and chunk streams, decoded to JSON text.

LiteLLM, the OpenAI SDK and the many gateways that copy it return ``choices[i].message``
(whole replies) and ``choices[i].delta`` chunks (streams). A caller that asked the model to
answer in TOON (fewer output tokens) still wants JSON text back; these helpers put it there,
by attribute access only (no SDK is imported). What counts as data is
:func:`~kaizen_client.integrations.reply_as_json`'s rule; a reply that does not decode is
left exactly as it came: decoding is a convenience, never a reason to lose an answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from .replies import reply_as_json


def decode_response(response: Any) -> bool:
    """Decode each choice's message content in place; whether anything changed."""
    changed = False
    for choice in getattr(response, "choices", None) or []:
        message = getattr(choice, "message", None)
        content = getattr(message, "content", None)
        if isinstance(content, str):
            decoded = reply_as_json(content)
            if decoded is not None and decoded != content:
                message.content = decoded  # type: ignore[union-attr]
                changed = True
    return changed


class StreamDecoder:
    """Holds a streamed reply's text back and releases it, decoded, with the last chunk.

    TOON cannot be turned into JSON a token at a time (a table row is only known when its
    header and row are complete), so content deltas are emptied as they pass and the whole
    decoded text is put into the chunk that carries ``finish_reason``. Other delta fields
    (role, tool calls) pass through untouched.
    """

    def __init__(self) -> None:
        self._parts: dict[int, list[str]] = {}

    def take(self, chunk: Any) -> bool:
        """Absorb the chunk's content; whether it finishes a choice (content set on it)."""
        finished = False
        for choice in getattr(chunk, "choices", None) or []:
            delta = getattr(choice, "delta", None)
            index = int(getattr(choice, "index", 0) or 0)
            content = getattr(delta, "content", None)
            if isinstance(content, str) and content:
                self._parts.setdefault(index, []).append(content)
                delta.content = None  # type: ignore[union-attr]
            if getattr(choice, "finish_reason", None) is not None and delta is not None:
                delta.content = self.text(index)
                finished = True
        return finished

    def flush(self, chunk: Any) -> None:
        """Put text still held (a stream that ended without ``finish_reason``) into ``chunk``."""
        for choice in getattr(chunk, "choices", None) or []:
            delta = getattr(choice, "delta", None)
            text = self.text(int(getattr(choice, "index", 0) or 0))
            if delta is not None and text is not None:
                delta.content = (getattr(delta, "content", None) or "") + text

    def text(self, index: int = 0) -> str | None:
        """The whole text of choice ``index`` so far, decoded when it decodes."""
        parts = self._parts.pop(index, None)
        if not parts:
            return None
        raw = "".join(parts)
        decoded = reply_as_json(raw)
        return raw if decoded is None else decoded


def decode_stream(stream: Iterable[Any]) -> Iterator[Any]:
    """The chunks of ``stream``, with the reply's text released decoded at the end.

    One chunk is held back so that text left over when no chunk carried
    ``finish_reason`` still has a chunk to go into.
    """
    decoder = StreamDecoder()
    held: Any = None
    for chunk in stream:
        decoder.take(chunk)
        if held is not None:
            yield held
        held = chunk
    if held is not None:
        decoder.flush(held)
        yield held


async def adecode_stream(stream: AsyncIterable[Any]) -> AsyncIterator[Any]:
    """Async :func:`decode_stream`."""
    decoder = StreamDecoder()
    held: Any = None
    async for chunk in stream:
        decoder.take(chunk)
        if held is not None:
            yield held
        held = chunk
    if held is not None:
        decoder.flush(held)
        yield held


__all__ = ["StreamDecoder", "adecode_stream", "decode_response", "decode_stream"]
