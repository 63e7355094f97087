"""The integration core: what every framework package and provider adapter shares.

An integration (``langchain-kaizen``, ``llama-index-postprocessor-kaizen``,
``kaizen-litellm``, the provider adapters) is framework glue over these pieces:

* :class:`IntegrationSettings` (``settings``): the knobs every integration accepts, checked
  once and frozen; they pick the backend.
* :class:`LocalBackend` / :class:`RemoteBackend` (``backend``): the in-process engine or a
  Kaizen server, over OpenAI-style message lists.
* :class:`CompressionGuard` (``run``): compress, or fall back (count, one redacted warning
  line) or raise :class:`KaizenCompressionError`, the same way everywhere;
  :class:`IntegrationRuntime` holds an integration's settings, backend, ledger and guard.
* :class:`SettingsFields`: the same frozen settings for components that are pydantic models.
* :class:`Savings`, :class:`SavingsTotals`, :class:`SavingsLedger` (``savings``): one call's
  savings and thread-safe running totals.
* ``streams``: TOON replies in OpenAI-style responses and chunk streams, as JSON text.
* ``texts``: a batch of texts (documents, nodes) through a backend in one call.
* ``replies``: reading a model's TOON/KTOF or JSON reply, bare or fenced, whole or streamed.

This package imports no framework and no provider SDK, only the core; modules that adapt a
provider SDK live beside these and are imported by name only.
"""

from __future__ import annotations

from .backend import (
    Backend,
    LocalBackend,
    RemoteBackend,
    client_settings,
    is_remote,
    make_backend,
    secret_value,
)
from .replies import (
    ReplyShapeError,
    Shape,
    matches,
    parse_partial_json,
    parse_partial_reply,
    parse_reply,
    reply_as_json,
    reply_data,
)
from .run import (
    CompressionGuard,
    IntegrationRuntime,
    KaizenCompressionError,
    Outcome,
    describe_error,
)
from .savings import Savings, SavingsLedger, SavingsTotals
from .settings import IntegrationSettings, Mode, OnError, SettingsFields, SettingsFrozenError
from .streams import StreamDecoder, adecode_stream, decode_response, decode_stream
from .texts import TextResult, acompress_texts, compress_texts

__all__ = [
    "Backend",
    "CompressionGuard",
    "IntegrationRuntime",
    "IntegrationSettings",
    "KaizenCompressionError",
    "LocalBackend",
    "Mode",
    "OnError",
    "Outcome",
    "RemoteBackend",
    "ReplyShapeError",
    "Savings",
    "SavingsLedger",
    "SavingsTotals",
    "SettingsFields",
    "SettingsFrozenError",
    "Shape",
    "StreamDecoder",
    "TextResult",
    "acompress_texts",
    "adecode_stream",
    "client_settings",
    "compress_texts",
    "decode_response",
    "decode_stream",
    "describe_error",
    "is_remote",
    "make_backend",
    "matches",
    "parse_partial_json",
    "parse_partial_reply",
    "parse_reply",
    "reply_as_json",
    "reply_data",
    "secret_value",
]
