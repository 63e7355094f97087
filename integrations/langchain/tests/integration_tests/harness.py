"""Remote-mode scenarios: each drives the LangChain pieces against ``base_url``.

Replayed and scanned by ``test_cassettes.py`` (the core's ``CassetteSuite``); re-recorded
from a real server on loopback with ``python -m kaizen_client.testing record
integrations/langchain/tests/integration_tests/test_cassettes.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient, testing
from kaizen_client.ktof import decode
from langchain_kaizen import KaizenCallbackHandler, KaizenCompressor

from ..unit_tests.fakes import RecordingChatModel, rows, rows_json

CASSETTES = Path(__file__).resolve().parent / "cassettes"
#: The key the recording server accepts; it must never appear in a cassette.
TEST_KEY = "sk-kaizen-langchain-cassette-9c2e71d4"
WRONG_KEY = "sk-kaizen-langchain-wrong-5a0f3b88"


def _config(base_url: str, key: str = TEST_KEY) -> KaizenClientConfig:
    config: KaizenClientConfig = testing.recording_config(base_url, key)
    return config


def _conversation(offset: int) -> list[Any]:
    return [
        SystemMessage("Answer from the tool results.", id="sys"),
        HumanMessage("Which users are active?", id="h1"),
        AIMessage("", id="a1", tool_calls=[{"name": "users", "args": {}, "id": "call-1"}]),
        ToolMessage(rows_json(30, offset), tool_call_id="call-1", id="t1", name="users"),
    ]


def _check_sent(sent: list[Any], offset: int) -> None:
    original = _conversation(offset)
    assert [type(m) for m in sent] == [type(m) for m in original]
    assert [m.id for m in sent] == [m.id for m in original]
    tool = sent[3]
    assert isinstance(tool, ToolMessage) and tool.tool_call_id == "call-1"
    assert len(str(tool.content)) < len(str(original[3].content))
    assert decode(str(tool.content)) == rows(30, offset)
    # the server runs the same engine: remote output equals local output
    local = KaizenCompressor().invoke(original)
    assert isinstance(local, list) and [m.content for m in local] == [m.content for m in sent]


async def sync_chain(base_url: str) -> None:
    """``KaizenSyncClient``: invoke and batch through a chain; savings reach the handler."""
    client = KaizenSyncClient(_config(base_url))
    try:
        model = RecordingChatModel(messages=iter(["one", "two", "three"]))
        handler = KaizenCallbackHandler()
        chain = KaizenCompressor(client=client) | model | StrOutputParser()
        assert chain.invoke(_conversation(0), config={"callbacks": [handler]}) == "one"
        assert chain.batch([_conversation(1), _conversation(2)]) == ["two", "three"]
        for offset, sent in enumerate(model.received):
            _check_sent(sent, offset)
        assert handler.total.compressions == 1 and handler.total.tokens_saved > 0
    finally:
        client.close()


async def async_chain(base_url: str) -> None:
    """``KaizenClient``: ainvoke goes through the async client natively."""
    client = KaizenClient(_config(base_url))
    try:
        model = RecordingChatModel(messages=iter(["done"]))
        chain = KaizenCompressor(client=client) | model | StrOutputParser()
        assert await chain.ainvoke(_conversation(3)) == "done"
        _check_sent(model.received[0], 3)
    finally:
        await client.close()


async def rejected_key(base_url: str) -> None:
    """A 401 from the server: the original input goes through, the failure is counted."""
    client = KaizenSyncClient(_config(base_url, WRONG_KEY))
    try:
        compressor = KaizenCompressor(client=client)
        original = _conversation(4)
        assert compressor.invoke(original) is original
        assert compressor.failures == 1
    finally:
        client.close()


async def agent_middleware(base_url: str) -> None:
    """``create_agent`` with ``KaizenMiddleware`` in remote mode, sync and async runs."""
    from langchain.agents import create_agent
    from langchain_core.tools import tool

    from langchain_kaizen import KaizenMiddleware

    @tool
    def list_users(limit: int) -> list[dict[str, Any]]:
        """List the users of the system."""
        return rows(limit)

    def scripted() -> RecordingChatModel:
        call = {"name": "list_users", "args": {"limit": 30}, "id": "call-1"}
        return RecordingChatModel(
            messages=iter([AIMessage("", tool_calls=[call]), AIMessage("15 are active.")])
        )

    def check(model: RecordingChatModel, result: dict[str, Any]) -> None:
        tool_sent = model.received[1][-1]
        assert isinstance(tool_sent, ToolMessage)
        assert decode(str(tool_sent.content)) == rows(30)
        stored = [m for m in result["messages"] if isinstance(m, ToolMessage)]
        assert json.loads(str(stored[0].content)) == rows(30)  # the state keeps the JSON

    sync_client = KaizenSyncClient(_config(base_url))
    async_client = KaizenClient(_config(base_url))
    try:
        for client in (sync_client, async_client):
            model = scripted()
            middleware = KaizenMiddleware(compressor=KaizenCompressor(client=client))
            agent = create_agent(model, [list_users], middleware=[middleware])
            question = [HumanMessage("How many users are active?")]
            if client is sync_client:
                check(model, agent.invoke({"messages": question}))
            else:
                check(model, await agent.ainvoke({"messages": question}))
            assert middleware.compressor.failures == 0
    finally:
        sync_client.close()
        await async_client.close()


Scenario = testing.Scenario

SCENARIOS = [
    Scenario("langchain_sync_chain", sync_chain),
    Scenario("langchain_async_chain", async_chain),
    Scenario("langchain_rejected_key", rejected_key),
    Scenario("langchain_agent_middleware", agent_middleware),
]
