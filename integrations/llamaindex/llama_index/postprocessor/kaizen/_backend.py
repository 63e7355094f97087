"""Node texts through a core backend (``kaizen_client.integrations``), one batch per call.

Each text travels as a one-message user chat, so one postprocess call is one engine call (one
HTTP request in remote mode) whatever the number of nodes; the report's per-message
decisions give each text its own token counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kaizen_client.integrations import Backend


@dataclass(frozen=True, slots=True)
class TextResult:
    """One text after compression, with the tokens of its JSON before and after."""

    text: str
    tokens_before: int
    tokens_after: int
    fragments_compressed: int


class TextBackend:
    """Compresses a batch of texts with a message-level core backend."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @property
    def name(self) -> str:
        return self.backend.name

    def compress(self, texts: Sequence[str]) -> list[TextResult]:
        out, savings = self.backend.compress(_chat(texts))
        return _results(texts, out, savings.report)

    async def acompress(self, texts: Sequence[str]) -> list[TextResult]:
        out, savings = await self.backend.acompress(_chat(texts))
        return _results(texts, out, savings.report)


def _chat(texts: Sequence[str]) -> list[Any]:
    return [{"role": "user", "content": text} for text in texts]


def _results(texts: Sequence[str], out: Sequence[Any], report: Any) -> list[TextResult]:
    """Pair each text with its output message and the sums of its fragments' decisions."""
    if len(out) != len(texts):
        raise ValueError("the engine returned a different number of messages")
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
            raise ValueError("the engine returned a message without string content")
        new = text if content == text else content
        results.append(TextResult(new, before[index], after[index], compressed[index]))
    return results
