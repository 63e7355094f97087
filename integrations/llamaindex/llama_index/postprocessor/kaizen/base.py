"""``KaizenNodePostprocessor``: retrieved nodes reach the LLM with their JSON as KTOF.

Retrieved API responses, records and exported tables are JSON, and JSON is the most
expensive way to spell a table. This postprocessor sends each node's text (and chosen
metadata values) through the Kaizen engine, which rewrites the JSON inside as KTOF only
where that saves tokens. Everything else about a node (id, score, metadata, relationships,
order) is kept; nodes without JSON are returned as the very same objects.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr, model_validator
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle, TextNode
from typing_extensions import Self

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import (
    client_settings,
    describe_error,
    is_remote,
    make_backend,
    secret_value,
)
from kaizen_client.models import DEFAULT_MIN_PERCENT_SAVED, DEFAULT_MIN_TOKENS_SAVED, DEFAULT_MODEL

from ._backend import TextBackend, TextResult
from ._jsonl import as_json_array, worth_it
from .events import (
    KaizenCompressionErrorEvent,
    KaizenCompressionEvent,
    KaizenSavings,
    dispatcher,
    warn_fallback,
)

TEXT = ""
"""The slot name of a node's own text (other slots are metadata keys)."""


@dataclass(frozen=True, slots=True)
class _Job:
    """One string to compress: where it lives, what is sent, and what was there."""

    node: int
    slot: str
    sent: str
    original: Any
    jsonl: bool


