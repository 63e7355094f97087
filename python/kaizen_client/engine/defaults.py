"""The engine's vocabulary and defaults: what a report can say and what the gate assumes.

Defined here, below everything that uses them, so the engine imports nothing from the
layers above it (the API models, the service, the clients); :mod:`kaizen_client.models`
re-exports these names for the wire schema, which ``openapi.json`` mirrors.
"""

from __future__ import annotations

from typing import Final, Literal

from ..tokens import DEFAULT_MODEL

EncodeMode = Literal["auto", "toon"]
"""``auto``: fewest tokens, lossless KTOF; ``toon``: plain TOON 4.0."""

FragmentKind = Literal["whole", "fenced", "embedded", "jsonl"]
"""Where a fragment was found; see :mod:`.fragments` (``jsonl``: :mod:`.jsonl`)."""

FragmentAction = Literal["compressed", "skipped"]

FragmentReason = Literal[
    "compressed",
    "too_small",
    "not_json",
    "no_saving",
    "bypassed",
    "cache_prefix",
    "error",
    "not_lossless",
    "duplicate_keys",
    "malformed",
]
"""Why a fragment was (not) replaced; ``docs/engine.md`` defines each one."""

DEFAULT_MIN_TOKENS_SAVED: Final = 10
DEFAULT_MIN_PERCENT_SAVED: Final = 5.0

__all__ = [
    "DEFAULT_MIN_PERCENT_SAVED",
    "DEFAULT_MIN_TOKENS_SAVED",
    "DEFAULT_MODEL",
    "EncodeMode",
    "FragmentAction",
    "FragmentKind",
    "FragmentReason",
]
