"""What ``compress_messages`` decided, fragment by fragment, and the totals of those decisions.

Plain frozen dataclasses rather than pydantic models because a report is built on every LLM
call; ``to_dict`` gives the wire shape of ``models.CompressionReport``. Totals are computed
from the fragments, never tracked separately, so they always equal the sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .defaults import FragmentAction, FragmentKind, FragmentReason


@dataclass(frozen=True, slots=True)
class FragmentDecision:
    """One JSON fragment: where it is, what was done and what it cost in tokens."""

    message_index: int
    path: str
    kind: FragmentKind
    action: FragmentAction
    reason: FragmentReason
    tokens_before: int
    tokens_after: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_index": self.message_index,
            "path": self.path,
            "kind": self.kind,
            "action": self.action,
            "reason": self.reason,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
        }


@dataclass(frozen=True, slots=True)
class CompressionReport:
    """All decisions of one call plus their totals (``model`` counted the tokens)."""

    model: str
    fragments: tuple[FragmentDecision, ...]
    tokens_before: int
    tokens_after: int
    tokens_saved: int
    fragments_compressed: int

    @classmethod
    def from_fragments(cls, model: str, fragments: Iterable[FragmentDecision]) -> CompressionReport:
        """Build the report; the totals are the sums over ``fragments``."""
        items = tuple(fragments)
        before = sum(f.tokens_before for f in items)
        after = sum(f.tokens_after for f in items)
        compressed = sum(1 for f in items if f.action == "compressed")
        return cls(model, items, before, after, before - after, compressed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "fragments": [f.to_dict() for f in self.fragments],
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "tokens_saved": self.tokens_saved,
            "fragments_compressed": self.fragments_compressed,
        }
