"""KaizenCompressor in chains: what the model receives, every invocation style, config, failures."""

from __future__ import annotations

import json
import logging
from typing import Any
from uuid import UUID

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompt_values import ChatPromptValue, StringPromptValue
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from kaizen_client import KaizenClientConfig, KaizenSyncClient
from kaizen_client.integrations import KaizenCompressionError, SettingsFrozenError
from kaizen_client.ktof import decode
from langchain_kaizen import KaizenCompressor
from langchain_kaizen.compressor import CompressorInput

from .fakes import RecordingChatModel, rows, rows_json


def conversation() -> list[BaseMessage]:
    return [
        SystemMessage("Answer from the data.", id="sys-1"),
        HumanMessage("Which users are active?", id="h-1", name="ada"),
        AIMessage(
            "",
            id="ai-1",
            tool_calls=[{"name": "list_users", "args": {"limit": 40}, "id": "call-1"}],
            additional_kwargs={"refusal": None},
            response_metadata={"model_name": "fake"},
        ),
        ToolMessage(
            rows_json(),
            tool_call_id="call-1",
            id="tool-1",
            name="list_users",
            additional_kwargs={"extra": {"k": 1}},
            artifact={"raw": True},
        ),
    ]


def test_model_receives_compressed_tool_result_that_decodes_back() -> None:
    model = RecordingChatModel(messages=iter(["ok"]))
    chain = KaizenCompressor() | model | StrOutputParser()
    original = conversation()

    assert chain.invoke(original) == "ok"

    sent = model.received[0]
    assert len(sent) == len(original)
    tool = sent[3]
    assert isinstance(tool, ToolMessage)
    assert tool.content != original[3].content
    assert len(str(tool.content)) < len(str(original[3].content))
    assert decode(str(tool.content)) == rows()
    # everything but the tool result's content is the same object or the same field
    assert sent[0] is original[0] and sent[1] is original[1] and sent[2] is original[2]
    assert tool.tool_call_id == "call-1" and tool.id == "tool-1" and tool.name == "list_users"
    assert tool.additional_kwargs == {"extra": {"k": 1}} and tool.artifact == {"raw": True}
    # the caller's messages are not mutated
    assert original[3].content == rows_json()


def test_embedded_and_fenced_json_in_prose_and_content_parts() -> None:
    data = rows(20)
    prose = "Here are the orders:\n" + json.dumps(data) + "\nSummarize them."
    fenced = "Look:\n```json\n" + json.dumps(data, indent=2) + "\n```\nThanks."
    parts: list[str | dict[str, Any]] = [
        {"type": "text", "text": json.dumps(data)},
        "a bare string part " + json.dumps(data),
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]
    messages = [HumanMessage(prose), HumanMessage(fenced), HumanMessage(content=parts)]
    out = KaizenCompressor().invoke(messages)
    assert isinstance(out, list)

    first = str(out[0].content)
    assert first.startswith("Here are the orders:\n") and first.endswith("\nSummarize them.")
    body = first.removeprefix("Here are the orders:\n").removesuffix("\nSummarize them.")
    assert decode(body.strip("\n")) == data

    second = str(out[1].content)
    assert "```json" not in second and ("```toon" in second or "```ktof" in second)
    inner = second.split("\n", 2)[2].rsplit("\n```", 1)[0]
    assert decode(inner) == data

    new_parts = out[2].content
    assert isinstance(new_parts, list) and len(new_parts) == 3
    assert isinstance(new_parts[0], dict) and decode(new_parts[0]["text"]) == data
    assert isinstance(new_parts[1], str) and new_parts[1].startswith("a bare string part")
    assert new_parts[2] == parts[2]


def test_assistant_json_and_plain_text_are_left_alone() -> None:
    messages = [AIMessage(rows_json()), HumanMessage("no json here")]
    out = KaizenCompressor().invoke(messages)
    assert isinstance(out, list) and out[0] is messages[0] and out[1] is messages[1]


