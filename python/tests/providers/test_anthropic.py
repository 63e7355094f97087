"""wrap_anthropic end to end: the real Anthropic SDK over its HTTP stack, against the loopback fake.

As for OpenAI, each call goes through a wrapped and an unwrapped client and the fake's
records are compared: compressed strings decode to exactly the original JSON, everything
else (ids, tool_use blocks, cache_control, parameters) arrived identical.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

anthropic = pytest.importorskip("anthropic")

from kaizen_client import KaizenClient, KaizenClientConfig  # noqa: E402
from kaizen_client.integrations.anthropic import (  # noqa: E402
    AnthropicKaizenWrapper,
    kaizen_call,
    kaizen_state,
    wrap_anthropic,
)
from kaizen_client.integrations.fake_providers import FakeProvider, Recorded  # noqa: E402

from .conftest import DUMMY_KEY, ROWS_TEXT, TOON_DATA, TOON_REPLY, compare_bodies  # noqa: E402

MODEL = "claude-haiku-4-5"
TOOLS = [{"name": "orders", "description": "List orders", "input_schema": {"type": "object"}}]
USE = {"type": "tool_use", "id": "toolu_01", "name": "orders", "input": {"day": "mon"}}
MESSAGES: list[dict[str, Any]] = [
    {"role": "user", "content": "Which orders shipped?"},
    {"role": "assistant", "content": [USE]},
    {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": ROWS_TEXT}],
    },
]
_VARYING_HEADERS = {"content-length", "x-stainless-retry-count", "x-stainless-read-timeout"}


def _clients(fake: FakeProvider, **options: Any) -> tuple[Any, Any]:
    plain = anthropic.Anthropic(base_url=fake.url, api_key=DUMMY_KEY)
    wrapped = anthropic.Anthropic(base_url=fake.url, api_key=DUMMY_KEY)
    return wrap_anthropic(wrapped, **options), plain


def _compare(fake: FakeProvider) -> list[str]:
    sent, plain = fake.requests[-2:]
    assert isinstance(sent, Recorded) and sent.path == plain.path == "/v1/messages"
    for name in set(sent.headers) | set(plain.headers):
        if name not in _VARYING_HEADERS:
            assert sent.headers.get(name) == plain.headers.get(name), name
    return compare_bodies(sent.json, plain.json)


def test_create_compresses_tool_results_only(fake: FakeProvider) -> None:
    wrapped, plain = _clients(fake)
    kwargs: dict[str, Any] = dict(
        model=MODEL, max_tokens=256, system="Be brief.", tools=TOOLS, messages=MESSAGES
    )
    response = wrapped.messages.create(**kwargs)
    plain.messages.create(**kwargs)
    assert _compare(fake) == ["$.messages[2].content[0].content"]
    call = kaizen_call(response)
    assert call is not None and call.savings is not None and call.savings.tokens_saved > 0
    assert not call.exact  # Claude counts are estimates
    assert call.decoded is None


def test_text_block_lists_inside_tool_results(fake: FakeProvider) -> None:
    messages = copy.deepcopy(MESSAGES)
    blocks = [{"type": "text", "text": "Result:"}, {"type": "text", "text": ROWS_TEXT}]
    messages[2]["content"][0]["content"] = blocks
    wrapped, plain = _clients(fake)
    wrapped.messages.create(model=MODEL, max_tokens=64, messages=messages)
    plain.messages.create(model=MODEL, max_tokens=64, messages=messages)
    assert _compare(fake) == ["$.messages[2].content[0].content[1].text"]


def test_cache_control_prefix_is_sent_as_given(fake: FakeProvider) -> None:
    cached = copy.deepcopy(MESSAGES)
    cached[2]["content"][0]["cache_control"] = {"type": "ephemeral"}
    later = [
        {"role": "assistant", "content": [{**USE, "id": "toolu_02"}]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "toolu_02", "content": ROWS_TEXT}],
        },
    ]
    wrapped, plain = _clients(fake)
    wrapped.messages.create(model=MODEL, max_tokens=64, messages=cached + later)
    plain.messages.create(model=MODEL, max_tokens=64, messages=cached + later)
    # The breakpoint's message and everything before it are untouched; after it, compressed.
    assert _compare(fake) == ["$.messages[4].content[0].content"]
    assert fake.requests[-2].json["messages"][2] == cached[2]

    whole = {"type": "ephemeral"}
    wrapped.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES, cache_control=whole)
    plain.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES, cache_control=whole)
    assert _compare(fake) == []  # automatic caching of the whole prompt: nothing rewritten


def test_streams_sync(fake: FakeProvider) -> None:
    wrapped, plain = _clients(fake, decode_replies=True)
    stream = wrapped.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES, stream=True)
    kinds = [event.type for event in stream]
    plain_kinds = [
        e.type
        for e in plain.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES, stream=True)
    ]
    assert _compare(fake) == ["$.messages[2].content[0].content"]
    assert kinds == plain_kinds and stream.kaizen.decoded == TOON_DATA

    with wrapped.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as events:
        text = events.get_final_text()
    with plain.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as events:
        events.get_final_text()
    assert _compare(fake) == ["$.messages[2].content[0].content"] and text == TOON_REPLY
    assert kaizen_state(wrapped).totals.calls == 2


async def test_async_create_and_stream(fake: FakeProvider) -> None:
    wrapped = wrap_anthropic(
        anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY), decode_replies=True
    )
    plain = anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY)
    response = await wrapped.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES)
    await plain.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES)
    assert _compare(fake) == ["$.messages[2].content[0].content"]
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]

    stream = await wrapped.messages.create(
        model=MODEL, max_tokens=64, messages=MESSAGES, stream=True
    )
    async for _ in stream:
        pass
    assert stream.kaizen.decoded == TOON_DATA

    async with wrapped.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as events:
        text = await events.get_final_text()
    async with plain.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as events:
        await events.get_final_text()
    assert _compare(fake) == ["$.messages[2].content[0].content"] and text == TOON_REPLY
    assert kaizen_state(wrapped).totals.calls == 3


def test_retries_errors_and_wrapping_twice(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    assert wrap_anthropic(wrapped) is wrapped
    fake.fail(529)
    fake.fail(500)
    wrapped.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES)
    assert len(fake.requests) == 3 and len({r.body for r in fake.requests}) == 1
    assert kaizen_state(wrapped).totals.calls == 1
    fake.fail(429, times=3)
    with pytest.raises(anthropic.RateLimitError):
        wrapped.messages.create(model=MODEL, max_tokens=64, messages=MESSAGES)


async def test_014_wrapper_runs_unchanged(fake: FakeProvider, monkeypatch: Any) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
    wrapper = AnthropicKaizenWrapper(kaizen)
    messages = [{"role": "system", "content": "Be brief."}, *MESSAGES]
    result = await wrapper.chat(messages, stop_sequences=["END"])
    assert set(result) == {"encoded", "anthropic_response", "decoded"}
    assert result["decoded"]["result"] == TOON_DATA
    sent = fake.last().json
    assert sent["system"] == "Be brief." and sent["max_tokens"] == 1024
    assert sent["stop_sequences"] == ["END"]
    assert sent["messages"] == result["encoded"]["result"]
    assert sent["model"] == "claude-3-5-sonnet-20240620"


def test_parse(fake: FakeProvider) -> None:
    from pydantic import BaseModel

    class Answer(BaseModel):
        items: list[dict[str, int]]

    fake.reply = '{"items": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}'
    wrapped, plain = _clients(fake, decode_replies=True)
    parsed = wrapped.messages.parse(
        model=MODEL, max_tokens=64, messages=MESSAGES, output_format=Answer
    )
    plain.messages.parse(model=MODEL, max_tokens=64, messages=MESSAGES, output_format=Answer)
    assert _compare(fake) == ["$.messages[2].content[0].content"]
    assert parsed.parsed_output == Answer(**TOON_DATA)
    assert kaizen_call(parsed).decoded == TOON_DATA


async def test_async_parse(fake: FakeProvider) -> None:
    from pydantic import BaseModel

    class Answer(BaseModel):
        items: list[dict[str, int]]

    fake.reply = '{"items": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}'
    wrapped = wrap_anthropic(
        anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY), decode_replies=True
    )
    plain = anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY)
    parsed = await wrapped.messages.parse(
        model=MODEL, max_tokens=64, messages=MESSAGES, output_format=Answer
    )
    plain_parsed = await plain.messages.parse(
        model=MODEL, max_tokens=64, messages=MESSAGES, output_format=Answer
    )
    assert _compare(fake) == ["$.messages[2].content[0].content"]
    assert parsed.parsed_output == Answer(**TOON_DATA)
    assert parsed.model_dump() == plain_parsed.model_dump()  # reply untouched
    call = kaizen_call(parsed)
    assert call is not None and call.endpoint == "messages.parse" and call.decoded == TOON_DATA
    assert call.savings is not None and call.savings.tokens_saved > 0


def test_stream_helper_decodes_the_reply_when_its_with_ends(fake: FakeProvider) -> None:
    from anthropic.lib.streaming import MessageStream

    wrapped, plain = _clients(fake, decode_replies=True)
    manager = wrapped.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES)
    with manager as stream:
        assert isinstance(stream, MessageStream)  # the SDK's own object
        events = [event.model_dump() for event in stream]
    with plain.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as plain_stream:
        plain_events = [event.model_dump() for event in plain_stream]
    assert _compare(fake) == ["$.messages[2].content[0].content"] and events == plain_events
    call = kaizen_call(stream)
    assert call is not None and call is manager.kaizen and call.endpoint == "messages.stream"
    assert call.text == TOON_REPLY and call.decoded == TOON_DATA and call.savings is not None

    quiet, _ = _clients(fake)  # decoding off by default, on for one call
    with quiet.messages.stream(
        model=MODEL, max_tokens=64, messages=MESSAGES, kaizen_decode_reply=True
    ) as stream:
        stream.until_done()
    assert "kaizen_decode_reply" not in fake.last().json
    assert kaizen_call(stream).decoded == TOON_DATA  # type: ignore[union-attr]
    with quiet.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as stream:
        stream.until_done()
    call = kaizen_call(stream)
    assert call is not None and call.savings is not None and call.decoded is None


async def test_async_stream_helper_decodes_the_reply_when_its_with_ends(fake: FakeProvider) -> None:
    from anthropic.lib.streaming import AsyncMessageStream

    wrapped = wrap_anthropic(
        anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY), decode_replies=True
    )
    plain = anthropic.AsyncAnthropic(base_url=fake.url, api_key=DUMMY_KEY)
    manager = wrapped.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES)
    assert manager.kaizen is None  # compressed (awaited) only when entered
    async with manager as stream:
        assert isinstance(stream, AsyncMessageStream)
        events = [event.model_dump() async for event in stream]
    async with plain.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as other:
        plain_events = [event.model_dump() async for event in other]
    assert _compare(fake) == ["$.messages[2].content[0].content"] and events == plain_events
    call = kaizen_call(stream)
    assert call is not None and call is manager.kaizen
    assert call.decoded == TOON_DATA and call.text == TOON_REPLY

    fake.reply = '{"rows": [1, 2, 3]}'
    async with wrapped.messages.stream(model=MODEL, max_tokens=64, messages=MESSAGES) as early:
        first = await early.__anext__()  # left after the first event
    assert first.type == "message_start"
    call = kaizen_call(early)
    assert call is not None and call.text is None and call.decoded is None  # nothing guessed
