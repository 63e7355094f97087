"""What a compression saved, and how it is reported to LlamaIndex instrumentation.

Savings are sent as instrumentation events (``KaizenCompressionEvent``) from inside the
postprocessor's span, so any event handler on the root dispatcher (Arize, Langfuse, a
custom ``BaseEventHandler``) sees them next to the LLM events of the same query.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from llama_index.core.instrumentation.events import BaseEvent
from llama_index_instrumentation import get_dispatcher

logger = logging.getLogger("llama_index.postprocessor.kaizen")
dispatcher = get_dispatcher("llama_index.postprocessor.kaizen")


@dataclass(frozen=True, slots=True)
class KaizenSavings:
    """Token totals over the JSON the postprocessor looked at (one call, or a running sum).

    ``tokens_before``/``tokens_after`` count the JSON fragments only (not prose), with the
    postprocessor's ``model`` tokenizer.
    """

    calls: int = 0
    failures: int = 0
    nodes: int = 0
    nodes_compressed: int = 0
    tokens_before: int = 0
    tokens_after: int = 0

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    @property
    def percent_saved(self) -> float:
        return 100.0 * self.tokens_saved / self.tokens_before if self.tokens_before else 0.0

    def __add__(self, other: KaizenSavings) -> KaizenSavings:
        return KaizenSavings(
            self.calls + other.calls,
            self.failures + other.failures,
            self.nodes + other.nodes,
            self.nodes_compressed + other.nodes_compressed,
            self.tokens_before + other.tokens_before,
            self.tokens_after + other.tokens_after,
        )

    def summary(self) -> str:
        return (
            f"{self.tokens_before} -> {self.tokens_after} tokens of JSON "
            f"({self.tokens_saved} saved, {self.percent_saved:.1f}%) in "
            f"{self.nodes_compressed}/{self.nodes} nodes over {self.calls} call(s)"
            + (f", {self.failures} failure(s)" if self.failures else "")
        )


class KaizenCompressionEvent(BaseEvent):
    """Sent after each postprocess call that compressed (or tried to compress) nodes."""

    model: str
    backend: str
    nodes: int
    nodes_compressed: int
    tokens_before: int
    tokens_after: int
    tokens_saved: int

    @classmethod
    def class_name(cls) -> str:
        return "KaizenCompressionEvent"


class KaizenCompressionErrorEvent(BaseEvent):
    """Sent when compression failed and the original nodes went through."""

    backend: str
    nodes: int
    error: str

    @classmethod
    def class_name(cls) -> str:
        return "KaizenCompressionErrorEvent"


def warn_fallback(description: str) -> None:
    logger.warning(
        "Kaizen compression failed (%s); the original nodes were sent unchanged", description
    )
