"""A real ``VectorStoreIndex`` query: what the (echoing) ``MockLLM`` received, sync and async."""

from __future__ import annotations

import json

import pytest
from llama_index.core import Settings
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.schema import MetadataMode, NodeWithScore

from kaizen_client.ktof import decode
from kaizen_client.tokens import count_tokens
from llama_index.postprocessor.kaizen import KaizenNodePostprocessor, llm_text

from .fakes import PROSE, api_response, echo_llm, index, jsonl, rows

QUESTION = "Which users are active?"


def _by_doc(nodes: list[NodeWithScore]) -> dict[str, NodeWithScore]:
    return {str(n.node.ref_doc_id): n for n in nodes}


def _check(prompt: str, sources: list[NodeWithScore], plain: list[NodeWithScore]) -> None:
    # ids, scores, metadata, relationships and order are those of the plain retrieval
    assert [n.node.node_id for n in sources] == [n.node.node_id for n in plain]
    assert [n.score for n in sources] == [n.score for n in plain]
    assert [n.node.metadata for n in sources] == [n.node.metadata for n in plain]
    assert [n.node.relationships for n in sources] == [n.node.relationships for n in plain]
    docs = _by_doc(sources)
    api, prose, export = docs["api"].node, docs["prose"].node, docs["export"].node
    # the source nodes show what was retrieved (citations, "show sources")
    assert api.get_content() == api_response() and export.get_content() == jsonl().strip()
    assert prose.get_content() == PROSE
    # the LLM got the JSON compressed, and it decodes back to the original data
    assert decode(llm_text(api)) == json.loads(api_response())
    assert decode(llm_text(export)) == rows(20, 100)
    assert llm_text(api) in prompt and llm_text(export) in prompt
    assert PROSE in prompt
    assert '"email": ' not in prompt
    assert "source: users-api" in prompt  # metadata still reaches the LLM


def test_query_sends_compressed_json_to_the_llm() -> None:
    idx, kaizen = index(), KaizenNodePostprocessor()
    engine = idx.as_query_engine(llm=echo_llm(), node_postprocessors=[kaizen], similarity_top_k=3)
    response = engine.query(QUESTION)
    plain = idx.as_retriever(similarity_top_k=3).retrieve(QUESTION)
    _check(str(response), response.source_nodes, plain)
    assert kaizen.last_savings.nodes == 3 and kaizen.last_savings.nodes_compressed == 2
    assert kaizen.savings.tokens_saved > 0 and kaizen.savings.failures == 0


async def test_aquery_sends_compressed_json_to_the_llm() -> None:
    idx, kaizen = index(), KaizenNodePostprocessor()
    engine = idx.as_query_engine(llm=echo_llm(), node_postprocessors=[kaizen], similarity_top_k=3)
    response = await engine.aquery(QUESTION)
    plain = await idx.as_retriever(similarity_top_k=3).aretrieve(QUESTION)
    _check(str(response), response.source_nodes, plain)
    assert kaizen.savings.calls == 1 and kaizen.savings.nodes_compressed == 2


def test_without_postprocessor_the_llm_gets_json() -> None:
    response = index().as_query_engine(llm=echo_llm(), similarity_top_k=3).query(QUESTION)
    assert '"email": ' in str(response)
    assert jsonl().strip() in str(response)


def test_token_counting_handler_sees_the_smaller_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    saved = 0
    for postprocessors in ([], [KaizenNodePostprocessor(model="gpt-4")]):
        counter = TokenCountingHandler()  # cl100k_base, as model="gpt-4" counts
        # the documented way to use TokenCountingHandler: the global callback manager
        monkeypatch.setattr(Settings, "_callback_manager", CallbackManager([counter]))
        engine = index().as_query_engine(
            llm=echo_llm(), node_postprocessors=postprocessors, similarity_top_k=3
        )
        engine.query(QUESTION)
        counts.append(counter.prompt_llm_token_count)
        if postprocessors:
            saved = postprocessors[0].savings.tokens_saved
    before, after = counts
    assert after < before
    # the prompt shrank by what the postprocessor reports (token boundaries differ slightly)
    assert abs((before - after) - saved) <= 0.05 * saved


def test_node_text_and_llm_text_agree() -> None:
    kaizen = KaizenNodePostprocessor()
    nodes = index().as_retriever(similarity_top_k=3).retrieve(QUESTION)
    out = kaizen.postprocess_nodes(nodes)
    for node in out:
        text = node.node.get_content(metadata_mode=MetadataMode.LLM)
        assert llm_text(node.node) in text
    assert count_tokens(llm_text(out[0].node)) > 0
