"""The adapters with a Kaizen server as backend (remote mode), answered in-process.

``KaizenSyncClient`` in remote mode over ``LocalEngineTransport`` runs the real remote path
(messages serialized to JSON, ``optimize_request``, the result parsed back) without a network:
unchanged items come back equal, not identical, and must still be sent as the caller gave them.
Each request must match what the in-process engine sends.
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import OpenAI

from kaizen_client import KaizenClientConfig, KaizenSyncClient
from kaizen_client._transports import LocalEngineTransport
from kaizen_client.integrations.fake_providers import FakeProvider
from kaizen_client.integrations.openai import kaizen_call, wrap_openai

from .conftest import DUMMY_KEY, ROWS, ROWS_TEXT

KAIZEN_KEY = "kz-remote-test-key-0000"


def _kaizen() -> KaizenSyncClient:
    config = KaizenClientConfig(base_url="http://kaizen.remote.test", api_key=KAIZEN_KEY)
    return KaizenSyncClient(config, transport=LocalEngineTransport())


def _same_as_local(fake: FakeProvider) -> None:
    remote, local = fake.requests[-2:]
    assert remote.body == local.body


def test_openai_responses_items(fake: FakeProvider) -> None:
    items: list[Any] = [
        {"role": "user", "content": "Orders?"},
        {"type": "function_call", "call_id": "c1", "name": "orders", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": ROWS_TEXT},
    ]
    url = fake.url + "/v1"
    remote = wrap_openai(OpenAI(base_url=url, api_key=DUMMY_KEY), kaizen=_kaizen())
    local = wrap_openai(OpenAI(base_url=url, api_key=DUMMY_KEY))
    response = remote.responses.create(model="gpt-4.1", input=items)
    local.responses.create(model="gpt-4.1", input=items)
    _same_as_local(fake)
    call = kaizen_call(response)
    assert call is not None and call.savings is not None and call.savings.backend == "remote"
    assert fake.last().json["input"][:2] == items[:2]


def test_anthropic_tool_turns(fake: FakeProvider) -> None:
    anthropic = pytest.importorskip("anthropic")
    from kaizen_client.integrations.anthropic import wrap_anthropic

    use = {"type": "tool_use", "id": "toolu_1", "name": "orders", "input": {"day": "mon"}}
    result = {"type": "tool_result", "tool_use_id": "toolu_1", "content": ROWS_TEXT}
    messages = [
        {"role": "user", "content": "Orders?"},
        {"role": "assistant", "content": [use]},
        {"role": "user", "content": [result]},
    ]
    remote = wrap_anthropic(
        anthropic.Anthropic(base_url=fake.url, api_key=DUMMY_KEY), kaizen=_kaizen()
    )
    local = wrap_anthropic(anthropic.Anthropic(base_url=fake.url, api_key=DUMMY_KEY))
    remote.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=messages)
    local.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=messages)
    _same_as_local(fake)


def test_gemini_parts(fake: FakeProvider) -> None:
    genai = pytest.importorskip("google.genai")
    from google.genai import types

    from kaizen_client.integrations.gemini import wrap_gemini

    contents: list[Any] = [
        {"role": "user", "parts": [{"text": "Orders?"}, {"text": "All of them."}]},
        {"role": "model", "parts": [{"function_call": {"name": "orders", "args": {}}}]},
        {"role": "user", "parts": [{"function_response": {"name": "orders", "response": ROWS}}]},
    ]

    def client() -> Any:
        return genai.Client(api_key=DUMMY_KEY, http_options=types.HttpOptions(base_url=fake.url))

    remote, local = wrap_gemini(client(), kaizen=_kaizen()), wrap_gemini(client())
    remote.models.generate_content(model="gemini-2.5-flash", contents=contents)
    local.models.generate_content(model="gemini-2.5-flash", contents=contents)
    _same_as_local(fake)
