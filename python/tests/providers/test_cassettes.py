"""Recorded provider exchanges (vcrpy, ``record_mode="none"``), keys filtered and scanned.

The standard :class:`~kaizen_client.testing.CassetteSuite` over the three wrapped SDKs:
replay matches on the request body, so a cassette also pins the exact compressed bytes each
adapter sends. Re-record (against the loopback fake provider, never a real one) with
``python -m kaizen_client.testing record tests/providers/test_cassettes.py`` from ``python/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kaizen_client.integrations.fake_providers import FakeProvider
from kaizen_client.testing import CassetteSuite, Scenario

from .conftest import DUMMY_KEY, ROWS, ROWS_TEXT, TOON_DATA, TOON_REPLY

openai = pytest.importorskip("openai")
anthropic = pytest.importorskip("anthropic")
genai = pytest.importorskip("google.genai")

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "cassettes" / "providers"
CHAT = [
    {"role": "user", "content": "Which orders shipped?"},
    {"role": "tool", "tool_call_id": "call_1", "content": ROWS_TEXT},
]


async def openai_chat(base_url: str) -> None:
    from kaizen_client.integrations.openai import kaizen_call, wrap_openai

    client = wrap_openai(
        openai.AsyncOpenAI(base_url=base_url + "/v1", api_key=DUMMY_KEY, max_retries=0),
        decode_replies=True,
    )
    response = await client.chat.completions.create(model="gpt-4o", messages=CHAT)
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]
    stream = await client.chat.completions.create(model="gpt-4o", messages=CHAT, stream=True)
    assert "".join([c.choices[0].delta.content or "" async for c in stream]) == TOON_REPLY
    assert stream.kaizen.decoded == TOON_DATA


async def openai_responses(base_url: str) -> None:
    from kaizen_client.integrations.openai import kaizen_call, wrap_openai

    client = wrap_openai(
        openai.OpenAI(base_url=base_url + "/v1", api_key=DUMMY_KEY, max_retries=0),
        decode_replies=True,
    )
    items = [{"type": "function_call_output", "call_id": "call_1", "output": ROWS_TEXT}]
    response = client.responses.create(model="gpt-4.1", input=items)
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]


async def anthropic_messages(base_url: str) -> None:
    from kaizen_client.integrations.anthropic import kaizen_call, wrap_anthropic

    client = wrap_anthropic(
        anthropic.AsyncAnthropic(base_url=base_url, api_key=DUMMY_KEY, max_retries=0),
        decode_replies=True,
    )
    block = {"type": "tool_result", "tool_use_id": "toolu_1", "content": ROWS_TEXT}
    messages = [{"role": "user", "content": [block]}]
    response = await client.messages.create(
        model="claude-haiku-4-5", max_tokens=64, messages=messages
    )
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]
    async with client.messages.stream(
        model="claude-haiku-4-5", max_tokens=64, messages=messages
    ) as stream:
        assert await stream.get_final_text() == TOON_REPLY


async def gemini_generate(base_url: str) -> None:
    from google.genai import types

    from kaizen_client.integrations.gemini import kaizen_call, wrap_gemini

    client = wrap_gemini(
        genai.Client(api_key=DUMMY_KEY, http_options=types.HttpOptions(base_url=base_url)),
        decode_replies=True,
    )
    part = {"function_response": {"name": "orders", "response": ROWS}}
    contents: Any = [{"role": "user", "parts": [part]}]
    response = client.models.generate_content(model="gemini-2.5-flash", contents=contents)
    assert kaizen_call(response).decoded == TOON_DATA  # type: ignore[union-attr]
    stream = client.models.generate_content_stream(model="gemini-2.5-flash", contents=contents)
    assert "".join(chunk.text or "" for chunk in stream) == TOON_REPLY


@contextmanager
def fake_provider(api_key: str) -> Iterator[str]:
    with FakeProvider(reply=TOON_REPLY) as fake:
        yield fake.url


class TestProviderCassettes(CassetteSuite):
    cassettes: ClassVar[Path] = CASSETTES
    scenarios = (
        Scenario("openai_chat", openai_chat),
        Scenario("openai_responses", openai_responses),
        Scenario("anthropic_messages", anthropic_messages),
        Scenario("gemini_generate", gemini_generate),
    )
    secrets = (DUMMY_KEY,)

    @classmethod
    def recording_server(cls, api_key: str) -> Any:
        return fake_provider(api_key)
