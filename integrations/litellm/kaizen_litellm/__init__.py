"""Kaizen for LiteLLM: compress the JSON in chat prompts in the SDK, the Router and the Proxy.

``litellm.callbacks = [KaizenHook()]`` compresses every async chat call;
:func:`completion` is the sync entry point and :func:`acompletion` also decodes
streamed TOON replies; ``kaizen_litellm.proxy_handler_instance`` is
the Proxy's callback.
"""

from __future__ import annotations

from kaizen_client.integrations import (
    KaizenCompressionError,
    Savings,
    adecode_stream,
    decode_stream,
)
from kaizen_client.integrations import reply_as_json as decode_text

from ._request import DECODE_FLAG, RECORD_KEY
from ._version import __version__
from .calls import acompletion, completion
from .hook import KaizenHook
from .proxy import proxy_handler_instance

__all__ = [
    "DECODE_FLAG",
    "RECORD_KEY",
    "KaizenCompressionError",
    "KaizenHook",
    "Savings",
    "__version__",
    "acompletion",
    "adecode_stream",
    "completion",
    "decode_stream",
    "decode_text",
    "proxy_handler_instance",
]
