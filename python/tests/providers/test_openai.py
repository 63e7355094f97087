"""wrap_openai end to end: the real OpenAI SDK, over its HTTP stack, against a loopback fake.

Each test makes the same call through a wrapped and an unwrapped client and compares what
the fake provider received: the JSON strings are smaller and decode back to exactly the
original, everything else arrived identical.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import openai
import pytest
from openai import AsyncOpenAI, AzureOpenAI, OpenAI
from pydantic import BaseModel

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient
from kaizen_client.integrations import KaizenCompressionError
from kaizen_client.integrations.fake_providers import FakeProvider, Recorded
from kaizen_client.integrations.openai import (
    OpenAIKaizenWrapper,
    kaizen_call,
    kaizen_state,
    wrap_openai,
)

from .conftest import DUMMY_KEY, ROWS, ROWS_TEXT, TOON_DATA, TOON_REPLY, compare_bodies

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "orders",
            "description": "List orders",
            "parameters": {"type": "object", "properties": {"day": {"type": "string"}}},
        },
    }
]
CALL = {
    "id": "call_abc1",
    "type": "function",
    "function": {"name": "orders", "arguments": '{"day": "mon"}'},
}
CHAT = [
    {"role": "system", "content": "Answer briefly."},
    {"role": "user", "content": [{"type": "text", "text": "Which orders shipped?"}]},
    {"role": "assistant", "content": None, "tool_calls": [CALL]},
    {"role": "tool", "tool_call_id": "call_abc1", "content": ROWS_TEXT},
]
INPUT = [
    {"role": "user", "content": [{"type": "input_text", "text": "Orders as JSON:\n" + ROWS_TEXT}]},
    {"type": "function_call", "call_id": "call_abc1", "name": "orders", "arguments": "{}"},
    {"type": "function_call_output", "call_id": "call_abc1", "output": ROWS_TEXT},
]
_VARYING_HEADERS = {"content-length", "x-stainless-retry-count", "x-stainless-read-timeout"}


def _clients(fake: FakeProvider, **options: Any) -> tuple[OpenAI, OpenAI]:
    url = fake.url + "/v1"
    plain = OpenAI(base_url=url, api_key=DUMMY_KEY, max_retries=2)
    return wrap_openai(OpenAI(base_url=url, api_key=DUMMY_KEY, max_retries=2), **options), plain


def _async_clients(fake: FakeProvider, **options: Any) -> tuple[AsyncOpenAI, AsyncOpenAI]:
    url = fake.url + "/v1"
    plain = AsyncOpenAI(base_url=url, api_key=DUMMY_KEY)
    return wrap_openai(AsyncOpenAI(base_url=url, api_key=DUMMY_KEY), **options), plain


def _compare(sent: Recorded, plain: Recorded) -> list[str]:
    assert sent.path == plain.path and sent.query == plain.query
    for name in set(sent.headers) | set(plain.headers):
        if name not in _VARYING_HEADERS:
            assert sent.headers.get(name) == plain.headers.get(name), name
    assert len(sent.body) < len(plain.body)
    return compare_bodies(sent.json, plain.json)


def _pair(fake: FakeProvider) -> tuple[Recorded, Recorded]:
    sent, plain = fake.requests[-2:]
    return sent, plain


def test_chat_create_sends_the_tool_result_compressed_and_everything_else_as_is(
    fake: FakeProvider,
) -> None:
    wrapped, plain = _clients(fake)
    kwargs: dict[str, Any] = dict(
        model="gpt-4o", messages=CHAT, tools=TOOLS, temperature=0.2, seed=7
    )
    response = wrapped.chat.completions.create(**kwargs)
    plain_response = plain.chat.completions.create(**kwargs)
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]
    assert response.model_dump() == plain_response.model_dump()  # reply untouched
    call = kaizen_call(response)
    assert call is not None and call.savings is not None and call.error is None
    assert call.savings.tokens_saved > 0 and call.exact and call.savings.model == "gpt-4o"
    assert call.decoded is None  # decoding is opt-in
    assert CHAT[3]["content"] == ROWS_TEXT  # the caller's messages are not mutated
    totals = kaizen_state(wrapped).totals
    assert (totals.calls, totals.items, totals.items_compressed) == (1, 4, 1)
    assert totals.tokens_saved == call.savings.tokens_saved


def test_chat_stream_and_decoded_reply(fake: FakeProvider) -> None:
    wrapped, plain = _clients(fake, decode_replies=True)
    stream = wrapped.chat.completions.create(model="gpt-4o", messages=CHAT, stream=True)
    chunks = list(stream)
    plain_chunks = list(plain.chat.completions.create(model="gpt-4o", messages=CHAT, stream=True))
    _compare(*_pair(fake))
    assert [c.model_dump() for c in chunks] == [c.model_dump() for c in plain_chunks]
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == TOON_REPLY
    assert stream.kaizen.decoded == TOON_DATA
    assert kaizen_call(stream) is stream.kaizen and stream.kaizen.savings is not None
    assert stream.response.status_code == 200  # the SDK stream's own attributes


def test_chat_parse_and_stream_helper(fake: FakeProvider) -> None:
    class Answer(BaseModel):
        items: list[dict[str, int]]

    fake.reply = json.dumps(TOON_DATA)
    wrapped, plain = _clients(fake, decode_replies=True)
    parsed = wrapped.chat.completions.parse(model="gpt-4o", messages=CHAT, response_format=Answer)
    plain.chat.completions.parse(model="gpt-4o", messages=CHAT, response_format=Answer)
    _compare(*_pair(fake))
    assert parsed.choices[0].message.parsed == Answer(**TOON_DATA)
    assert kaizen_call(parsed).decoded == TOON_DATA  # type: ignore[union-attr]

    with wrapped.chat.completions.stream(model="gpt-4o", messages=CHAT) as stream:
        events = [event.type for event in stream]
        final = stream.get_final_completion()
    with plain.chat.completions.stream(model="gpt-4o", messages=CHAT) as stream:
        plain_events = [event.type for event in stream]
    _compare(*_pair(fake))
    assert events == plain_events and final.choices[0].message.content == fake.reply


def test_responses_items_parts_and_string_input(fake: FakeProvider) -> None:
    wrapped, plain = _clients(fake, decode_replies=True)
    response = wrapped.responses.create(model="gpt-4.1", input=INPUT, instructions="Be brief.")
    plain.responses.create(model="gpt-4.1", input=INPUT, instructions="Be brief.")
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    sent = fake.requests[-2].json["input"][0]["content"][0]["text"]
    assert sent.startswith("Orders as JSON:\n")  # the prose around the JSON is kept
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]

    wrapped.responses.create(model="gpt-4.1", input=ROWS_TEXT)
    plain.responses.create(model="gpt-4.1", input=ROWS_TEXT)
    assert _compare(*_pair(fake)) == ["$.input"]

    with wrapped.responses.stream(model="gpt-4.1", input=INPUT) as stream:
        events = [event.type for event in stream]
        final = stream.get_final_response()
    assert "response.output_text.delta" in events and final.output_text == TOON_REPLY
    assert fake.requests[-1].json["input"] == fake.requests[-5].json["input"]


def test_responses_create_stream_is_read_at_its_end(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    stream = wrapped.responses.create(
        model="gpt-4.1", input=INPUT, stream=True, kaizen_decode_reply=True
    )
    with stream:
        kinds = [event.type for event in stream]
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert stream.kaizen.decoded == TOON_DATA
    assert "kaizen_decode_reply" not in fake.last().json  # the per-call flag is ours


async def test_async_chat_responses_and_streams(fake: FakeProvider) -> None:
    wrapped, plain = _async_clients(fake, decode_replies=True)
    response = await wrapped.chat.completions.create(model="gpt-4o", messages=CHAT)
    await plain.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]

    stream = await wrapped.chat.completions.create(model="gpt-4o", messages=CHAT, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream])
    assert text == TOON_REPLY and stream.kaizen.decoded == TOON_DATA

    await wrapped.responses.create(model="gpt-4.1", input=INPUT)
    await plain.responses.create(model="gpt-4.1", input=INPUT)
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]

    async with wrapped.responses.stream(model="gpt-4.1", input=INPUT) as events:
        final = await events.get_final_response()
    assert final.output_text == TOON_REPLY
    async with wrapped.chat.completions.stream(model="gpt-4o", messages=CHAT) as chunks:
        completion = await chunks.get_final_completion()
    assert completion.choices[0].message.content == TOON_REPLY
    assert fake.last().json["messages"] == fake.requests[0].json["messages"]
    assert kaizen_state(wrapped).totals.calls == 5


async def test_async_parse(fake: FakeProvider) -> None:
    class Answer(BaseModel):
        items: list[dict[str, int]]

    fake.reply = json.dumps(TOON_DATA)
    wrapped, plain = _async_clients(fake)
    parsed = await wrapped.chat.completions.parse(
        model="gpt-4o", messages=CHAT, response_format=Answer
    )
    await plain.chat.completions.parse(model="gpt-4o", messages=CHAT, response_format=Answer)
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]
    assert parsed.choices[0].message.parsed == Answer(**TOON_DATA)
    response = await wrapped.responses.parse(model="gpt-4.1", input=INPUT, text_format=Answer)
    await plain.responses.parse(model="gpt-4.1", input=INPUT, text_format=Answer)
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    assert response.output_parsed == Answer(**TOON_DATA)


def test_sdk_retries_send_the_same_compressed_body_once_compressed(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    fake.fail(429)
    fake.fail(500)
    response = wrapped.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert [r.headers.get("x-stainless-retry-count") for r in fake.requests] == ["0", "1", "2"]
    assert len({r.body for r in fake.requests}) == 1  # every attempt sent the same bytes
    assert kaizen_state(wrapped).totals.calls == 1  # compressed once, not per attempt
    assert kaizen_call(response) is not None


def test_provider_errors_reach_the_caller_unchanged(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    fake.fail(429, times=3)
    with pytest.raises(openai.RateLimitError) as caught:
        wrapped.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert caught.value.status_code == 429
    fake.fail(400)
    with pytest.raises(openai.BadRequestError):
        wrapped.responses.create(model="gpt-4.1", input=INPUT)


def test_wrapping_twice_compresses_once(fake: FakeProvider) -> None:
    client = OpenAI(base_url=fake.url + "/v1", api_key=DUMMY_KEY)
    once = wrap_openai(client)
    twice = wrap_openai(once)
    assert twice is client and isinstance(twice, OpenAI)
    twice.chat.completions.create(model="gpt-4o", messages=CHAT)
    _, plain = _clients(fake)
    plain.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]
    assert kaizen_state(twice).totals.calls == 1


def test_copies_raw_responses_and_azure_are_wrapped(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    copy = wrapped.with_options(timeout=30)
    copy.chat.completions.create(model="gpt-4o", messages=CHAT)
    raw = wrapped.chat.completions.with_raw_response.create(model="gpt-4o", messages=CHAT)
    assert raw.parse().choices[0].message.content == TOON_REPLY
    assert fake.requests[0].body == fake.requests[1].body
    assert kaizen_state(wrapped).totals.calls == 2  # the copy shares the totals

    azure = wrap_openai(
        AzureOpenAI(azure_endpoint=fake.url, api_key=DUMMY_KEY, api_version="2024-10-21")
    )
    azure.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert fake.last().path == "/openai/deployments/gpt-4o/chat/completions"
    assert fake.last().json["messages"] == fake.requests[0].json["messages"]


def test_counts_are_exact_for_openai_models_and_estimates_otherwise(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    exact = kaizen_call(wrapped.chat.completions.create(model="gpt-4o", messages=CHAT))
    other = kaizen_call(wrapped.chat.completions.create(model="llama-3.1-70b", messages=CHAT))
    assert exact is not None and other is not None
    assert exact.exact and not other.exact
    assert other.savings is not None and other.savings.model == "llama-3.1-70b"
    fixed, _ = _clients(fake, model="gpt-4")
    call = kaizen_call(fixed.chat.completions.create(model="my-model", messages=CHAT))
    assert call is not None and call.savings is not None and call.savings.model == "gpt-4"


def test_prose_replies_are_not_decoded_and_the_response_is_unchanged(fake: FakeProvider) -> None:
    fake.reply = "Sorry: I could not find any orders."
    wrapped, _ = _clients(fake, decode_replies=True)
    response = wrapped.chat.completions.create(model="gpt-4o", messages=CHAT)
    call = kaizen_call(response)
    assert call is not None and call.decoded is None and call.text == fake.reply
    assert response.choices[0].message.content == fake.reply


def test_kaizen_failures_fail_open_or_raise(fake: FakeProvider, caplog: Any) -> None:
    secret = "kz-secret-key-271828"
    dead = "http://127.0.0.1:9"  # nothing listens on the discard port
    config = KaizenClientConfig(base_url=dead, api_key=secret, max_retries=0)
    wrapped, plain = _clients(fake, kaizen=KaizenSyncClient(config))
    with caplog.at_level(logging.WARNING):
        response = wrapped.chat.completions.create(model="gpt-4o", messages=CHAT)
    plain.chat.completions.create(model="gpt-4o", messages=CHAT)
    sent, unwrapped = _pair(fake)
    assert sent.body == unwrapped.body  # the original messages went on
    call = kaizen_call(response)
    assert call is not None and call.error and call.savings is None
    assert kaizen_state(wrapped).totals.failures == 1
    assert secret not in caplog.text and "Kaizen compression failed" in caplog.text

    strict, _ = _clients(fake, kaizen=KaizenSyncClient(config), on_error="raise")
    before = len(fake.requests)
    with pytest.raises(KaizenCompressionError) as caught:
        strict.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert secret not in str(caught.value) and len(fake.requests) == before


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(TypeError, match="min_tokens"):
        wrap_openai(OpenAI(api_key=DUMMY_KEY), min_tokens=3)


async def test_014_wrapper_runs_unchanged(fake: FakeProvider, monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url + "/v1")
    kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
    wrapper = OpenAIKaizenWrapper(kaizen, model="gpt-4o-mini")
    result = await wrapper.chat(CHAT, temperature=0)
    assert set(result) == {"encoded", "openai_response", "decoded"}
    assert result["openai_response"].output_text == TOON_REPLY
    assert result["decoded"]["result"] == TOON_DATA
    sent = fake.last().json
    assert sent["model"] == "gpt-4o-mini" and sent["temperature"] == 0
    assert sent["input"] == result["encoded"]["result"]
    assert result["encoded"]["report"]["tokens_saved"] > 0
    assert json.loads(json.dumps(ROWS)) == ROWS


def test_dollars_come_from_litellms_price_map_or_not_at_all(fake: FakeProvider) -> None:
    from kaizen_client.integrations import _prices

    wrapped, _ = _clients(fake)
    call = kaizen_call(wrapped.chat.completions.create(model="gpt-4o", messages=CHAT))
    assert call is not None
    price = _prices.input_price("gpt-4o")
    if price is None:  # LiteLLM not installed: no guess
        assert call.dollars_saved is None
    else:
        assert call.dollars_saved == pytest.approx(price * call.tokens_saved)
    unknown = kaizen_call(wrapped.chat.completions.create(model="no-such-model-x", messages=CHAT))
    assert unknown is not None and unknown.dollars_saved is None


def test_concurrent_calls_are_all_counted(fake: FakeProvider) -> None:
    from concurrent.futures import ThreadPoolExecutor

    wrapped, _ = _clients(fake)
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(
                lambda _: wrapped.chat.completions.create(model="gpt-4o", messages=CHAT), range(24)
            )
        )
    totals = kaizen_state(wrapped).totals
    assert totals.calls == 24 and totals.failures == 0
    assert totals.tokens_saved == sum(kaizen_call(r).tokens_saved for r in responses)  # type: ignore[union-attr]
    assert len({r.body for r in fake.requests}) == 1


def test_a_stream_closed_early_reads_what_arrived(fake: FakeProvider) -> None:
    fake.reply = '{"rows": [1, 2, 3]}'
    wrapped, _ = _clients(fake, decode_replies=True)
    stream = wrapped.chat.completions.create(model="gpt-4o", messages=CHAT, stream=True)
    with stream:
        first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    assert stream.kaizen.text == "" and stream.kaizen.decoded is None  # read, nothing guessed


class _Answer(BaseModel):
    items: list[dict[str, int]]


def test_sync_responses_parse(fake: FakeProvider) -> None:
    fake.reply = json.dumps(TOON_DATA)
    wrapped, plain = _clients(fake, decode_replies=True)
    response = wrapped.responses.parse(model="gpt-4.1", input=INPUT, text_format=_Answer)
    plain_response = plain.responses.parse(model="gpt-4.1", input=INPUT, text_format=_Answer)
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    assert response.output_parsed == _Answer(**TOON_DATA)
    assert response.model_dump() == plain_response.model_dump()  # reply untouched
    call = kaizen_call(response)
    assert call is not None and call.savings is not None and call.savings.tokens_saved > 0
    assert call.endpoint == "responses.parse" and call.decoded == TOON_DATA


async def test_async_raw_responses_and_copies(fake: FakeProvider) -> None:
    wrapped, plain = _async_clients(fake)
    copy = wrapped.with_options(timeout=30)
    assert isinstance(copy, AsyncOpenAI)
    await copy.chat.completions.create(model="gpt-4o", messages=CHAT)
    await plain.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]

    raw = await wrapped.chat.completions.with_raw_response.create(model="gpt-4o", messages=CHAT)
    await plain.chat.completions.with_raw_response.create(model="gpt-4o", messages=CHAT)
    sent, unwrapped = _pair(fake)
    assert sent.headers.get("x-stainless-raw-response") == "true"
    assert _compare(sent, unwrapped) == ["$.messages[3].content"]
    assert raw.parse().choices[0].message.content == TOON_REPLY
    assert raw.headers.get("content-type", "").startswith("application/json")

    raw_responses = await copy.responses.with_raw_response.create(model="gpt-4.1", input=INPUT)
    await plain.responses.with_raw_response.create(model="gpt-4.1", input=INPUT)
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    assert raw_responses.parse().output_text == TOON_REPLY
    assert kaizen_state(wrapped).totals.calls == 3  # copies share the totals


def test_stream_helpers_decode_the_reply_at_their_end(fake: FakeProvider) -> None:
    from openai.lib.streaming.chat import ChatCompletionStream
    from openai.lib.streaming.responses import ResponseStream

    wrapped, plain = _clients(fake, decode_replies=True)
    with wrapped.chat.completions.stream(model="gpt-4o", messages=CHAT) as stream:
        assert isinstance(stream, ChatCompletionStream)  # the SDK's own object
        events = [event.model_dump() for event in stream]
        final = stream.get_final_completion()
    with plain.chat.completions.stream(model="gpt-4o", messages=CHAT) as plain_stream:
        plain_events = [event.model_dump() for event in plain_stream]
        plain_final = plain_stream.get_final_completion()
    assert _compare(*_pair(fake)) == ["$.messages[3].content"]
    assert events == plain_events and final.model_dump() == plain_final.model_dump()
    call = kaizen_call(stream)
    assert call is not None and call.endpoint == "chat.completions.create"
    assert call.decoded == TOON_DATA and call.text == TOON_REPLY and call.savings is not None

    with wrapped.responses.stream(model="gpt-4.1", input=INPUT) as events_stream:
        assert isinstance(events_stream, ResponseStream)
        kinds = [event.type for event in events_stream]
        response = events_stream.get_final_response()
    with plain.responses.stream(model="gpt-4.1", input=INPUT) as plain_events_stream:
        plain_kinds = [event.type for event in plain_events_stream]
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    assert kinds == plain_kinds and response.output_text == TOON_REPLY
    assert kaizen_call(events_stream).decoded == TOON_DATA  # type: ignore[union-attr]
    assert kaizen_state(wrapped).totals.calls == 2


def test_stream_helpers_per_call_flag_unread_streams_and_decoding_off(fake: FakeProvider) -> None:
    wrapped, _ = _clients(fake)
    manager = wrapped.chat.completions.stream(
        model="gpt-4o", messages=CHAT, kaizen_decode_reply=True
    )
    with manager as stream:
        stream.until_done()
    assert "kaizen_decode_reply" not in fake.last().json  # the per-call flag is ours
    assert manager.kaizen is kaizen_call(stream) and manager.kaizen.decoded == TOON_DATA  # type: ignore[union-attr]

    with wrapped.chat.completions.stream(model="gpt-4o", messages=CHAT) as stream:
        stream.until_done()
    call = kaizen_call(stream)
    assert call is not None and call.savings is not None  # savings without decoding
    assert not call.decode and call.decoded is None and call.text is None

    fake.reply = '{"rows": [1, 2, 3]}'
    decoding, _ = _clients(fake, decode_replies=True)
    with decoding.responses.stream(model="gpt-4.1", input=INPUT) as events:
        first = next(iter(events))  # left before any text arrived
    assert first.type == "response.created"
    call = kaizen_call(events)
    assert call is not None and call.text == "" and call.decoded is None  # nothing guessed


async def test_async_stream_helpers_decode_the_reply_at_their_end(fake: FakeProvider) -> None:
    from openai.lib.streaming.chat import AsyncChatCompletionStream

    wrapped, plain = _async_clients(fake, decode_replies=True)
    async with wrapped.chat.completions.stream(model="gpt-4o", messages=CHAT) as stream:
        assert isinstance(stream, AsyncChatCompletionStream)
        events = [event.model_dump() async for event in stream]
    async with plain.chat.completions.stream(model="gpt-4o", messages=CHAT) as plain_stream:
        plain_events = [event.model_dump() async for event in plain_stream]
    assert _compare(*_pair(fake)) == ["$.messages[3].content"] and events == plain_events
    assert kaizen_call(stream).decoded == TOON_DATA  # type: ignore[union-attr]

    async with wrapped.responses.stream(model="gpt-4.1", input=INPUT) as response_stream:
        final = await response_stream.get_final_response()
    async with plain.responses.stream(model="gpt-4.1", input=INPUT) as plain_response_stream:
        await plain_response_stream.get_final_response()
    assert _compare(*_pair(fake)) == ["$.input[0].content[0].text", "$.input[2].output"]
    assert final.output_text == TOON_REPLY
    assert kaizen_call(response_stream).decoded == TOON_DATA  # type: ignore[union-attr]
    assert kaizen_state(wrapped).totals.calls == 2
