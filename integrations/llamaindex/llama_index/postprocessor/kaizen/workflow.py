"""Kaizen in LlamaIndex Workflows (QueryPipeline is gone in 0.14): compress between steps.

Two ways in. Subclass :class:`KaizenCompressionWorkflow` and emit a
:class:`CompressNodesEvent` from your retrieval step; its ``kaizen_compress`` step answers
with a :class:`NodesCompressedEvent` for your synthesis step. Or call
:func:`acompress_nodes` (or ``postprocessor.acompress_text``) inside any step of your own.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.schema import NodeWithScore
from llama_index.core.workflow import Event, Workflow, step

from .base import KaizenNodePostprocessor


class CompressNodesEvent(Event):
    """Nodes to compress; ``query`` rides along for the next step."""

    nodes: list[NodeWithScore]
    query: str | None = None


class NodesCompressedEvent(Event):
    """The nodes after compression (same ids, scores, metadata and order) and the saving."""

    nodes: list[NodeWithScore]
    query: str | None = None
    tokens_before: int = 0
    tokens_after: int = 0

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after


async def acompress_nodes(
    nodes: list[NodeWithScore], postprocessor: KaizenNodePostprocessor | None = None
) -> list[NodeWithScore]:
    """``nodes`` compressed, for use inside any workflow step (engine off the event loop)."""
    kaizen = postprocessor if postprocessor is not None else KaizenNodePostprocessor()
    return (await kaizen.acompress(nodes))[0]


class KaizenCompressionWorkflow(Workflow):
    """A workflow base with a ready ``kaizen_compress`` step.

    Subclasses add a step that returns :class:`CompressNodesEvent` and one that accepts
    :class:`NodesCompressedEvent`. ``postprocessor=`` sets the options (default: local
    engine, default thresholds); ``self.kaizen.savings`` holds the running totals.
    """

    def __init__(
        self, *args: Any, postprocessor: KaizenNodePostprocessor | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kaizen = postprocessor if postprocessor is not None else KaizenNodePostprocessor()

    @step
    async def kaizen_compress(self, ev: CompressNodesEvent) -> NodesCompressedEvent:
        nodes, saved = await self.kaizen.acompress(list(ev.nodes))
        return NodesCompressedEvent(
            nodes=nodes,
            query=ev.query,
            tokens_before=saved.tokens_before,
            tokens_after=saved.tokens_after,
        )
