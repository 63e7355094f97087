"""Kaizen for LlamaIndex: retrieved JSON reaches the LLM as KTOF, in fewer tokens.

* :class:`KaizenNodePostprocessor`: ``index.as_query_engine(node_postprocessors=[...])``.
* :mod:`.workflow`: the same compression as a step of a LlamaIndex Workflow.
* :class:`KaizenCompressionEvent`: what each call saved, on LlamaIndex instrumentation.
* :class:`CompressedTextNode`: what a compressed node becomes; it shows the retrieved text
  (source nodes, citations) and gives the LLM the compressed one; :func:`llm_text` reads it.
"""

from ._version import __version__
from .base import KaizenNodePostprocessor
from .events import KaizenCompressionErrorEvent, KaizenCompressionEvent, KaizenSavings
from .node import CompressedTextNode, llm_text
from .workflow import (
    CompressNodesEvent,
    KaizenCompressionWorkflow,
    NodesCompressedEvent,
    acompress_nodes,
)

__all__ = [
    "CompressNodesEvent",
    "CompressedTextNode",
    "KaizenCompressionErrorEvent",
    "KaizenCompressionEvent",
    "KaizenCompressionWorkflow",
    "KaizenNodePostprocessor",
    "KaizenSavings",
    "NodesCompressedEvent",
    "__version__",
    "acompress_nodes",
    "llm_text",
]
