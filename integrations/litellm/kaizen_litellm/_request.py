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


def metadata_of(data: dict[str, Any], *, create: bool = False) -> dict[str, Any] | None:
    """The request's metadata dict (``metadata``, else ``litellm_metadata``).

    With ``create`` an empty one is added and, in the SDK, linked into the logging
    object's ``litellm_params`` so that loggers see what is written there.
    """
    for key in ("metadata", "litellm_metadata"):
        value = data.get(key)
        if isinstance(value, dict):
            return value
    if not create:
        return None
    metadata: dict[str, Any] = {}
    data["metadata"] = metadata
    params = getattr(data.get("litellm_logging_obj"), "litellm_params", None)
    if isinstance(params, dict) and not isinstance(params.get("metadata"), dict):
        params["metadata"] = metadata
    return metadata


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
        flag = bool(data.pop(DECODE_FLAG))
        metadata = metadata_of(data, create=True)
        assert metadata is not None
        metadata[DECODE_FLAG] = flag


def wants_decoding(data: Mapping[str, Any], default: bool) -> bool:
    """Whether the caller asked for the reply to be decoded from TOON to JSON text."""
    if DECODE_FLAG in data:
        return bool(data[DECODE_FLAG])
    flag = request_metadata(data).get(DECODE_FLAG)
    return default if flag is None else bool(flag)


def record(data: dict[str, Any], savings: Savings, messages: list[Any]) -> None:
    """Write the savings into the request metadata and its ``spend_logs_metadata``."""
    metadata = metadata_of(data, create=True)
    assert metadata is not None
    metadata[RECORD_KEY] = {**savings.to_dict(), "digest": digest(messages)}
    spend = metadata.get("spend_logs_metadata")
    metadata["spend_logs_metadata"] = {
        **(spend if isinstance(spend, Mapping) else {}),
        "kaizen_tokens_before": savings.tokens_before,
        "kaizen_tokens_after": savings.tokens_after,
        "kaizen_tokens_saved": savings.tokens_saved,
    }
