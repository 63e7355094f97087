"""Reply decoding: TOON answers come back as JSON text, whole and streamed."""

from __future__ import annotations

import json
from typing import Any

import litellm
import pytest

from kaizen_client.ktof import encode
from kaizen_litellm import KaizenHook, adecode_stream, completion, decode_text
from kaizen_litellm import acompletion as kaizen_acompletion

from ..data import UPSTREAM_KEY, chat, rows
from ..upstream import running_upstream
from .test_router import router
from .test_sdk import check_compressed

TOON = encode({"active": rows(6)}, mode="toon")
FENCED = f"Here you go:\n```toon\n{TOON}\n```"
EXPECTED = {"active": rows(6)}


@pytest.mark.parametrize("text", [TOON, FENCED, json.dumps(EXPECTED)])
def test_decode_text(text: str) -> None:
    decoded = decode_text(text)
    assert decoded is not None and json.loads(decoded) == EXPECTED


@pytest.mark.parametrize("text", ["Just prose.", "", "```python\nx = 1\n```"])
def test_decode_text_leaves_prose(text: str) -> None:
    assert decode_text(text) is None


async def call(upstream_url: str, **kwargs: Any) -> Any:
    return await litellm.acompletion(
        model="openai/gpt-4o",
        messages=chat(),
        api_base=upstream_url,
        api_key=UPSTREAM_KEY,
        **kwargs,
    )


@pytest.mark.parametrize(
    "ask", [{"kaizen_decode_reply": True}, {"metadata": {"kaizen_decode_reply": True}}]
)
async def test_acompletion_decodes_when_asked(ask: dict[str, Any]) -> None:
    litellm.callbacks = [KaizenHook()]
    with running_upstream(FENCED) as upstream:
        response = await call(upstream.base_url, **ask)
    assert json.loads(response.choices[0].message.content) == EXPECTED
    assert "kaizen_decode_reply" not in upstream.last  # the flag never reaches the provider


async def test_acompletion_leaves_replies_alone_by_default() -> None:
    litellm.callbacks = [KaizenHook()]
    with running_upstream(FENCED) as upstream:
        response = await call(upstream.base_url)
    assert response.choices[0].message.content == FENCED


async def test_plain_acompletion_stream_is_not_decoded() -> None:
    """LiteLLM's streaming deployment hook sees only the final chunk: no hook can decode."""
    litellm.callbacks = [KaizenHook(decode_replies=True)]
    with running_upstream(FENCED) as upstream:
        stream = await call(upstream.base_url, stream=True)
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == FENCED


@pytest.mark.parametrize("registered", [True, False])
async def test_kaizen_acompletion_decodes_streams(registered: bool) -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook] if registered else []
    with running_upstream(FENCED) as upstream:
        stream = await kaizen_acompletion(
            "openai/gpt-4o",
            chat(),
            kaizen=hook,
            stream=True,
            kaizen_decode_reply=True,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
        chunks = [c async for c in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert json.loads(text) == EXPECTED
    assert chunks[-1].choices[0].finish_reason == "stop"
    check_compressed(upstream.last["messages"])
    assert hook.compressions == 1  # compressed once, the deployment hook saw it was done


async def test_kaizen_acompletion_decodes_router_streams() -> None:
    hook = KaizenHook(decode_replies=True)
    litellm.callbacks = [hook]
    with running_upstream(FENCED) as upstream:
        stream = await kaizen_acompletion(
            "team-gpt", chat(), router=router(upstream.base_url), stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert json.loads(text) == EXPECTED
    check_compressed(upstream.last["messages"])
    assert hook.compressions == 1


async def test_streamed_prose_is_passed_through_whole() -> None:
    with running_upstream("No data here, just a sentence.") as upstream:
        stream = await kaizen_acompletion(
            "openai/gpt-4o",
            chat(),
            stream=True,
            kaizen_decode_reply=True,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "No data here, just a sentence."


async def test_adecode_stream_flushes_without_finish_reason() -> None:
    from litellm.types.utils import Delta, ModelResponseStream, StreamingChoices

    async def chunks() -> Any:
        for piece in (TOON[:10], TOON[10:]):
            yield ModelResponseStream(choices=[StreamingChoices(delta=Delta(content=piece))])

    out = [c async for c in adecode_stream(chunks())]
    text = "".join(c.choices[0].delta.content or "" for c in out)
    assert json.loads(text) == EXPECTED


def test_sync_completion_decodes_whole_and_streamed() -> None:
    hook = KaizenHook()
    with running_upstream(TOON) as upstream:
        whole = completion(
            "openai/gpt-4o",
            chat(),
            kaizen=hook,
            kaizen_decode_reply=True,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
        stream = completion(
            "openai/gpt-4o",
            chat(),
            kaizen=hook,
            kaizen_decode_reply=True,
            stream=True,
            api_base=upstream.base_url,
            api_key=UPSTREAM_KEY,
        )
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert json.loads(whole.choices[0].message.content) == EXPECTED
    assert json.loads(text) == EXPECTED
    assert all("kaizen_decode_reply" not in r for r in upstream.requests)
