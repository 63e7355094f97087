"""``Router.acompletion``: the deployment hook compresses what each deployment receives."""

from __future__ import annotations

import litellm
from litellm.integrations.custom_logger import CustomLogger
from litellm.router import Router

from kaizen_litellm import RECORD_KEY, KaizenHook

from ..data import UPSTREAM_KEY, chat
from ..upstream import running_upstream
from .test_sdk import check_compressed


def router(base_url: str) -> Router:
    deployment = {
        "model_name": "team-gpt",
        "litellm_params": {"model": "openai/gpt-4o", "api_base": base_url, "api_key": UPSTREAM_KEY},
    }
    built: Router = Router(model_list=[deployment], num_retries=0)
    return built


async def test_router_acompletion_sends_compressed_messages() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    with running_upstream("routed") as upstream:
        metadata: dict[str, object] = {}
        response = await router(upstream.base_url).acompletion(
            model="team-gpt", messages=chat(1), metadata=metadata
        )
    assert response.choices[0].message.content == "routed"
    check_compressed(upstream.last["messages"], offset=1)
    assert upstream.last["model"] == "gpt-4o"
    assert hook.compressions == 1 and hook.tokens_saved > 0


async def test_router_mock_response() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    r = router("http://127.0.0.1:9/v1")
    response = await r.acompletion(model="team-gpt", messages=chat(), mock_response="mocked")
    assert response.choices[0].message.content == "mocked"
    assert hook.compressions == 1 and hook.tokens_saved > 0


async def test_router_records_savings_in_the_request_metadata() -> None:
    hook = KaizenHook()
    litellm.callbacks = [hook]
    seen: dict[str, object] = {}

    class Spy(CustomLogger):
        async def async_pre_call_deployment_hook(
            self, kwargs: dict[str, object], call_type: object
        ) -> None:
            metadata = kwargs.get("metadata")
            assert isinstance(metadata, dict)
            seen.update(metadata[RECORD_KEY])

    litellm.callbacks = [hook, Spy()]
    r = router("http://127.0.0.1:9/v1")
    await r.acompletion(model="team-gpt", messages=chat(), mock_response="mocked")
    assert seen["tokens_saved"] == hook.tokens_saved
