"""What a compression saved, and how it is reported to LlamaIndex instrumentation.

Savings are sent as instrumentation events (``KaizenCompressionEvent``) from inside the
postprocessor's span, so any event handler on the root dispatcher (Arize, Langfuse, a
custom ``BaseEventHandler``) sees them next to the LLM events of the same query.
"""

from __future__ import annotations

import logging

from llama_index.core.instrumentation.events import BaseEvent
from llama_index_instrumentation import get_dispatcher

from kaizen_client.integrations import SavingsTotals

logger = logging.getLogger("llama_index.postprocessor.kaizen")
dispatcher = get_dispatcher("llama_index.postprocessor.kaizen")


class KaizenSavings(SavingsTotals):
    """Token totals over the JSON the postprocessor looked at (one call, or a running sum).

    The core's :class:`~kaizen_client.integrations.SavingsTotals` with its items named:
    ``nodes`` handed over and ``nodes_compressed``. ``tokens_before``/``tokens_after`` count
    the JSON fragments only (not prose), with the postprocessor's ``model`` tokenizer.
    """

    __slots__ = ()

    @property
    def nodes(self) -> int:
        return self.items

    @property
    def nodes_compressed(self) -> int:
        return self.items_compressed

    def summary(self, items: str = "node") -> str:
        return super().summary(items)


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