def test_same_kind_out_as_in() -> None:
    compressor = KaizenCompressor()
    text = "Data: " + rows_json(20)
    out_text = compressor.invoke(text)
    assert isinstance(out_text, str) and len(out_text) < len(text)

    string_value = compressor.invoke(StringPromptValue(text=text))
    assert isinstance(string_value, StringPromptValue) and string_value.text == out_text

    chat = ChatPromptValue(messages=[HumanMessage(text)])
    chat_value = compressor.invoke(chat)
    assert isinstance(chat_value, ChatPromptValue)
    assert chat_value.messages[0].content == out_text

    dicts = compressor.invoke([{"role": "user", "content": text}])
    assert dicts == [{"role": "user", "content": out_text}]

    with pytest.raises(TypeError, match="PromptValue"):
        compressor.invoke(42)  # type: ignore[arg-type]


def test_prompt_template_chain() -> None:
    model = RecordingChatModel(messages=iter(["fine"]))
    prompt = ChatPromptTemplate.from_messages(
        [("system", "You are terse."), ("human", "Data:\n{data}\nQuestion: {q}")]
    )
    chain = prompt | KaizenCompressor() | model | StrOutputParser()
    assert chain.invoke({"data": rows_json(30), "q": "how many?"}) == "fine"
    human = str(model.received[0][1].content)
    assert human.startswith("Data:\n") and human.endswith("\nQuestion: how many?")
    assert decode(human.removeprefix("Data:\n").removesuffix("\nQuestion: how many?")) == rows(30)

    string_chain = PromptTemplate.from_template("Data: {data}") | KaizenCompressor()
    assert isinstance(string_chain.invoke({"data": rows_json(30)}), StringPromptValue)


async def test_every_invocation_style() -> None:
    compressor = KaizenCompressor()
    inputs: list[CompressorInput] = [[HumanMessage(rows_json(30, offset=k))] for k in range(3)]

    def check(out: Any, k: int) -> None:
        assert decode(str(out[0].content)) == rows(30, offset=k)

    check(compressor.invoke(inputs[0]), 0)
    check(await compressor.ainvoke(inputs[1]), 1)
    for k, out in enumerate(compressor.batch(inputs)):
        check(out, k)
    for k, out in enumerate(await compressor.abatch(inputs)):
        check(out, k)
    streamed = list(compressor.stream(inputs[2]))
    assert len(streamed) == 1
    check(streamed[0], 2)
    astreamed = [chunk async for chunk in compressor.astream(inputs[2])]
    assert len(astreamed) == 1
    check(astreamed[0], 2)


async def test_streaming_chain_and_astream_events() -> None:
    model = RecordingChatModel(messages=iter(["a b c", "d e"]))
    chain = KaizenCompressor() | model | StrOutputParser()
    assert "".join(chain.stream([HumanMessage(rows_json())])) == "a b c"
    assert decode(str(model.received[0][0].content)) == rows()

    events = [e async for e in chain.astream_events([HumanMessage(rows_json())], version="v2")]
    names = {(e["event"], e["name"]) for e in events}
    assert ("on_chain_start", "KaizenCompressor") in names
    assert ("on_chain_end", "KaizenCompressor") in names
    custom = [e for e in events if e["event"] == "on_custom_event"]
    assert [e["name"] for e in custom] == ["kaizen_compression"]
    data: dict[str, Any] = dict(custom[0]["data"])
    assert data["tokens_saved"] > 0 and data["source"] == "KaizenCompressor"


