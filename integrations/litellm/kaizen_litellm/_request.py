"""Reading and annotating a LiteLLM request dict: its messages, metadata and Kaizen flags.

The SDK hands hooks its ``kwargs`` and the Proxy its request ``data``; both are plain
dicts with ``messages`` and a ``metadata`` dict, so one set of helpers serves both. The
savings record lives in the metadata because that is what LiteLLM copies into its logging
objects (``litellm_params["metadata"]``, and ``spend_logs_metadata`` into the standard
logging payload).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from kaizen_client.integrations import Savings

#: Call types whose request has chat ``messages``; everything else is left alone.
MESSAGE_CALL_TYPES = frozenset({"completion", "acompletion", "anthropic_messages"})
#: Request flag (top-level or in metadata) asking for TOON replies to be decoded to JSON.
DECODE_FLAG = "kaizen_decode_reply"
#: Metadata key holding the savings record of the request.
RECORD_KEY = "kaizen"


def call_type_name(call_type: Any) -> str:
    """``CallTypes.acompletion``, ``"acompletion"`` and ``None`` as a plain string."""
    return str(getattr(call_type, "value", call_type) or "")


def messages_of(data: Mapping[str, Any]) -> list[Any] | None:
    """The request's chat messages, or ``None`` when it has none to compress."""
    messages = data.get("messages")
    return messages if isinstance(messages, list) and messages else None


def metadata_of(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The request's metadata dict (``metadata``, else ``litellm_metadata``), read only."""
    for key in ("metadata", "litellm_metadata"):
        value = data.get(key)
        if isinstance(value, dict):
            return value
    return None


def update_metadata(data: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Put a copy of the request's metadata, with ``values`` added, into ``data``.

    The caller's own dict is never written to (it may be shared between requests); in the
    SDK the copy also replaces it in the logging object's ``litellm_params`` (or is linked
    there when there was none), so that loggers see what is written.
    """
    key = next((k for k in ("metadata", "litellm_metadata") if isinstance(data.get(k), dict)), None)
    old = data.get(key) if key is not None else None
    new = {**(old or {}), **values}
    data[key or "metadata"] = new
    params = getattr(data.get("litellm_logging_obj"), "litellm_params", None)
    if isinstance(params, dict):
        current = params.get("metadata")
        if not isinstance(current, dict) or current is old:
            params["metadata"] = new
    return new


def request_metadata(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Metadata of a request as post-call hooks see it (``litellm_params`` included)."""
    for key in ("metadata", "litellm_metadata"):
        value = data.get(key)
        if isinstance(value, Mapping):
            return value
    params = data.get("litellm_params")
    if isinstance(params, Mapping) and isinstance(params.get("metadata"), Mapping):
        metadata: Mapping[str, Any] = params["metadata"]
        return metadata
    return {}


def digest(messages: list[Any]) -> str:
    """A fingerprint of a message list, to recognise messages this package already wrote."""
    text = json.dumps(messages, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def already_compressed(data: dict[str, Any], messages: list[Any]) -> bool:
    """Whether ``messages`` are the output of an earlier compression of this request."""
    metadata = metadata_of(data)
    record = metadata.get(RECORD_KEY) if metadata is not None else None
    return isinstance(record, Mapping) and record.get("digest") == digest(messages)


def take_decode_flag(data: dict[str, Any]) -> None:
    """Move a top-level ``kaizen_decode_reply`` into the metadata (providers must not see it)."""
    if DECODE_FLAG in data:
        update_metadata(data, **{DECODE_FLAG: bool(data.pop(DECODE_FLAG))})


def wants_decoding(data: Mapping[str, Any], default: bool) -> bool:
    """Whether the caller asked for the reply to be decoded from TOON to JSON text."""
    if DECODE_FLAG in data:
        return bool(data[DECODE_FLAG])
    flag = request_metadata(data).get(DECODE_FLAG)
    return default if flag is None else bool(flag)


def record(data: dict[str, Any], savings: Savings, messages: list[Any]) -> None:
    """Write the savings into (a copy of) the request metadata and its ``spend_logs_metadata``."""
    spend = (metadata_of(data) or {}).get("spend_logs_metadata")
    update_metadata(
        data,
        **{
            RECORD_KEY: {**savings.to_dict(), "digest": digest(messages)},
            "spend_logs_metadata": {
                **(spend if isinstance(spend, Mapping) else {}),
                "kaizen_tokens_before": savings.tokens_before,
                "kaizen_tokens_after": savings.tokens_after,
                "kaizen_tokens_saved": savings.tokens_saved,
            },
        },
    )


#: True while :func:`kaizen_litellm.completion` makes its sync call: its messages were
#: already handled, so the hook's warning about unhooked sync calls does not apply.
IN_SYNC_WRAPPER: ContextVar[bool] = ContextVar("kaizen_litellm_in_sync_wrapper", default=False)


def is_unhooked_sync_call(kwargs: Mapping[str, Any]) -> bool:
    """Whether LiteLLM's pre-API-call log describes a sync chat call no hook compressed."""
    params = kwargs.get("litellm_params")
    is_async = isinstance(params, Mapping) and bool(params.get("acompletion"))
    return (
        not is_async
        and call_type_name(kwargs.get("call_type")) == "completion"
        and not IN_SYNC_WRAPPER.get()
    )
