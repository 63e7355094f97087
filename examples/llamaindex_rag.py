"""LlamaIndex + Kaizen, offline: retrieved JSON reaches the LLM as KTOF.

Needs ``pip install -e python -e integrations/llamaindex`` (``python3 dev.py setup`` does it).
The index uses ``MockEmbedding`` and the LLM is ``MockLLM``, which answers with the prompt
it was given, so this runs with no network and no API key and shows exactly what the model
would have read. Swap in real models (``OpenAI(...)``, ``OpenAIEmbedding(...)``) for real use.

It prints the retrieved JSON as the LLM received it, the tokens saved (the postprocessor's
own count and a ``TokenCountingHandler``'s prompt count with and without it), the proof that
the compressed text decodes back to the original data, and the same through a Workflow.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

try:
    from llama_index.core import Document, Settings, VectorStoreIndex
    from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
    from llama_index.core.embeddings import MockEmbedding
    from llama_index.core.llms import MockLLM
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode
    from llama_index.core.workflow import StartEvent, StopEvent, step

    from kaizen_client.ktof import decode
    from llama_index.postprocessor.kaizen import (
        CompressNodesEvent,
        KaizenCompressionWorkflow,
        KaizenNodePostprocessor,
        NodesCompressedEvent,
        llm_text,
    )
except ImportError as exc:
    sys.exit(f"{exc}. Run `python3 dev.py setup` (or pip install -e the two packages).")

QUESTION = "Which customers have overdue invoices?"


def invoices() -> dict[str, Any]:
    """An API response as an HTTP reader would store it: pretty-printed JSON."""
    rows = [
        {
            "invoice": f"INV-{1000 + i}",
            "customer": f"customer-{i % 7}",
            "amount": round(120 + i * 17.5, 2),
            "currency": "EUR",
            "status": "overdue" if i % 3 == 0 else "paid",
        }
        for i in range(24)
    ]
    return {"status": "ok", "page": 1, "invoices": rows}


def documents() -> list[Document]:
    events = [
        {"ts": f"2026-11-{d:02d}", "event": "reminder_sent", "invoice": "INV-1000"}
        for d in (3, 10, 17)
    ]
    return [
        Document(
            text=json.dumps(invoices(), indent=2),
            id_="invoices-api",
            metadata={"source": "billing API"},
        ),
        Document(
            text="\n".join(json.dumps(e) for e in events),
            id_="events",
            metadata={"source": "events.jsonl"},
        ),
        Document(
            text="Invoices are overdue 30 days after issue. Reminders go out weekly.",
            id_="policy",
            metadata={"source": "handbook"},
        ),
    ]


def query(index: VectorStoreIndex, postprocessors: list[Any]) -> tuple[str, int]:
    """The prompt the LLM got and its tokens as a ``TokenCountingHandler`` counted them."""
    counter = TokenCountingHandler()
    Settings.callback_manager = CallbackManager([counter])
    engine = index.as_query_engine(
        llm=MockLLM(), node_postprocessors=postprocessors, similarity_top_k=3
    )
    prompt = str(engine.query(QUESTION))
    return prompt, counter.prompt_llm_token_count


class RAG(KaizenCompressionWorkflow):
    """retrieve -> kaizen_compress (inherited step) -> answer."""

    def __init__(self, index: VectorStoreIndex, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index

    @step
    async def retrieve(self, ev: StartEvent) -> CompressNodesEvent:
        nodes = await self.index.as_retriever(similarity_top_k=3).aretrieve(ev.query)
        return CompressNodesEvent(nodes=nodes, query=ev.query)

    @step
    async def answer(self, ev: NodesCompressedEvent) -> StopEvent:
        # MetadataMode.LLM: what the LLM should read (compressed); get_content() alone gives
        # the retrieved text, for showing sources
        context = "\n\n".join(n.node.get_content(MetadataMode.LLM) for n in ev.nodes)
        reply = await MockLLM().acomplete(f"{context}\n\nQuestion: {ev.query}")
        return StopEvent(result=(reply.text, ev.tokens_saved))


async def run_workflow(index: VectorStoreIndex) -> tuple[str, int]:
    """The same compression as a Workflow step (``run`` needs a running event loop)."""
    workflow = RAG(index, postprocessor=KaizenNodePostprocessor(), timeout=30)
    result: tuple[str, int] = await workflow.run(query=QUESTION)
    return result


def main() -> int:
    # Chunks big enough to keep each JSON document whole: a chunk that cuts JSON in half
    # still gets its complete inner objects compressed, one by one, but not as one table.
    splitter = SentenceSplitter(chunk_size=4096)
    index = VectorStoreIndex.from_documents(
        documents(), embed_model=MockEmbedding(embed_dim=8), transformations=[splitter]
    )
    kaizen = KaizenNodePostprocessor(model="gpt-4")  # gpt-4: cl100k_base, as TokenCountingHandler
    plain_prompt, plain_tokens = query(index, [])
    prompt, tokens = query(index, [kaizen])

    print("== What the LLM received (Kaizen on) ==")
    print(prompt.strip())
    print()
    print("== Tokens ==")
    print(f"postprocessor: {kaizen.savings.summary()}")
    print(f"TokenCountingHandler prompt tokens: {plain_tokens} without Kaizen, {tokens} with it")
    print()

    nodes = kaizen.postprocess_nodes(index.as_retriever(similarity_top_k=3).retrieve(QUESTION))
    by_doc = {n.node.ref_doc_id: llm_text(n.node) for n in nodes}
    lossless = decode(by_doc["invoices-api"]) == invoices()
    events = [json.loads(line) for line in documents()[1].text.splitlines()]
    lossless = lossless and decode(by_doc["events"]) == events
    print(f"== Lossless: decode(compressed node text) == original data: {lossless} ==")
    shown = {n.node.ref_doc_id: n.node.get_content() for n in nodes}
    sources_ok = json.loads(shown["invoices-api"]) == invoices()
    print(f"== Source nodes show the stored JSON (citations): {sources_ok} ==")

    text, saved = asyncio.run(run_workflow(index))
    print(f"== Workflow: the answer step got {len(text)} characters; {saved} tokens saved ==")
    ok = (
        lossless
        and sources_ok
        and tokens < plain_tokens
        and saved > 0
        and '"invoice": ' in plain_prompt
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