class _Spy(BaseCallbackHandler):
    def __init__(self) -> None:
        self.starts: list[tuple[str, list[str], dict[str, Any], UUID | None]] = []
        self.custom: list[tuple[str, Any]] = []

    def on_chain_start(
        self,
        serialized: Any,
        inputs: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.starts.append((kwargs.get("name") or "", tags or [], metadata or {}, parent_run_id))

    def on_custom_event(self, name: str, data: Any, **kwargs: Any) -> None:
        self.custom.append((name, data))


def test_named_step_and_config_propagation() -> None:
    spy = _Spy()
    model = RecordingChatModel(messages=iter(["ok"]))
    chain = KaizenCompressor() | model
    chain.invoke(
        [HumanMessage(rows_json())],
        config={"callbacks": [spy], "tags": ["t1"], "metadata": {"m": 1}, "run_name": "outer"},
    )
    by_name = {name: (tags, meta, parent) for name, tags, meta, parent in spy.starts}
    assert "KaizenCompressor" in by_name
    tags, meta, parent = by_name["KaizenCompressor"]
    assert "t1" in tags and meta.get("m") == 1 and parent is not None
    assert [name for name, _ in spy.custom] == ["kaizen_compression"]

    named = KaizenCompressor().with_config(run_name="shrink")
    spy2 = _Spy()
    named.invoke("x", config={"callbacks": [spy2]})
    assert spy2.starts[0][0] == "shrink"


def _failing_remote() -> KaizenCompressor:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    config = KaizenClientConfig(
        base_url="http://127.0.0.1:9", api_key="sk-kaizen-unit-secret-123", max_retries=0
    )
    client = KaizenSyncClient(config, transport=httpx.MockTransport(refuse))
    return KaizenCompressor(client=client)


async def test_remote_down_falls_back_warns_and_counts(caplog: pytest.LogCaptureFixture) -> None:
    compressor = _failing_remote()
    messages = [HumanMessage(rows_json())]
    with caplog.at_level(logging.WARNING, logger="langchain_kaizen"):
        out = compressor.invoke(messages)
        aout = await compressor.ainvoke(messages)
    assert out is messages and aout is messages
    assert compressor.failures == 2
    assert "KaizenRequestError" in caplog.text
    assert "sk-kaizen-unit-secret-123" not in caplog.text

    spy = _Spy()
    compressor.invoke(messages, config={"callbacks": [spy]})
    assert spy.custom[0][0] == "kaizen_compression_error"
    assert "sk-kaizen-unit-secret-123" not in json.dumps(spy.custom)


def test_bad_data_falls_back_and_on_error_raise_raises() -> None:
    # NaN cannot be sent to a server as JSON: the request fails before any I/O
    weird = [HumanMessage(content=[{"type": "blob", "value": float("nan")}, rows_json()])]
    remote = _failing_remote()
    assert remote.invoke(weird) is weird
    assert remote.failures == 1

    strict = KaizenCompressor(client=remote.client, on_error="raise")
    with pytest.raises(KaizenCompressionError, match="in KaizenCompressor") as info:
        strict.invoke(weird)
    assert isinstance(info.value.__cause__, ValueError)  # the original, chained
    assert strict.failures == 1


def test_settings_are_frozen_with_a_clear_error() -> None:
    """A setting changed after construction would be silently ignored: it is refused."""
    compressor = KaizenCompressor(min_tokens_saved=5)
    with pytest.raises(SettingsFrozenError, match="min_tokens_saved cannot be changed"):
        compressor.min_tokens_saved = 500
    with pytest.raises(AttributeError, match=r"with_settings\(base_url="):
        compressor.base_url = "http://kaizen.test"
    assert compressor.min_tokens_saved == 5 and not compressor.is_remote
    changed = compressor.with_settings(min_tokens_saved=99_999, mode="toon")
    assert (changed.min_tokens_saved, changed.mode) == (99_999, "toon")
    assert changed.settings.options.min_tokens_saved == 99_999  # its backend uses it
    big = [HumanMessage(rows_json())]
    assert compressor.invoke(big) is not big and changed.invoke(big) is big
    compressor.name = "renamed"  # not a setting: allowed
    assert compressor.get_name() == "renamed"


def test_repr_and_str_hide_the_key() -> None:
    compressor = _failing_remote()
    assert compressor.is_remote
    for text in (repr(compressor), str(compressor), repr(compressor.api_key)):
        assert "sk-kaizen-unit-secret-123" not in text
    local = KaizenCompressor()
    assert not local.is_remote and not KaizenCompressor(base_url="local").is_remote
