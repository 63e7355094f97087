"""``KaizenNodePostprocessor``: retrieved nodes reach the LLM with their JSON as KTOF.

Retrieved API responses, records and exported tables are JSON, and JSON is the most
expensive way to spell a table. This postprocessor sends each node's text (and chosen
metadata values) through the Kaizen engine, which rewrites the JSON inside as KTOF only
where that saves tokens. Everything else about a node (id, score, metadata, relationships,
order) is kept; nodes without JSON are returned as the very same objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle, TextNode

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.integrations import (
    IntegrationRuntime,
    SettingsFields,
    TextResult,
    acompress_texts,
    compress_texts,
)
from kaizen_client.models import DEFAULT_MIN_PERCENT_SAVED, DEFAULT_MIN_TOKENS_SAVED, DEFAULT_MODEL

from .events import (
    KaizenCompressionErrorEvent,
    KaizenCompressionEvent,
    KaizenSavings,
    dispatcher,
    logger,
)
from .node import compressed_copy, llm_text

TEXT = ""
"""The slot name of a node's own text (other slots are metadata keys)."""


@dataclass(frozen=True, slots=True)
class _Job:
    """One string to compress: where it lives and what is sent."""

    node: int
    slot: str
    sent: str


class KaizenNodePostprocessor(SettingsFields, BaseNodePostprocessor):
    """Compress the JSON in retrieved nodes (text and chosen metadata) before the LLM.

    Local engine by default; ``client=``, ``base_url=`` or ``api_key=`` use a Kaizen server.
    Fails open: on an error the original nodes go through, a warning is logged and
    ``savings.failures`` counts it; ``on_error="raise"`` raises ``KaizenCompressionError``.
    Compressed nodes keep their retrieved text and metadata for everything but the LLM's
    prompt (see :class:`~.node.CompressedTextNode`), so ``response.source_nodes`` show the
    stored JSON. The engine settings are fixed when it is built (assigning one raises
    ``SettingsFrozenError``; :meth:`with_settings` gives a changed copy).
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
    keep_original_text: bool = True
    """Nodes keep the retrieved text and metadata (``get_content()``, source nodes, citations)
    and the LLM gets the compressed form; ``False``: the compressed form replaces them."""
    on_error: Literal["fallback", "raise"] = "fallback"
    base_url: str | None = None
    """Kaizen server URL for remote mode (``"local"`` or unset: the in-process engine)."""
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    client: KaizenClient | KaizenSyncClient | None = Field(default=None, exclude=True, repr=False)

    _kaizen: IntegrationRuntime[KaizenSavings] = PrivateAttr()

    @classmethod
    def class_name(cls) -> str:
        return "KaizenNodePostprocessor"

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        settings = self.freeze_settings(respect_cache_control=False)
        # A cold batch of many nodes is milliseconds of CPU: keep async calls off the loop.
        self._kaizen = IntegrationRuntime(
            settings, KaizenSavings, logger=logger, what="nodes", offload=True
        )

    @property
    def savings(self) -> KaizenSavings:
        """Cumulative savings (and failures) over every call so far."""
        return self._kaizen.ledger.total

    @property
    def last_savings(self) -> KaizenSavings:
        """Savings of the most recent call."""
        return self._kaizen.ledger.last

    def reset_savings(self) -> None:
        self._kaizen.ledger.reset()

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
        texts, where, count = [job.sent for job in jobs], self.class_name(), len(nodes)
        done = self._kaizen.guard.run(
            lambda: compress_texts(self._kaizen.backend, texts), None, where, items=count
        )
        return (
            self._fell_back(nodes, done.error)
            if done.value is None
            else self._apply(nodes, jobs, done.value)
        )

    async def acompress(
        self, nodes: list[NodeWithScore]
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        """Async twin of :meth:`compress`: the engine (or the HTTP call) never blocks the loop."""
        jobs = self._jobs(nodes)
        if not jobs:
            return nodes, KaizenSavings()
        texts, where, count = [job.sent for job in jobs], self.class_name(), len(nodes)
        done = await self._kaizen.guard.arun(
            lambda: acompress_texts(self._kaizen.backend, texts), None, where, items=count
        )
        return (
            self._fell_back(nodes, done.error)
            if done.value is None
            else self._apply(nodes, jobs, done.value)
        )

    # ------------------------------------------------------------------ text helpers
    def compress_text(self, text: str) -> str:
        """``text`` with its JSON compressed (for workflow steps and custom prompts)."""
        return llm_text(self.compress([NodeWithScore(node=TextNode(text=text))])[0][0].node)

    async def acompress_text(self, text: str) -> str:
        """Async twin of :meth:`compress_text`; the engine runs off the event loop."""
        nodes, _ = await self.acompress([NodeWithScore(node=TextNode(text=text))])
        return llm_text(nodes[0].node)

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
        return _Job(index, slot, text) if self._candidate(text) else None

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

    def _apply(
        self, nodes: list[NodeWithScore], jobs: Sequence[_Job], results: Sequence[TextResult]
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        changes: dict[int, dict[str, Any]] = {}
        before = after = 0
        for job, result in zip(jobs, results, strict=True):
            before += result.tokens_before
            after += result.tokens_after
            if result.text != job.sent:
                changes.setdefault(job.node, {})[job.slot] = result.text
        out = list(nodes)
        for index, slots in changes.items():
            out[index] = self._replaced(nodes[index], slots)
        call = self._kaizen.ledger.add(KaizenSavings(1, 0, len(nodes), len(changes), before, after))
        dispatcher.event(
            KaizenCompressionEvent(
                model=self.model,
                backend=self._kaizen.backend.name,
                nodes=len(nodes),
                nodes_compressed=len(changes),
                tokens_before=before,
                tokens_after=after,
                tokens_saved=before - after,
            )
        )
        return (out if changes else nodes), call

    def _fell_back(
        self, nodes: list[NodeWithScore], description: str | None
    ) -> tuple[list[NodeWithScore], KaizenSavings]:
        """The guard counted and logged the failure; tell instrumentation too."""
        dispatcher.event(
            KaizenCompressionErrorEvent(
                backend=self._kaizen.backend.name, nodes=len(nodes), error=description or ""
            )
        )
        return nodes, KaizenSavings.of_failure(items=len(nodes))

    def _replaced(self, item: NodeWithScore, slots: dict[str, Any]) -> NodeWithScore:
        """A copy of ``item`` with the LLM's text and/or metadata values; ids and the rest kept."""
        metadata = {key: value for key, value in slots.items() if key != TEXT}
        node = compressed_copy(item.node, slots.get(TEXT), metadata, self.keep_original_text)
        return NodeWithScore(node=node, score=item.score)