class KaizenNodePostprocessor(BaseNodePostprocessor):
    """Compress the JSON in retrieved nodes (text and chosen metadata) before the LLM.

    Local engine by default; ``client=``, ``base_url=`` or ``api_key=`` use a Kaizen server.
    Fails open: on an error the original nodes go through, a warning is logged and
    ``savings.failures`` counts it; ``on_error="raise"`` raises instead.
    """

    model: str = DEFAULT_MODEL
    """Tokenizer model used to decide whether a rewrite saves tokens."""
    min_tokens_saved: int = Field(default=DEFAULT_MIN_TOKENS_SAVED, ge=0)
    min_percent_saved: float = Field(default=DEFAULT_MIN_PERCENT_SAVED, ge=0, le=100)
    min_chars: int = Field(default=64, ge=0)
    """Texts shorter than this are not worth a look (they cannot save enough tokens)."""
    mode: Literal["auto", "toon"] = "auto"
    """``auto``: fewest tokens, lossless KTOF; ``toon``: plain TOON 4.0 only."""
    metadata_keys: list[str] = Field(default_factory=list)
    """Metadata values to compress too (strings with JSON, or dicts/lists)."""
    jsonl: bool = True
    """Treat a text whose every non-empty line is JSON as one list of records."""
    on_error: Literal["fallback", "raise"] = "fallback"
    base_url: str | None = None
    """Kaizen server URL for remote mode (``"local"`` or unset: the in-process engine)."""
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    client: KaizenClient | KaizenSyncClient | None = Field(default=None, exclude=True, repr=False)

    _backend: TextBackend = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _total: KaizenSavings = PrivateAttr(default_factory=KaizenSavings)
    _last: KaizenSavings = PrivateAttr(default_factory=KaizenSavings)

    @classmethod
    def class_name(cls) -> str:
        return "KaizenNodePostprocessor"

    @model_validator(mode="after")
    def _adopt_client_settings(self) -> Self:
        if self.client is not None:
            self.base_url, self.api_key = client_settings(self.client, self.base_url, self.api_key)
        return self

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._backend = self._make_backend()

    def _make_backend(self) -> TextBackend:
        options = CompressionOptions(
            min_tokens_saved=self.min_tokens_saved,
            min_percent_saved=self.min_percent_saved,
            respect_cache_control=False,
            mode=self.mode,
        )
        # A cold batch of many nodes is milliseconds of CPU: keep async calls off the loop.
        backend = make_backend(
            self.model,
            options,
            client=self.client,
            base_url=self.base_url,
            api_key=self.api_key,
            offload=True,
        )
        return TextBackend(backend)

    # ------------------------------------------------------------------ public state
    @property
    def is_remote(self) -> bool:
        """Whether calls go to a Kaizen server rather than the in-process engine."""
        return is_remote(self.client, self.base_url, self.api_key)

    @property
    def savings(self) -> KaizenSavings:
        """Cumulative savings (and failures) over every call so far."""
        return self._total

    @property
    def last_savings(self) -> KaizenSavings:
        """Savings of the most recent call."""
        return self._last

    def reset_savings(self) -> None:
        with self._lock:
            self._total = KaizenSavings()
            self._last = KaizenSavings()

    # ------------------------------------------------------------------ the hooks
    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        return self.compress(nodes)[0]

    @dispatcher.span
    async def _apostprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        return (await self.acompress(nodes))[0]

    def compress(self, nodes: list[NodeWithScore]) -> tuple[list[NodeWithScore], KaizenSavings]:
        """The nodes compressed and what this call saved (``nodes`` itself if none changed)."""
        jobs = self._jobs(nodes)
        if not jobs:
            return nodes, KaizenSavings()
        try:
            results = self._backend.compress([job.sent for job in jobs])
        except Exception as exc:
            return self._failed(exc, nodes)
        return self._apply(nodes, jobs, results)

    async def acompress(
        self, nodes: list[NodeWithScore]
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        """Async twin of :meth:`compress`: the engine (or the HTTP call) never blocks the loop."""
        jobs = self._jobs(nodes)
        if not jobs:
            return nodes, KaizenSavings()
        try:
            results = await self._backend.acompress([job.sent for job in jobs])
        except Exception as exc:
            return self._failed(exc, nodes)
        return self._apply(nodes, jobs, results)

    # ------------------------------------------------------------------ text helpers
    def compress_text(self, text: str) -> str:
        """``text`` with its JSON compressed (for workflow steps and custom prompts)."""
        return _node_text(self.compress([NodeWithScore(node=TextNode(text=text))])[0][0])

    async def acompress_text(self, text: str) -> str:
        """Async twin of :meth:`compress_text`; the engine runs off the event loop."""
        nodes, _ = await self.acompress([NodeWithScore(node=TextNode(text=text))])
        return _node_text(nodes[0])

    # ------------------------------------------------------------------ the work
    def _candidate(self, text: str) -> bool:
        return len(text) >= self.min_chars and ("{" in text or "[" in text)

    def _job(self, index: int, slot: str, value: Any) -> _Job | None:
        if isinstance(value, str):
            text = value
        elif slot != TEXT and isinstance(value, (dict, list)):
            try:
                text = json.dumps(value, ensure_ascii=False)
            except (TypeError, ValueError):
                return None
        else:
            return None
        if not self._candidate(text):
            return None
        array = as_json_array(text) if self.jsonl and isinstance(value, str) else None
        if array is not None:
            return _Job(index, slot, array, value, True)
        return _Job(index, slot, text, value, False)

    def _jobs(self, nodes: Sequence[NodeWithScore]) -> list[_Job]:
        jobs: list[_Job] = []
        for index, item in enumerate(nodes):
            node = item.node
            job = self._job(index, TEXT, node.get_content(metadata_mode=MetadataMode.NONE))
            if job is not None:
                jobs.append(job)
            for key in self.metadata_keys:
                if key in node.metadata:
                    job = self._job(index, key, node.metadata[key])
                    if job is not None:
                        jobs.append(job)
        return jobs

    def _settle(self, job: _Job, result: TextResult) -> TextResult:
        """JSON lines: undo the array unless it still pays against the original text."""
        if not job.jsonl:
            return result
        original = str(job.original)
        if result.text == job.sent:
            return TextResult(original, result.tokens_before, result.tokens_after, 0)
        ok, before = worth_it(
            original, result.tokens_after, self.model, self.min_tokens_saved, self.min_percent_saved
        )
        if not ok:
            return TextResult(original, before, before, 0)
        return TextResult(result.text, before, result.tokens_after, result.fragments_compressed)

    def _apply(
        self, nodes: list[NodeWithScore], jobs: Sequence[_Job], results: Sequence[TextResult]
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        changes: dict[int, dict[str, Any]] = {}
        before = after = 0
        for job, raw in zip(jobs, results, strict=True):
            result = self._settle(job, raw)
            before += result.tokens_before
            after += result.tokens_after
            if result.text != (job.original if job.jsonl else job.sent):
                changes.setdefault(job.node, {})[job.slot] = result.text
        out = list(nodes)
        for index, slots in changes.items():
            out[index] = _replaced(nodes[index], slots)
        call = KaizenSavings(1, 0, len(nodes), len(changes), before, after)
        self._record(call)
        dispatcher.event(
            KaizenCompressionEvent(
                model=self.model,
                backend=self._backend.name,
                nodes=len(nodes),
                nodes_compressed=len(changes),
                tokens_before=before,
                tokens_after=after,
                tokens_saved=before - after,
            )
        )
        return (out if changes else nodes), call

    def _record(self, call: KaizenSavings) -> None:
        with self._lock:
            self._last = call
            self._total = self._total + call

    def _failed(
        self, exc: Exception, nodes: list[NodeWithScore]
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        if self.on_error == "raise":
            raise exc
        description = describe_error(exc, [secret_value(self.api_key)])
        call = KaizenSavings(1, 1, len(nodes))
        self._record(call)
        warn_fallback(description)
        dispatcher.event(
            KaizenCompressionErrorEvent(
                backend=self._backend.name, nodes=len(nodes), error=description
            )
        )
        return nodes, call


def _replaced(item: NodeWithScore, slots: dict[str, Any]) -> NodeWithScore:
    """A copy of ``item`` with new text and/or metadata values; ids and the rest kept."""
    node = item.node.model_copy()
    metadata = {key: value for key, value in slots.items() if key != TEXT}
    if metadata:
        node.metadata = {**item.node.metadata, **metadata}
    if TEXT in slots:
        node.set_content(slots[TEXT])
    return NodeWithScore(node=node, score=item.score)


def _node_text(item: NodeWithScore) -> str:
    return item.node.get_content(metadata_mode=MetadataMode.NONE)
