"""The sync entry point `kaizen_litellm.completion`: LiteLLM runs no deployment hooks for it."""

from __future__ import annotations

import asyncio
import logging

import litellm
import pytest

from kaizen_litellm import KaizenHook, completion

from ..data import UPSTREAM_KEY, chat
from ..upstream import running_upstream
from .test_router import router
from .test_sdk import check_compressed


def test_plain_sync_completion_is_not_compressed_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Why the wrapper exists: LiteLLM's sync call skips the deployment hook; the hook says so."""
    hook = KaizenHook()
    litellm.callbacks = [hook]
    with caplog.at_level(logging.WARNING, logger="kaizen_litellm"):
        with running_upstream() as upstream:
            for _ in range(2):
                litellm.completion(
                    model="openai/gpt-4o",
                    messages=chat(),
                    api_base=upstream.base_url,
                    api_key=UPSTREAM_KEY,
                )
        litellm.completion(model="gpt-4o", messages=chat(), mock_response="m")
    assert hook.compressions == 0
    warnings = [r.getMessage() for r in caplog.records if "cannot compress" in r.getMessage()]
    assert len(warnings) == 1
    assert "kaizen_litellm.completion" in warnings[0]


def test_no_warning_for_the_wrapper_or_async_calls(caplog: pytest.LogCaptureFixture) -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    with caplog.at_level(logging.WARNING, logger="kaizen_litellm"):
        completion("gpt-4o", chat(), mock_response="m")
        asyncio.run(litellm.acompletion(model="gpt-4o", messages=chat(), mock_response="m"))
    assert hook.compressions == 2
    assert not [r for r in caplog.records if "cannot compress" in r.getMessage()]


def test_completion_compresses_with_the_registered_hook() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    with running_upstream("sync ok") as upstream:
        response = completion(
            "openai/gpt-4o", chat(), api_base=upstream.base_url, api_key=UPSTREAM_KEY
        )
    assert response.choices[0].message.content == "sync ok"
    check_compressed(upstream.last["messages"])
    assert hook.compressions == 1 and hook.tokens_saved > 0


def test_completion_with_mock_response_and_explicit_hook() -> None:
    hook = KaizenHook()
    response = completion("gpt-4o", chat(), kaizen=hook, mock_response="m")
    assert response.choices[0].message.content == "m"
    assert hook.compressions == 1


def test_completion_through_a_router() -> None:
    hook = KaizenHook()
    with running_upstream("via router") as upstream:
        response = completion("team-gpt", chat(2), kaizen=hook, router=router(upstream.base_url))
    assert response.choices[0].message.content == "via router"
    check_compressed(upstream.last["messages"], offset=2)
