"""A LlamaIndex Workflow that retrieves, compresses between steps, and answers."""

from __future__ import annotations

import json
from typing import Any

from llama_index.core.llms import MockLLM
from llama_index.core.schema import MetadataMode, NodeWithScore
from llama_index.core.workflow import Context, StartEvent, StopEvent, Workflow, step

from kaizen_client.ktof import decode
from llama_index.postprocessor.kaizen import (
    CompressNodesEvent,
    KaizenCompressionWorkflow,
    KaizenNodePostprocessor,
    NodesCompressedEvent,
    acompress_nodes,
    llm_text,
)

from .fakes import api_response, index


class RAG(KaizenCompressionWorkflow):
    """retrieve -> kaizen_compress (inherited) -> answer."""

    @step
    async def retrieve(self, ev: StartEvent) -> CompressNodesEvent:
        nodes = await index().as_retriever(similarity_top_k=3).aretrieve(ev.query)
        return CompressNodesEvent(nodes=nodes, query=ev.query)

    @step
    async def answer(self, ev: NodesCompressedEvent) -> StopEvent:
        context = "\n\n".join(n.node.get_content(MetadataMode.LLM) for n in ev.nodes)
        reply = await MockLLM().acomplete(f"{context}\n\nQ: {ev.query}")
        return StopEvent(result={"prompt": reply.text, "nodes": ev.nodes, "saved": ev.tokens_saved})


async def test_compression_workflow_step() -> None:
    kaizen = KaizenNodePostprocessor()
    result: dict[str, Any] = await RAG(postprocessor=kaizen, timeout=30).run(
        query="Which users are active?"
    )
    nodes: list[NodeWithScore] = result["nodes"]
    api = next(n for n in nodes if n.node.ref_doc_id == "api")
    assert decode(llm_text(api.node)) == json.loads(api_response())
    assert llm_text(api.node) in result["prompt"] and '"email": ' not in result["prompt"]
    assert api.node.get_content() == api_response()
    assert result["saved"] == kaizen.savings.tokens_saved > 0


class OwnSteps(Workflow):
    """Any workflow: compress nodes and text inside its own step."""

    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.kaizen = KaizenNodePostprocessor()

    @step
    async def go(self, ctx: Context, ev: StartEvent) -> StopEvent:
        nodes = await index().as_retriever(similarity_top_k=3).aretrieve("users")
        compressed = await acompress_nodes(nodes, self.kaizen)
        text = await self.kaizen.acompress_text("Data: " + api_response())
        return StopEvent(result=(nodes, compressed, text))


async def test_helpers_inside_any_step() -> None:
    result: tuple[list[NodeWithScore], list[NodeWithScore], str] = await OwnSteps().run()
    nodes, compressed, text = result
    assert [n.node.node_id for n in compressed] == [n.node.node_id for n in nodes]
    assert sum(a is b for a, b in zip(nodes, compressed, strict=True)) == 1  # prose untouched
    assert text.startswith("Data: ") and len(text) < len(api_response())
