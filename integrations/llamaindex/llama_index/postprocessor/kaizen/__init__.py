"""Kaizen for LlamaIndex: retrieved JSON reaches the LLM as KTOF, in fewer tokens.

* :class:`KaizenNodePostprocessor`: ``index.as_query_engine(node_postprocessors=[...])``.
* :mod:`.workflow`: the same compression as a step of a LlamaIndex Workflow.
* :class:`KaizenCompressionEvent`: what each call saved, on LlamaIndex instrumentation.
"""

from ._version import __version__
from .base import KaizenNodePostprocessor
from .events import KaizenCompressionErrorEvent, KaizenCompressionEvent, KaizenSavings
from .workflow import (
    CompressNodesEvent,
    KaizenCompressionWorkflow,
    NodesCompressedEvent,
    acompress_nodes,
)

__all__ = [
    "CompressNodesEvent",
    "KaizenCompressionErrorEvent",
    "KaizenCompressionEvent",
    "KaizenCompressionWorkflow",
    "KaizenNodePostprocessor",
    "KaizenSavings",
    "NodesCompressedEvent",
    "__version__",
    "acompress_nodes",
]
