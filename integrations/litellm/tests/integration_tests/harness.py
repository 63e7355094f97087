"""Remote-mode scenarios: each drives LiteLLM with a remote ``KaizenHook`` against ``base_url``.

The LLM side is LiteLLM's ``mock_response``, so only Kaizen's requests are recorded.
Replayed and scanned by ``test_cassettes.py`` (the core's ``CassetteSuite``); re-recorded
from a real server on loopback with ``python -m kaizen_client.testing record
integrations/litellm/tests/integration_tests/test_cassettes.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is imported

import litellm
from litellm.integrations.custom_logger import CustomLogger
from litellm.router import Router

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenSyncClient, testing
from kaizen_client.ktof import decode
from kaizen_litellm import KaizenHook, completion

from ..data import chat, rows

CASSETTES = Path(__file__).resolve().parent / "cassettes"
#: The key the recording server accepts; it must never appear in a cassette.
TEST_KEY = "sk-kaizen-litellm-cassette-4b8d20e6"
WRONG_KEY = "sk-kaizen-litellm-wrong-91c7aa35"


def _config(base_url: str, key: str = TEST_KEY) -> KaizenClientConfig:
    config: KaizenClientConfig = testing.recording_config(base_url, key)
    return config


class _Sent(CustomLogger):
    """Registered after the hook: keeps the messages each deployment call goes out with."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[list[Any]] = []

    async def async_pre_call_deployment_hook(self, kwargs: dict[str, Any], call_type: Any) -> None:
        self.messages.append(kwargs["messages"])


def _check_sent(sent: list[Any], offset: int) -> None:
    original = chat(offset)
    assert [m["role"] for m in sent] == [m["role"] for m in original]
    assert sent[:3] == original[:3]
    assert sent[3]["tool_call_id"] == "call-1"
    assert decode(sent[3]["content"]) == rows(30, offset)
    # the server runs the same engine: remote output equals local output
    local = KaizenHook().compress_request({"messages": chat(offset)})
    assert local["messages"] == sent


async def async_hook(base_url: str) -> None:
    """``KaizenClient``: SDK ``acompletion`` and ``Router.acompletion`` through the hook."""
    client = KaizenClient(_config(base_url))
    try:
        hook, sent = KaizenHook(client=client), _Sent()
        litellm.callbacks = [hook, sent]
        metadata: dict[str, Any] = {}
        await litellm.acompletion(
            model="gpt-4o", messages=chat(0), mock_response="ok", metadata=metadata
        )
        deployment = {"model_name": "team", "litellm_params": {"model": "gpt-4o"}}
        router = Router(model_list=[deployment], num_retries=0)
        await router.acompletion(model="team", messages=chat(1), mock_response="ok")
        for offset, messages in enumerate(sent.messages):
            _check_sent(messages, offset)
        assert len(sent.messages) == 2
        assert hook.compressions == 2 and hook.failures == 0 and hook.backend == "remote"
        assert metadata == {}  # the caller's own dict is copied, never written to
        assert hook.ledger.last.tokens_saved > 0
    finally:
        litellm.callbacks = []
        await client.close()


async def sync_completion(base_url: str) -> None:
    """``KaizenSyncClient``: the sync entry point ``kaizen_litellm.completion``."""
    client = KaizenSyncClient(_config(base_url))
    try:
        hook = KaizenHook(client=client)
        metadata: dict[str, Any] = {}
        completion("gpt-4o", chat(2), kaizen=hook, mock_response="ok", metadata=metadata)
        assert hook.compressions == 1 and hook.tokens_saved == hook.ledger.last.tokens_saved > 0
        assert metadata == {}
        data = hook.compress_request({"messages": chat(2)})
        _check_sent(data["messages"], 2)
    finally:
        client.close()


async def rejected_key(base_url: str) -> None:
    """A 401 from the server: the original messages go out, the failure is counted."""
    client = KaizenClient(_config(base_url, WRONG_KEY))
    try:
        hook = KaizenHook(client=client)
        data = await hook.acompress_request({"model": "gpt-4o", "messages": chat(3)})
        assert data["messages"] == chat(3)
        assert hook.failures == 1 and hook.compressions == 0
        assert WRONG_KEY not in repr(hook)
    finally:
        await client.close()


Scenario = testing.Scenario

SCENARIOS = [
    Scenario("litellm_async_hook", async_hook),
    Scenario("litellm_sync_completion", sync_completion),
    Scenario("litellm_rejected_key", rejected_key),
]
