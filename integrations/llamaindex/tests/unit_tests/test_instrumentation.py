"""Savings reach LlamaIndex instrumentation: an event handler on the root dispatcher sees them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index_instrumentation import get_dispatcher
from pydantic import Field

from kaizen_client import KaizenClientConfig, KaizenSyncClient
from llama_index.postprocessor.kaizen import (
    KaizenCompressionErrorEvent,
    KaizenCompressionEvent,
    KaizenNodePostprocessor,
)

from .fakes import echo_llm, index, rows

SECRET = "sk-kaizen-llamaindex-events-77a0c3e1"


class _Collector(BaseEventHandler):
    events: list[BaseEvent] = Field(default_factory=list)

    @classmethod
    def class_name(cls) -> str:
        return "Collector"

    def handle(self, event: BaseEvent, **kwargs: Any) -> Any:
        self.events.append(event)


@pytest.fixture
def collector() -> Iterator[_Collector]:
    handler = _Collector(events=[])
    root = get_dispatcher()
    root.add_event_handler(handler)
    yield handler
    root.event_handlers.remove(handler)


def _ours(collector: _Collector) -> list[KaizenCompressionEvent]:
    return [e for e in collector.events if isinstance(e, KaizenCompressionEvent)]


def test_query_emits_a_compression_event_inside_a_span(collector: _Collector) -> None:
    kaizen = KaizenNodePostprocessor()
    index().as_query_engine(llm=echo_llm(), node_postprocessors=[kaizen], similarity_top_k=3).query(
        "who?"
    )
    (event,) = _ours(collector)
    assert event.tokens_saved == kaizen.savings.tokens_saved > 0
    assert event.tokens_before - event.tokens_after == event.tokens_saved
    assert (event.nodes, event.nodes_compressed, event.backend) == (3, 2, "local")
    assert event.span_id is not None and "KaizenNodePostprocessor" in event.span_id
    assert event.model_dump()["class_name"] == "KaizenCompressionEvent"


async def test_async_path_emits_too(collector: _Collector) -> None:
    kaizen = KaizenNodePostprocessor()
    nodes = [NodeWithScore(node=TextNode(text=json.dumps(rows(20))), score=1.0)]
    await kaizen.apostprocess_nodes(nodes)
    (event,) = _ours(collector)
    assert event.nodes_compressed == 1 and event.span_id is not None


def test_failure_emits_an_error_event_without_the_key(collector: _Collector) -> None:
    # remote mode against a port nothing listens on
    config = KaizenClientConfig(base_url="http://127.0.0.1:9", api_key=SECRET, max_retries=0)
    with KaizenSyncClient(config) as client:
        kaizen = KaizenNodePostprocessor(client=client)
        nodes = [NodeWithScore(node=TextNode(text=json.dumps(rows(20))), score=1.0)]
        assert kaizen.postprocess_nodes(nodes) is nodes
    assert kaizen.savings.failures == 1
    errors = [e for e in collector.events if isinstance(e, KaizenCompressionErrorEvent)]
    assert len(errors) == 1 and errors[0].backend == "remote"
    assert SECRET not in errors[0].model_dump_json()
