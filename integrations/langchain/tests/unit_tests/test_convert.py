"""The message conversion: roles, untouched fields, content parts and odd inputs."""

from __future__ import annotations

import pytest
from langchain_core.messages import (
    AIMessageChunk,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    HumanMessageChunk,
    RemoveMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_kaizen._convert import from_engine, role_of, to_engine


def test_roles() -> None:
    assert role_of(HumanMessage("x")) == "user"
    assert role_of(HumanMessageChunk(content="x")) == "user"
    assert role_of(AIMessageChunk(content="x")) == "assistant"
    assert role_of(SystemMessage("x")) == "system"
    assert role_of(ToolMessage("x", tool_call_id="c")) == "tool"
    assert role_of(FunctionMessage(content="x", name="f")) == "function"
    assert role_of(ChatMessage(content="x", role="developer")) == "developer"
    assert role_of(RemoveMessage(id="m")) is None


def test_only_role_and_content_go_to_the_engine() -> None:
    message = ToolMessage(
        "[1]", tool_call_id="c", id="t", additional_kwargs={"secret": "s"}, name="n"
    )
    assert to_engine([message, {"role": "user", "content": "x"}, ("human", "hi")]) == [
        {"role": "tool", "content": "[1]"},
        {"role": "user", "content": "x"},
        None,
    ]


def test_round_trip_keeps_every_field_and_unchanged_objects() -> None:
    message = ToolMessage(
        "old",
        tool_call_id="c",
        id="t",
        name="n",
        additional_kwargs={"a": 1},
        response_metadata={"b": 2},
        status="success",
    )
    same = HumanMessage("keep", id="h")
    odd = RemoveMessage(id="gone")
    out = from_engine(
        [message, same, odd],
        [{"role": "tool", "content": "new"}, {"role": "user", "content": "keep"}, None],
    )
    assert out[1] is same and out[2] is odd
    assert out[0].content == "new"
    fields = ("tool_call_id", "id", "name", "additional_kwargs", "response_metadata", "status")
    assert all(getattr(out[0], f) == getattr(message, f) for f in fields)


def test_bare_string_parts_round_trip() -> None:
    message = HumanMessage(content=["plain", {"type": "text", "text": "t"}])
    engine = to_engine([message])
    assert engine[0]["content"][0]["type"] == "text"
    out = from_engine([message], engine)
    assert out[0] is message  # unchanged content is the same object


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="returned 0 messages"):
        from_engine([HumanMessage("x")], [])
    with pytest.raises(ValueError, match="not an object"):
        from_engine([HumanMessage("x")], ["x"])
