"""Entry points for what hooks alone cannot do: sync calls and decoded streams.

LiteLLM runs ``async_pre_call_deployment_hook`` for async calls only, so a hook in
``litellm.callbacks`` never sees the messages of ``litellm.completion`` or
``Router.completion``; and its streaming deployment hook sees only the final chunk, so a
streamed TOON reply cannot be decoded from a hook. :func:`completion` and
:func:`acompletion` compress first, call LiteLLM (or ``router=``), and decode the reply,
streamed or whole, when the request asked for it.
"""

from __future__ import annotations

from typing import Any

import litellm
from litellm.router import Router

from kaizen_client.integrations import adecode_stream, decode_response, decode_stream

from . import _request as req
from .hook import KaizenHook

_default_hook: KaizenHook | None = None


def active_hook() -> KaizenHook:
    """The first ``KaizenHook`` in ``litellm.callbacks``, else a shared local one."""
    global _default_hook
    for callback in litellm.callbacks:
        if isinstance(callback, KaizenHook):
            return callback
    if _default_hook is None:
        _default_hook = KaizenHook()
    return _default_hook


def completion(
    model: str,
    messages: list[Any],
    *,
    kaizen: KaizenHook | None = None,
    router: Router | None = None,
    **kwargs: Any,
) -> Any:
    """``litellm.completion`` (or ``router.completion``) with the messages compressed.

    ``kaizen`` picks the hook (default: the one in ``litellm.callbacks``, so counters and
    settings are shared with async calls). With ``kaizen_decode_reply`` (or the hook's
    ``decode_replies``) a TOON reply comes back as JSON text, streamed ones included.
    """
    hook = kaizen or active_hook()
    data = hook.compress_request({"model": model, "messages": messages, **kwargs})
    decode = req.wants_decoding(data, hook.decode_replies)
    call = router.completion if router is not None else litellm.completion
    token = req.IN_SYNC_WRAPPER.set(True)
    try:
        response = call(**data)
    finally:
        req.IN_SYNC_WRAPPER.reset(token)
    if not decode:
        return response
    if data.get("stream"):
        return decode_stream(response)
    decode_response(response)
    return response


async def acompletion(
    model: str,
    messages: list[Any],
    *,
    kaizen: KaizenHook | None = None,
    router: Router | None = None,
    **kwargs: Any,
) -> Any:
    """``litellm.acompletion`` (or ``router.acompletion``) that also decodes streamed replies.

    Compression is the same as through the hook (done here once; the deployment hook
    then recognises the messages and leaves them alone).
    """
    hook = kaizen or active_hook()
    data = await hook.acompress_request({"model": model, "messages": messages, **kwargs})
    decode = req.wants_decoding(data, hook.decode_replies)
    call = router.acompletion if router is not None else litellm.acompletion
    response = await call(**data)
    if not decode:
        return response
    if data.get("stream"):
        return adecode_stream(response)
    decode_response(response)
    return response
