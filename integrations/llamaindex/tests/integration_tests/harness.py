"""Remote-mode scenarios: each runs a LlamaIndex query against ``base_url``.

The LLM is an echoing ``MockLLM``, so a scenario sees the prompt it was given. Replayed and
scanned by ``test_cassettes.py`` (the core's ``CassetteSuite``); re-recorded from a real
server on loopback with ``python -m kaizen_client.testing record
integrations/llamaindex/tests/integration_tests/test_cassettes.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llama_index.core.schema import NodeWithScore

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient, testing
from kaizen_client.ktof import decode
from llama_index.postprocessor.kaizen import KaizenNodePostprocessor, llm_text

from ..unit_tests.fakes import PROSE, api_response, echo_llm, index, rows

CASSETTES = Path(__file__).resolve().parent / "cassettes"
#: The key the recording server accepts; it must never appear in a cassette.
TEST_KEY = "sk-kaizen-llamaindex-cassette-3e8b51c0"
WRONG_KEY = "sk-kaizen-llamaindex-wrong-d61f2a97"
QUESTION = "Which users are active?"


def _config(base_url: str, key: str = TEST_KEY) -> KaizenClientConfig:
    config: KaizenClientConfig = testing.recording_config(base_url, key)
    return config


def _check(prompt: str, sources: list[NodeWithScore]) -> None:
    """The LLM got the JSON as KTOF, and remote output equals local output."""
    plain = index().as_retriever(similarity_top_k=3).retrieve(QUESTION)

    def kept(nodes: list[NodeWithScore]) -> dict[str | None, Any]:
        return {n.node.ref_doc_id: (n.score, n.node.metadata) for n in nodes}

    assert kept(sources) == kept(plain)  # (sync and async retrieval order ties differently)
    by_doc = {n.node.ref_doc_id: llm_text(n.node) for n in sources}
    assert decode(by_doc["api"]) == json.loads(api_response())
    assert decode(by_doc["export"]) == rows(20, 100)
    assert by_doc["prose"] == PROSE
    assert by_doc["api"] in prompt and '"email": ' not in prompt
    shown = {n.node.ref_doc_id: n.node.get_content() for n in sources}
    assert shown["api"] == api_response()  # the sources show what was retrieved
    local = KaizenNodePostprocessor().postprocess_nodes(plain)
    assert {n.node.ref_doc_id: llm_text(n.node) for n in local} == by_doc


async def sync_query(base_url: str) -> None:
    """``KaizenSyncClient``: ``query`` through a query engine; savings are counted."""
    with KaizenSyncClient(_config(base_url)) as client:
        kaizen = KaizenNodePostprocessor(client=client)
        engine = index().as_query_engine(
            llm=echo_llm(), node_postprocessors=[kaizen], similarity_top_k=3
        )
        response = engine.query(QUESTION)
        _check(str(response), response.source_nodes)
        assert kaizen.savings.tokens_saved > 0 and kaizen.savings.failures == 0


async def async_query(base_url: str) -> None:
    """``KaizenClient``: ``aquery`` goes through the async client natively."""
    async with KaizenClient(_config(base_url)) as client:
        kaizen = KaizenNodePostprocessor(client=client)
        engine = index().as_query_engine(
            llm=echo_llm(), node_postprocessors=[kaizen], similarity_top_k=3
        )
        response = await engine.aquery(QUESTION)
        _check(str(response), response.source_nodes)
        assert kaizen.savings.nodes_compressed == 2 and kaizen.savings.failures == 0


async def rejected_key(base_url: str) -> None:
    """A 401 from the server: the original nodes go through, the failure is counted."""
    with KaizenSyncClient(_config(base_url, WRONG_KEY)) as client:
        kaizen = KaizenNodePostprocessor(client=client)
        nodes = index().as_retriever(similarity_top_k=3).retrieve(QUESTION)
        assert kaizen.postprocess_nodes(nodes) is nodes
        assert kaizen.savings.failures == 1


Scenario = testing.Scenario

SCENARIOS = [
    Scenario("llamaindex_sync_query", sync_query),
    Scenario("llamaindex_async_query", async_query),
    Scenario("llamaindex_rejected_key", rejected_key),
]
