"""wrap_gemini end to end: the real google-genai SDK over its HTTP stack, against the loopback fake.

``http_options=HttpOptions(base_url=...)`` points the client at the fake; each call goes
through a wrapped and an unwrapped client and the fake's records are compared.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

genai = pytest.importorskip("google.genai")

from google.genai import errors, types  # noqa: E402

from kaizen_client import KaizenClient, KaizenClientConfig  # noqa: E402
from kaizen_client.integrations.fake_providers import FakeProvider  # noqa: E402
from kaizen_client.integrations.gemini import (  # noqa: E402
    GeminiKaizenWrapper,
    kaizen_call,
    kaizen_state,
    wrap_gemini,
)
from kaizen_client.ktof import decode  # noqa: E402

from .conftest import DUMMY_KEY, ROWS, ROWS_TEXT, TOON_DATA, TOON_REPLY, compare_bodies  # noqa: E402

MODEL = "gemini-2.5-flash"
CONTENTS: list[Any] = [
    types.Content(role="user", parts=[types.Part(text="Which orders shipped?")]),
    types.Content(
        role="model",
        parts=[types.Part(function_call=types.FunctionCall(name="orders", args={"day": "mon"}))],
    ),
    types.Content(
        role="user",
        parts=[types.Part(function_response=types.FunctionResponse(name="orders", response=ROWS))],
    ),
    {"role": "user", "parts": [{"text": "And these, as JSON:\n" + ROWS_TEXT}]},
]
CONFIG = types.GenerateContentConfig(system_instruction="Be brief.", temperature=0.1)


def _client(fake: FakeProvider, **http: Any) -> Any:
    return genai.Client(
        api_key=DUMMY_KEY, http_options=types.HttpOptions(base_url=fake.url, **http)
    )


def _compare(fake: FakeProvider) -> list[str]:
    """As :func:`compare_bodies`, with structured function responses sent as KTOF ``output``."""
    sent, plain = (r.json for r in fake.requests[-2:])
    assert fake.requests[-2].path == fake.requests[-1].path
    changed = []
    for i, (a, b) in enumerate(zip(sent["contents"], plain["contents"], strict=True)):
        for k, (pa, pb) in enumerate(zip(a["parts"], b["parts"], strict=True)):
            response = pb.get("functionResponse", {}).get("response")
            if response is not None and not {"output", "error"} & set(response):
                output = pa["functionResponse"]["response"]["output"]
                assert decode(output) == response and len(output) < len(json.dumps(response))
                pa["functionResponse"]["response"] = response
                changed.append(f"$.contents[{i}].parts[{k}].functionResponse.response")
    return changed + compare_bodies(sent, plain)


def test_generate_content_function_responses_and_text_parts(fake: FakeProvider) -> None:
    wrapped, plain = wrap_gemini(_client(fake)), _client(fake)
    response = wrapped.models.generate_content(model=MODEL, contents=CONTENTS, config=CONFIG)
    plain.models.generate_content(model=MODEL, contents=CONTENTS, config=CONFIG)
    assert _compare(fake) == [
        "$.contents[2].parts[0].functionResponse.response",
        "$.contents[3].parts[0].text",
    ]
    assert fake.last().path.endswith(f"/models/{MODEL}:generateContent")
    call = kaizen_call(response)
    assert call is not None and call.savings is not None and not call.exact
    assert response.text == TOON_REPLY and call.decoded is None


def test_string_outputs_and_plain_string_contents(fake: FakeProvider) -> None:
    contents = copy.deepcopy(CONTENTS)
    contents[2] = {
        "role": "user",
        "parts": [{"function_response": {"name": "orders", "response": {"output": ROWS_TEXT}}}],
    }
    wrapped, plain = wrap_gemini(_client(fake)), _client(fake)
    wrapped.models.generate_content(model=MODEL, contents=contents)
    plain.models.generate_content(model=MODEL, contents=contents)
    assert _compare(fake) == [
        "$.contents[2].parts[0].functionResponse.response.output",
        "$.contents[3].parts[0].text",
    ]
    wrapped.models.generate_content(model=MODEL, contents=ROWS_TEXT)
    plain.models.generate_content(model=MODEL, contents=ROWS_TEXT)
    assert _compare(fake) == ["$.contents[0].parts[0].text"]
    errored = {
        "role": "user",
        "parts": [{"function_response": {"name": "x", "response": {"error": ROWS}}}],
    }
    wrapped.models.generate_content(model=MODEL, contents=[errored])
    plain.models.generate_content(model=MODEL, contents=[errored])
    assert _compare(fake) == []  # an error response is left alone


def test_stream_sync_decodes_at_the_end(fake: FakeProvider) -> None:
    wrapped, plain = wrap_gemini(_client(fake), decode_replies=True), _client(fake)
    stream = wrapped.models.generate_content_stream(model=MODEL, contents=CONTENTS)
    text = "".join(chunk.text or "" for chunk in stream)
    list(plain.models.generate_content_stream(model=MODEL, contents=CONTENTS))
    assert len(_compare(fake)) == 2 and text == TOON_REPLY
    assert fake.last().path.endswith(":streamGenerateContent") and fake.last().query == "alt=sse"
    assert stream.kaizen.decoded == TOON_DATA


async def test_aio_create_and_stream(fake: FakeProvider) -> None:
    wrapped, plain = wrap_gemini(_client(fake), decode_replies=True), _client(fake)
    response = await wrapped.aio.models.generate_content(model=MODEL, contents=CONTENTS)
    await plain.aio.models.generate_content(model=MODEL, contents=CONTENTS)
    assert len(_compare(fake)) == 2
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]
    stream = await wrapped.aio.models.generate_content_stream(model=MODEL, contents=CONTENTS)
    chunks = [chunk async for chunk in stream]
    plain_stream = await plain.aio.models.generate_content_stream(model=MODEL, contents=CONTENTS)
    assert len(chunks) == len([chunk async for chunk in plain_stream])
    assert len(_compare(fake)) == 2 and stream.kaizen.decoded == TOON_DATA
    assert kaizen_state(wrapped).totals.calls == 2


def test_retries_errors_and_wrapping_twice(fake: FakeProvider) -> None:
    retry = types.HttpRetryOptions(attempts=3, initial_delay=0.01, max_delay=0.02)
    client = wrap_gemini(_client(fake, retry_options=retry))
    assert wrap_gemini(client) is client
    fake.fail(503, times=2)
    client.models.generate_content(model=MODEL, contents=CONTENTS)
    assert len(fake.requests) == 3 and len({r.body for r in fake.requests}) == 1
    assert kaizen_state(client).totals.calls == 1
    fake.fail(400)
    with pytest.raises(errors.ClientError):
        client.models.generate_content(model=MODEL, contents=CONTENTS)


async def test_014_wrapper_runs_unchanged(fake: FakeProvider, monkeypatch: Any) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
    kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
    wrapper = GeminiKaizenWrapper(kaizen)
    prompt = {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Orders:\n" + ROWS_TEXT},
        ]
    }
    result = await wrapper.invoke(prompt)
    assert set(result) == {"encoded", "gemini_response", "decoded"}
    assert result["decoded"]["result"] == TOON_DATA
    sent = fake.last().json
    assert fake.last().path.endswith("/models/gemini-2.5-flash:generateContent")
    assert sent["systemInstruction"]["parts"][0]["text"] == "Be brief."
    assert len(sent["contents"][0]["parts"][0]["text"]) < len(prompt["messages"][1]["content"])


def test_chats_go_through_the_wrapped_models(fake: FakeProvider) -> None:
    client = wrap_gemini(_client(fake))
    chat = client.chats.create(model=MODEL)
    chat.send_message("Orders:\n" + ROWS_TEXT)
    chat.send_message("And again:\n" + ROWS_TEXT)
    history = fake.last().json["contents"]
    assert [c["role"] for c in history] == ["user", "model", "user"]
    for content in (history[0], history[2]):
        text = content["parts"][0]["text"]
        assert len(text) < len(ROWS_TEXT) and decode(text.split(":\n", 1)[1].strip()) == ROWS
    assert kaizen_state(client).totals.calls == 2


def test_a_single_content_dict_or_object(fake: FakeProvider) -> None:
    wrapped, plain = wrap_gemini(_client(fake)), _client(fake)
    single = {"role": "user", "parts": [{"text": ROWS_TEXT}]}
    wrapped.models.generate_content(model=MODEL, contents=single)
    plain.models.generate_content(model=MODEL, contents=single)
    assert _compare(fake) == ["$.contents[0].parts[0].text"]
    content = types.Content(role="user", parts=[types.Part(text=ROWS_TEXT)])
    wrapped.models.generate_content(model=MODEL, contents=content)
    plain.models.generate_content(model=MODEL, contents=content)
    assert _compare(fake) == ["$.contents[0].parts[0].text"]


async def test_aio_chats_go_through_the_wrapped_models(fake: FakeProvider) -> None:
    client = wrap_gemini(_client(fake), decode_replies=True)
    chat = client.aio.chats.create(model=MODEL)
    first = await chat.send_message("Orders:\n" + ROWS_TEXT)
    await chat.send_message("And again:\n" + ROWS_TEXT)
    history = fake.last().json["contents"]
    assert [c["role"] for c in history] == ["user", "model", "user"]
    for content in (history[0], history[2]):
        text = content["parts"][0]["text"]
        assert len(text) < len(ROWS_TEXT) and decode(text.split(":\n", 1)[1].strip()) == ROWS
    assert first.text == TOON_REPLY
    assert kaizen_state(client).totals.calls == 2

    await client.aio.chats.create(model=MODEL, config=CONFIG).send_message("Orders:\n" + ROWS_TEXT)
    plain_chat = _client(fake).aio.chats.create(model=MODEL, config=CONFIG)
    await plain_chat.send_message("Orders:\n" + ROWS_TEXT)
    assert _compare(fake) == ["$.contents[0].parts[0].text"]  # the rest (config) as given
