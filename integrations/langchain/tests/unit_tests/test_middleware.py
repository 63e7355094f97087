"""KaizenMiddleware in a real create_agent loop: the model sees compressed tool results, the
agent's state keeps the original JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from kaizen_client.ktof import decode
from langchain_kaizen import KaizenCallbackHandler, KaizenCompressor, KaizenMiddleware

from .fakes import RecordingChatModel, rows


@tool
def list_users(limit: int) -> list[dict[str, Any]]:
    """List the users of the system."""
    return rows(limit)


def _scripted_model() -> RecordingChatModel:
    return RecordingChatModel(
        messages=iter(
            [
                AIMessage(
                    "",
                    id="ai-1",
                    tool_calls=[{"name": "list_users", "args": {"limit": 40}, "id": "call-1"}],
                ),
                AIMessage("There are 20 active users.", id="ai-2"),
            ]
        )
    )


def _check_run(model: RecordingChatModel, result: dict[str, Any]) -> None:
    assert len(model.received) == 2
    first, second = model.received
    assert isinstance(first[0], SystemMessage) and first[0].content == "You count users."
    tool_sent = second[-1]
    assert isinstance(tool_sent, ToolMessage) and tool_sent.tool_call_id == "call-1"
    assert decode(str(tool_sent.content)) == rows(40)  # compressed, and lossless
    assert len(str(tool_sent.content)) < len(json.dumps(rows(40)))

    # the agent's own state still holds the tool's original JSON
    stored = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert len(stored) == 1 and json.loads(str(stored[0].content)) == rows(40)
    assert stored[0].content != tool_sent.content
    assert result["messages"][-1].content == "There are 20 active users."


def test_agent_loop_sync() -> None:
    model = _scripted_model()
    handler = KaizenCallbackHandler()
    agent = create_agent(
        model, [list_users], system_prompt="You count users.", middleware=[KaizenMiddleware()]
    )
    result = agent.invoke(
        {"messages": [HumanMessage("How many active users?")]},
        config={"callbacks": [handler]},
    )
    _check_run(model, result)
    assert handler.total.compressions == 2  # one per model call
    assert handler.total.tokens_saved > 0
    assert len(handler.runs) == 1  # both calls belong to the one agent run


async def test_agent_loop_async() -> None:
    model = _scripted_model()
    agent = create_agent(
        model,
        [list_users],
        system_prompt="You count users.",
        middleware=[KaizenMiddleware(compressor=KaizenCompressor(min_tokens_saved=5))],
    )
    result = await agent.ainvoke({"messages": [HumanMessage("How many active users?")]})
    _check_run(model, result)


def test_system_prompt_json_is_compressed_too() -> None:
    model = RecordingChatModel(messages=iter([AIMessage("ok")]))
    system = "Reference data:\n" + json.dumps(rows(30))
    agent = create_agent(model, [], system_prompt=system, middleware=[KaizenMiddleware()])
    result = agent.invoke({"messages": [HumanMessage("hi")]})
    sent_system = model.received[0][0]
    assert isinstance(sent_system, SystemMessage) and len(str(sent_system.content)) < len(system)
    assert decode(str(sent_system.content).removeprefix("Reference data:\n")) == rows(30)
    assert result["messages"][0].content == "hi"


def test_settings_or_compressor_not_both() -> None:
    with pytest.raises(TypeError):
        KaizenMiddleware(compressor=KaizenCompressor(), min_tokens_saved=3)
    assert KaizenMiddleware(on_error="raise").compressor.on_error == "raise"
