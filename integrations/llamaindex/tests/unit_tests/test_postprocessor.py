"""``KaizenNodePostprocessor`` on nodes directly: what changes, what is kept, what is counted."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

import pytest
from llama_index.core import Document
from llama_index.core.schema import (
    MetadataMode,
    NodeRelationship,
    NodeWithScore,
    RelatedNodeInfo,
    TextNode,
)
from pydantic import SecretStr

from kaizen_client.integrations import KaizenCompressionError, SettingsFrozenError
from kaizen_client.ktof import decode
from llama_index.postprocessor.kaizen import CompressedTextNode, KaizenNodePostprocessor, llm_text

from .fakes import PROSE, api_response, jsonl, rows

SECRET = "sk-kaizen-llamaindex-unit-4b1d9e27"


def _nodes() -> list[NodeWithScore]:
    source = RelatedNodeInfo(node_id="doc-1")
    return [
        NodeWithScore(
            node=TextNode(
                text=api_response(),
                id_="n-api",
                metadata={"source": "users-api"},
                relationships={NodeRelationship.SOURCE: source},
            ),
            score=0.9,
        ),
        NodeWithScore(node=TextNode(text=PROSE, id_="n-prose"), score=0.8),
        NodeWithScore(node=TextNode(text=jsonl(), id_="n-jsonl"), score=0.7),
        NodeWithScore(node=TextNode(text='{"a": 1}', id_="n-small"), score=None),
    ]


def test_ids_scores_metadata_relationships_and_order_are_kept() -> None:
    nodes = _nodes()
    out = KaizenNodePostprocessor().postprocess_nodes(nodes)  # no query bundle
    assert [n.node.node_id for n in out] == ["n-api", "n-prose", "n-jsonl", "n-small"]
    assert [n.score for n in out] == [0.9, 0.8, 0.7, None]
    assert out[0].node.metadata == {"source": "users-api"}
    assert out[0].node.relationships == nodes[0].node.relationships
    assert decode(llm_text(out[0].node)) == json.loads(api_response())
    assert out[0].node.get_content() == api_response()  # what sources and citations show
    # untouched nodes are the very same objects; the originals are not mutated
    assert out[1] is nodes[1] and out[3] is nodes[3]
    assert nodes[0].node.get_content() == api_response()


def test_nothing_to_compress_returns_the_same_list() -> None:
    kaizen = KaizenNodePostprocessor()
    nodes = [NodeWithScore(node=TextNode(text=PROSE), score=1.0)]
    assert kaizen.postprocess_nodes(nodes) is nodes
    assert kaizen.postprocess_nodes([]) == []


def test_json_lines_become_one_table() -> None:
    out = KaizenNodePostprocessor().postprocess_nodes(_nodes())
    text = llm_text(out[2].node)
    assert decode(text) == rows(20, 100)  # the list of the records, one per line
    assert [json.loads(line) for line in jsonl().splitlines()] == decode(text)


def test_json_lines_off_or_mixed_lines_are_not_a_list() -> None:
    mixed = jsonl() + "this line is prose\n"
    nodes = [NodeWithScore(node=TextNode(text=mixed))]
    out = KaizenNodePostprocessor().postprocess_nodes(nodes)
    assert "this line is prose" in llm_text(out[0].node)  # prose kept, in place
    nodes = [NodeWithScore(node=TextNode(text=jsonl()))]
    out = KaizenNodePostprocessor(jsonl=False).postprocess_nodes(nodes)
    with pytest.raises(Exception):  # noqa: B017 - no longer one KTOF document
        assert decode(llm_text(out[0].node)) == rows(20, 100)


def test_metadata_keys() -> None:
    meta = {"payload": json.dumps(rows(10)), "record": {"rows": rows(10)}, "other": rows(10)}
    nodes = [NodeWithScore(node=TextNode(text=PROSE, metadata=meta), score=0.5)]
    out = KaizenNodePostprocessor(metadata_keys=["payload", "record", "absent"]).postprocess_nodes(
        nodes
    )
    node = out[0].node
    assert isinstance(node, CompressedTextNode)
    assert node.metadata == meta  # what sources show: the retrieved values
    new = node.llm_metadata  # what the LLM gets
    assert decode(new["payload"]) == rows(10)
    assert decode(new["record"]) == {"rows": rows(10)}
    assert "other" not in new  # not listed: untouched
    llm_view = node.get_content(metadata_mode=MetadataMode.LLM)
    assert new["payload"] in llm_view and json.dumps(rows(10)) not in llm_view
    assert node.get_content() == PROSE and out[0].score == 0.5
    assert nodes[0].node.metadata["payload"] == json.dumps(rows(10))  # original kept
    replaced = KaizenNodePostprocessor(metadata_keys=["payload"], keep_original_text=False)
    assert decode(replaced.postprocess_nodes(nodes)[0].node.metadata["payload"]) == rows(10)


def test_min_chars_and_thresholds() -> None:
    nodes = _nodes()
    kaizen = KaizenNodePostprocessor(min_chars=10_000)
    assert kaizen.postprocess_nodes(nodes) is nodes
    assert kaizen.savings.calls == 0  # nothing was worth sending
    strict = KaizenNodePostprocessor(min_percent_saved=99)
    assert strict.postprocess_nodes(nodes) is nodes
    assert strict.savings.tokens_saved == 0 and strict.savings.calls == 1


def test_savings_per_call_and_cumulative() -> None:
    kaizen = KaizenNodePostprocessor()
    kaizen.postprocess_nodes(_nodes())
    first = kaizen.last_savings
    assert first.nodes == 4 and first.nodes_compressed == 2 and first.tokens_saved > 0
    kaizen.postprocess_nodes(_nodes())
    assert kaizen.savings.calls == 2
    assert kaizen.savings.tokens_saved == 2 * first.tokens_saved
    assert "saved" in kaizen.savings.summary()
    kaizen.reset_savings()
    assert kaizen.savings.calls == 0


def test_compress_text() -> None:
    kaizen = KaizenNodePostprocessor()
    text = "Users:\n" + json.dumps(rows(10)) + "\nThat is all."
    out = kaizen.compress_text(text)
    assert out.startswith("Users:\n") and out.endswith("That is all.")
    assert len(out) < len(text)
    assert kaizen.compress_text(PROSE) == PROSE


class _Broken:
    """A message-level backend whose every call fails (the server said no)."""

    name = "local"

    def compress(self, messages: Sequence[Any]) -> Any:
        raise RuntimeError(f"server said no to key {SECRET}")

    async def acompress(self, messages: Sequence[Any]) -> Any:
        return self.compress(messages)


def _broken(**kwargs: Any) -> KaizenNodePostprocessor:
    kaizen = KaizenNodePostprocessor(
        api_key=SecretStr(SECRET), base_url="http://kaizen.invalid", **kwargs
    )
    kaizen._kaizen.backend = _Broken()
    return kaizen


async def test_failure_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    kaizen = _broken()
    nodes = _nodes()
    with caplog.at_level(logging.WARNING, logger="llama_index.postprocessor.kaizen"):
        assert kaizen.postprocess_nodes(nodes) is nodes
        assert await kaizen.apostprocess_nodes(nodes) is nodes
    assert kaizen.savings.failures == 2 and kaizen.savings.tokens_saved == 0
    assert "original nodes were sent unchanged" in caplog.text
    assert "RuntimeError" in caplog.text and SECRET not in caplog.text


async def test_on_error_raise() -> None:
    kaizen = _broken(on_error="raise")
    with pytest.raises(KaizenCompressionError, match="in KaizenNodePostprocessor") as info:
        kaizen.postprocess_nodes(_nodes())
    assert isinstance(info.value.__cause__, RuntimeError)  # the original, chained
    with pytest.raises(RuntimeError):  # KaizenCompressionError is one
        await kaizen.apostprocess_nodes(_nodes())
    assert kaizen.savings.failures == 2


def test_settings_are_frozen_with_a_clear_error() -> None:
    kaizen = KaizenNodePostprocessor(min_tokens_saved=5)
    with pytest.raises(SettingsFrozenError, match="min_tokens_saved cannot be changed"):
        kaizen.min_tokens_saved = 99_999
    changed = kaizen.with_settings(min_tokens_saved=99_999, metadata_keys=["payload"])
    assert changed.settings.min_tokens_saved == 99_999 and changed.metadata_keys == ["payload"]
    nodes = _nodes()
    assert changed.postprocess_nodes(nodes) is nodes  # its backend uses the new threshold
    assert kaizen.postprocess_nodes(nodes) is not nodes
    kaizen.min_chars = 10_000  # read per call, not a backend setting: allowed and applied
    assert kaizen.postprocess_nodes(nodes) is nodes


def test_the_key_never_shows() -> None:
    kaizen = KaizenNodePostprocessor(api_key=SecretStr(SECRET), base_url="http://kaizen.invalid")
    assert kaizen.is_remote
    for text in (repr(kaizen), str(kaizen), kaizen.to_json(), json.dumps(kaizen.to_dict())):
        assert SECRET not in text


async def test_async_path_does_not_block_the_loop() -> None:
    kaizen = KaizenNodePostprocessor()
    engine_backend = kaizen._kaizen.backend  # the core LocalBackend doing the work
    real = engine_backend.compress

    def slow(messages: list[Any]) -> Any:
        time.sleep(0.3)  # a cold engine call on a big node, exaggerated
        return real(messages)

    object.__setattr__(engine_backend, "compress", slow)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        out = await kaizen.apostprocess_nodes(_nodes(), query_str="who?")
    finally:
        task.cancel()
    assert ticks >= 10
    assert decode(llm_text(out[0].node)) == json.loads(api_response())


def test_documents_as_nodes() -> None:
    document = Document(text=json.dumps(rows(20)), id_="doc", metadata={"page": 3})
    out = KaizenNodePostprocessor().postprocess_nodes([NodeWithScore(node=document, score=0.3)])
    new = out[0].node
    assert isinstance(new, Document) and new.node_id == "doc" and new.metadata == {"page": 3}
    assert decode(new.get_content()) == rows(20) and out[0].score == 0.3  # not a plain TextNode
    assert document.get_content() == json.dumps(rows(20))  # the original is not mutated
