"""SDK ``acompletion``: what reaches the provider, with ``mock_response`` and a real upstream."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from typing import Any

import litellm
import pytest
from litellm.integrations.custom_logger import CustomLogger
from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER

from kaizen_client import KaizenClient, KaizenClientConfig
from kaizen_client.ktof import decode
from kaizen_litellm import RECORD_KEY, KaizenCompressionError, KaizenHook

from ..data import UPSTREAM_KEY, chat, rows
from ..upstream import running_upstream


def unreachable() -> KaizenClient:
    """A remote client whose server is not there (port 9, no retries)."""
    config = KaizenClientConfig(
        base_url="http://127.0.0.1:9", api_key="sk-kaizen-secret-123456", max_retries=0
    )
    return KaizenClient(config)


def _sans_none(message: dict[str, Any]) -> dict[str, Any]:
    """LiteLLM drops ``content: None`` from assistant tool-call messages."""
    return {k: v for k, v in message.items() if v is not None}


def check_compressed(sent: list[dict[str, Any]], offset: int = 0) -> None:
    """``sent`` is ``chat(offset)`` with only the tool result re-encoded, losslessly."""
    original = chat(offset)
    assert [m["role"] for m in sent] == [m["role"] for m in original]
    assert [_sans_none(m) for m in sent[:3]] == [_sans_none(m) for m in original[:3]]
    tool = sent[3]
    assert tool["tool_call_id"] == "call-1"
    assert len(tool["content"]) < len(original[3]["content"])
    assert decode(tool["content"]) == rows(30, offset)


async def test_acompletion_sends_compressed_messages_upstream() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    messages = chat()
    with running_upstream("fine") as upstream:
        response = await litellm.acompletion(
            model="openai/gpt-4o",
            messages=messages,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
    assert response.choices[0].message.content == "fine"
    assert len(upstream.requests) == 1
    check_compressed(upstream.last["messages"])
    assert messages == chat()  # the caller's list is not mutated
    assert hook.compressions == 1 and hook.tokens_saved > 0
    assert hook.stats()["tokens_saved"] == hook.tokens_saved


async def test_mock_response_path_records_savings_in_metadata() -> None:
    hook = KaizenHook()
    seen: dict[str, Any] = {}

    class Spy(CustomLogger):
        async def async_log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            seen["params"] = kwargs["litellm_params"]["metadata"]
            seen["payload"] = kwargs["standard_logging_object"]["metadata"]

    litellm.callbacks = [hook, Spy()]
    metadata: dict[str, Any] = {"team": "a"}
    await litellm.acompletion(
        model="gpt-4o", messages=chat(), mock_response="hi", metadata=metadata
    )
    assert metadata == {"team": "a"}  # the caller's own dict is never written to
    await GLOBAL_LOGGING_WORKER.flush()
    for _ in range(50):
        if seen:
            break
        await asyncio.sleep(0.05)
    record = seen["params"][RECORD_KEY]
    assert seen["params"]["team"] == "a"  # loggers see the caller's metadata and the record
    assert record["tokens_saved"] == hook.tokens_saved > 0
    assert record["tokens_before"] - record["tokens_after"] == record["tokens_saved"]
    assert record["backend"] == "local" and record["fragments_compressed"] == 1
    spend = seen["payload"]["spend_logs_metadata"]
    assert spend["kaizen_tokens_saved"] == record["tokens_saved"]
    assert spend["kaizen_tokens_before"] == record["tokens_before"]


async def test_loggers_see_savings_when_the_caller_passed_no_metadata() -> None:
    hook = KaizenHook()
    seen: dict[str, Any] = {}

    class Spy(CustomLogger):
        async def async_log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            seen["params"] = kwargs["litellm_params"]["metadata"]
            seen["payload"] = kwargs["standard_logging_object"]["metadata"]

    litellm.callbacks = [hook, Spy()]
    await litellm.acompletion(model="gpt-4o", messages=chat(), mock_response="hi")
    await GLOBAL_LOGGING_WORKER.flush()
    for _ in range(50):
        if seen:
            break
        await asyncio.sleep(0.05)
    assert seen["params"][RECORD_KEY]["tokens_saved"] == hook.tokens_saved > 0
    assert seen["payload"]["spend_logs_metadata"]["kaizen_tokens_saved"] == hook.tokens_saved


async def test_metadata_created_when_the_caller_passed_none() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    kwargs: dict[str, Any] = {"model": "gpt-4o", "messages": chat()}
    await hook.async_pre_call_deployment_hook(kwargs, "acompletion")
    assert kwargs["metadata"][RECORD_KEY]["tokens_saved"] > 0


async def test_never_compresses_twice() -> None:
    hook = KaizenHook()
    data: dict[str, Any] = {"model": "gpt-4o", "messages": chat(), "metadata": {}}
    await hook.async_pre_call_hook(None, None, data, "acompletion")
    once = copy.deepcopy(data["messages"])
    await hook.async_pre_call_deployment_hook(data, "acompletion")
    data["messages"] = copy.deepcopy(data["messages"])  # a copy made in between is recognised
    hook.compress_request(data, "completion")
    assert data["messages"] == once
    assert hook.compressions == 1


@pytest.mark.parametrize("call_type", ["embedding", "aembedding", "image_generation", None])
async def test_other_call_types_are_left_alone(call_type: str | None) -> None:
    hook = KaizenHook()
    data: dict[str, Any] = {"model": "x", "messages": chat(), "input": json.dumps(rows())}
    before = copy.deepcopy(data)
    assert await hook.async_pre_call_deployment_hook(data, call_type) == before
    assert hook.compressions == 0


async def test_embeddings_pass_through_untouched() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    text = json.dumps(rows())
    response = await litellm.aembedding(
        model="text-embedding-3-small", input=[text], mock_response=[0.1, 0.2]
    )
    assert response.data
    assert hook.compressions == 0


async def test_failure_falls_back_and_is_counted(caplog: pytest.LogCaptureFixture) -> None:
    hook = KaizenHook(client=unreachable())
    litellm.callbacks = [hook]
    with running_upstream() as upstream, caplog.at_level(logging.WARNING, "kaizen_litellm"):
        await litellm.acompletion(
            model="openai/gpt-4o",
            messages=chat(),
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
    assert [_sans_none(m) for m in upstream.last["messages"]] == [_sans_none(m) for m in chat()]
    assert hook.failures == 1 and hook.compressions == 0
    assert "sk-kaizen-secret-123456" not in caplog.text + repr(hook)
    assert "original messages were sent unchanged" in caplog.text


async def test_on_error_raise() -> None:
    hook = KaizenHook(client=unreachable(), on_error="raise")
    with pytest.raises(KaizenCompressionError, match="Kaizen compression failed") as info:
        await hook.acompress_request({"model": "m", "messages": chat()}, "acompletion")
    assert "sk-kaizen-secret-123456" not in str(info.value)
    assert info.value.where == "acompress_request"
    assert info.value.__cause__ is not None  # the original failure is chained
    assert hook.failures == 1


def test_compression_error_is_the_cores() -> None:
    """One exception for ``on_error="raise"`` in every integration; the old name still works."""
    from kaizen_client.errors import KaizenError
    from kaizen_client.integrations import KaizenCompressionError as CoreError

    assert KaizenCompressionError is CoreError
    assert issubclass(KaizenCompressionError, KaizenError)
    assert issubclass(KaizenCompressionError, RuntimeError)  # as in kaizen-litellm 0.1.0


async def test_the_callers_metadata_is_copied_not_written() -> None:
    hook = KaizenHook()
    mine: dict[str, Any] = {"team": "a", "spend_logs_metadata": {"cost_center": 7}}
    data: dict[str, Any] = {
        "model": "gpt-4o",
        "messages": chat(),
        "metadata": mine,
        "kaizen_decode_reply": True,
    }
    await hook.async_pre_call_deployment_hook(data, "acompletion")
    assert mine == {"team": "a", "spend_logs_metadata": {"cost_center": 7}}
    assert data["metadata"] is not mine
    assert data["metadata"]["team"] == "a" and data["metadata"]["kaizen_decode_reply"] is True
    assert data["metadata"][RECORD_KEY]["tokens_saved"] == hook.tokens_saved > 0
    spend = data["metadata"]["spend_logs_metadata"]
    assert spend["cost_center"] == 7 and spend["kaizen_tokens_saved"] == hook.tokens_saved


async def test_content_parts_and_embedded_json_are_compressed() -> None:
    litellm.callbacks = [KaizenHook()]
    table = json.dumps(rows(20))
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": f"Here are the users: {table} - who is active?"},
                {"type": "text", "text": "Short prose stays."},
            ],
        }
    ]
    with running_upstream() as upstream:
        await litellm.acompletion(
            model="openai/gpt-4o",
            messages=messages,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
    parts = upstream.last["messages"][0]["content"]
    assert parts[1] == {"type": "text", "text": "Short prose stays."}
    prefix, suffix = "Here are the users: ", " - who is active?"
    text = parts[0]["text"]
    assert text.startswith(prefix) and text.endswith(suffix) and len(text) < len(table)
    assert decode(text[len(prefix) : -len(suffix)].strip("\n")) == rows(20)
