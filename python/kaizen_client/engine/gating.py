"""Decide whether one JSON fragment is worth replacing by its KTOF text.

TOON-style text costs *more* tokens than compact JSON on deeply nested or irregular data,
and even auto mode only promises "never more than compact JSON", while a prompt usually
holds pretty-printed JSON. So a fragment is replaced only when the replacement saves at
least ``min_tokens_saved`` tokens *and* ``min_percent_saved`` percent of the fragment's
tokens, both counted with the caller's model. Saving zero tokens never counts as a saving.

A replacement is also decoded and compared with the original value before it is used
(type-exactly in auto mode), so a codec bug costs a skipped fragment (reason ``error``),
never a corrupted prompt. For the usual output, a flat root table, ``decodes_to`` reads each
cell and compares it with the original as it goes (no value is built); anything it cannot
vouch for gets the full decode and ``same_json``. That costs under a tenth of a cold call
(a quarter of one token count of the fragment) and nothing on warm ones.
Outcomes are cached by (fragment text, model, settings), so repeated agent turns skip the
codec and the tokenizer entirely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ..ktof import decode, encode
from ..ktof._equal import same_json
from ..ktof.decoder import decodes_to
from ..ktof.encoder import encode_counted
from ..tokens import count_tokens
from .cache import ENGINE_CACHE, MAX_CACHED_CHARS
from .defaults import (
    DEFAULT_MIN_PERCENT_SAVED,
    DEFAULT_MIN_TOKENS_SAVED,
    EncodeMode,
    FragmentReason,
)

TOON_LABEL: Final = "toon"
"""Fence label for replacement text that is exactly what plain TOON 4.0 encoding gives."""
KTOF_LABEL: Final = "ktof"
"""Fence label for replacement text that uses KTOF extensions (or may; the safe default)."""


@dataclass(frozen=True, slots=True)
class GateSettings:
    """The options that change a fragment's outcome; hashable, so part of the cache key."""

    mode: EncodeMode = "auto"
    min_tokens_saved: int = DEFAULT_MIN_TOKENS_SAVED
    min_percent_saved: float = DEFAULT_MIN_PERCENT_SAVED
    indent: int | None = None
    delimiter: str | None = None
    verify: bool = True
    jsonl: bool = True
    """Detect JSON lines (a detection switch, kept here so it is part of the cache keys)."""

    def encode_kwargs(self, model: str) -> dict[str, Any]:
        """Keyword arguments for ``ktof.encode``; unset knobs keep the codec's defaults."""
        kwargs: dict[str, Any] = {"mode": self.mode, "model": model}
        if self.indent is not None:
            kwargs["indent"] = self.indent
        if self.delimiter is not None:
            kwargs["delimiter"] = self.delimiter
        return kwargs


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decision for one fragment; ``encoded`` is set only when ``reason`` is compressed."""

    reason: FragmentReason
    tokens_before: int
    tokens_after: int
    encoded: str | None = None
    label: str = KTOF_LABEL


def count(text: str, model: str) -> int:
    """Tokens of ``text`` for ``model``, cached like outcomes."""
    if len(text) > MAX_CACHED_CHARS:
        return count_tokens(text, model)
    key = ("count", text, model)
    cached = ENGINE_CACHE.get(key)
    if cached is None:
        cached = count_tokens(text, model)
        ENGINE_CACHE.put(key, cached)
    result: int = cached
    return result


def decide(
    json_text: str, value: Any, model: str, settings: GateSettings, *, fenced: bool = False
) -> Outcome:
    """Outcome for a parsed fragment whose source text is ``json_text`` (cached)."""
    if len(json_text) > MAX_CACHED_CHARS:
        return _decide(json_text, value, model, settings, fenced)
    key = ("decide", json_text, model, settings, fenced)
    outcome: Outcome | None = ENGINE_CACHE.get(key)
    if outcome is None:
        outcome = _decide(json_text, value, model, settings, fenced)
        ENGINE_CACHE.put(key, outcome)
    return outcome


def _decide(
    json_text: str, value: Any, model: str, settings: GateSettings, fenced: bool
) -> Outcome:
    before = count(json_text, model)
    floor = max(settings.min_tokens_saved, 1)
    if before <= floor:
        return Outcome("too_small", before, before)
    try:
        # The codec knows its text's token count; the root-JSON comparison is skipped because
        # the gate below compares with the original fragment anyway.
        encoded, after = encode_counted(value, **settings.encode_kwargs(model), compare_json=False)
    except Exception:  # the hot path must never break an LLM call: report and move on
        return Outcome("error", before, before)
    saved = before - after
    if saved < floor or saved * 100 < settings.min_percent_saved * before:
        return Outcome("no_saving", before, before)
    if settings.verify and not _round_trips(value, encoded, settings):
        return Outcome("error", before, before)
    label = _fence_label(value, encoded, model, settings) if fenced else KTOF_LABEL
    return Outcome("compressed", before, after, encoded, label)


def _round_trips(value: Any, encoded: str, settings: GateSettings) -> bool:
    """Whether ``encoded`` decodes back to ``value`` (type-exactly unless in lossy toon mode)."""
    indent = settings.indent or 2
    try:
        # Fast path: the engine's usual output (a flat root table) is compared cell by cell
        # while it is read, with no value built; "not certain" falls through to the full check.
        if settings.mode != "toon" and indent >= 1 and decodes_to(encoded, value):
            return True
        decoded = decode(encoded, indent=indent)
        if settings.mode == "toon":  # TOON writes 1.0 as 1: compare values, not types
            return bool(decoded == value)
        return same_json(decoded, value)  # types, values and key order
    except Exception:
        return False


def _fence_label(value: Any, encoded: str, model: str, settings: GateSettings) -> str:
    """``toon`` when ``encoded`` is what plain TOON encoding gives, else ``ktof``."""
    if settings.mode == "toon":
        return TOON_LABEL
    if surely_not_toon(encoded):  # the usual KTOF table: no second encoding needed
        return KTOF_LABEL
    try:
        toon = encode(value, **{**settings.encode_kwargs(model), "mode": "toon"})
    except Exception:
        return KTOF_LABEL
    return TOON_LABEL if toon == encoded else KTOF_LABEL


def surely_not_toon(encoded: str) -> bool:
    """Whether ``encoded`` is a text that plain TOON encoding never writes, read from its first
    line: TOON never indents its first line (KTOF's root JSON object starts with a space),
    and a first line of TOON opening with ``[`` is ``[]`` (the empty root array) or a root
    array header, which always holds a ``:`` (a string opening with ``[`` is quoted), while
    KTOF's unindented table header ``[N]{...}`` and root JSON array ``[...]`` need none."""
    first, _, _ = encoded.partition("\n")
    return first[:1] == " " or (first[:1] == "[" and ":" not in first and first != "[]")
