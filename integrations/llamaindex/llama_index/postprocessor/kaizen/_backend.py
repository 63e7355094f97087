"""Where compression runs: the in-process engine, or a Kaizen server through the client.

Both take a list of texts and return the rewritten texts plus per-text token counts. Each
text travels as a one-message user chat, so one postprocess call is one engine call (one
HTTP request in remote mode) whatever the number of nodes. No compression logic lives here:
the local backend calls ``compress_messages`` and the remote one ``optimize_request``,
which runs the same engine on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.engine import CompressionOptions, compress_messages


@dataclass(frozen=True, slots=True)
class TextResult:
    """One text after compression, with the tokens of its JSON before and after."""

    text: str
    tokens_before: int
    tokens_after: int
    fragments_compressed: int


class Backend(Protocol):
    """Compresses a batch of texts."""

    @property
    def name(self) -> str: ...

    def compress(self, texts: Sequence[str]) -> list[TextResult]: ...

    async def acompress(self, texts: Sequence[str]) -> list[TextResult]: ...


def _chat(texts: Sequence[str]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text} for text in texts]


def _results(texts: Sequence[str], out: Sequence[Any], report: Any) -> list[TextResult]:
    """Pair each text with its output message and the sums of its fragments' decisions."""
    if len(out) != len(texts):
        raise ValueError("the engine returned a different number of messages")
    before = [0] * len(texts)
    after = [0] * len(texts)
    compressed = [0] * len(texts)
    for fragment in report.fragments:
        index = int(fragment.message_index)
        before[index] += int(fragment.tokens_before)
        after[index] += int(fragment.tokens_after)
        compressed[index] += fragment.action == "compressed"
    results = []
    for index, (text, message) in enumerate(zip(texts, out, strict=True)):
        content = message.get("content") if isinstance(message, Mapping) else None
        if not isinstance(content, str):
            raise ValueError("the engine returned a message without string content")
        new = text if content == text else content
        results.append(TextResult(new, before[index], after[index], compressed[index]))
    return results


@dataclass(frozen=True)
class LocalBackend:
    """The in-process engine: deterministic, cached, no network."""

    model: str
    options: CompressionOptions
    name: str = "local"

    def compress(self, texts: Sequence[str]) -> list[TextResult]:
        out, report = compress_messages(_chat(texts), model=self.model, options=self.options)
        return _results(texts, out, report)

    async def acompress(self, texts: Sequence[str]) -> list[TextResult]:
        # A cold call over many nodes is milliseconds of CPU: keep it off the event loop.
        return await asyncio.to_thread(self.compress, texts)


class RemoteBackend:
    """A Kaizen server via ``optimize_request`` (the client retries transient failures).

    Sync calls need a sync client and async calls an async one; when only one kind was
    given, sync calls use a ``KaizenSyncClient`` made from the same config and async calls
    run the sync client in a worker thread (an httpx async client made here could end up
    shared between event loops).
    """

    name = "remote"

    def __init__(
        self,
        options: Mapping[str, Any],
        *,
        sync_client: KaizenSyncClient | None = None,
        async_client: KaizenClient | None = None,
    ) -> None:
        if sync_client is None and async_client is None:
            raise ValueError("RemoteBackend needs a client")
        self._options = dict(options)
        self._async = async_client
        if sync_client is None:
            assert async_client is not None
            sync_client = KaizenSyncClient(async_client.config)
        self._sync = sync_client

    def _payload(self, texts: Sequence[str]) -> dict[str, Any]:
        return {"prompt": _chat(texts), "options": self._options}

    def compress(self, texts: Sequence[str]) -> list[TextResult]:
        response = self._sync.optimize_request(self._payload(texts))
        return _results(texts, _messages(response), response.report)

    async def acompress(self, texts: Sequence[str]) -> list[TextResult]:
        if self._async is None:
            return await asyncio.to_thread(self.compress, texts)
        response = await self._async.optimize_request(self._payload(texts))
        return _results(texts, _messages(response), response.report)


def _messages(response: Any) -> list[Any]:
    result = response.result
    if not isinstance(result, list):
        raise ValueError("the Kaizen server returned a result that is not a message list")
    return result
