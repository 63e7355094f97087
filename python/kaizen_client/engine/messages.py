"""``compress_messages``: re-encode the JSON inside chat messages where it saves tokens.

Runs on every LLM call, so it is pure, deterministic and cheap on repeats: each string's
rewrite is cached by (string, model, options), each fragment's outcome by (fragment text,
model, options) in the engine's LRU cache (:mod:`.cache`).

What is touched (every other key, role, order, id and all non-JSON text stay as they are;
the input is never mutated, and only the messages and content lists that change are
copied):

* ``content`` when it is a string; in a content list, each part's ``text`` string (OpenAI
  ``text``/``input_text`` parts, Anthropic ``text`` blocks) and Anthropic ``tool_result``
  blocks' ``content`` (a string, or a list of blocks with ``text``).
* Not assistant messages: a model imitates its own earlier turns, and JSON it wrote is
  usually JSON it must keep writing.
* Not ``tool_calls[].function.arguments`` (or Anthropic ``tool_use.input``): providers parse
  those as JSON, so rewriting them would break the request.
* Not messages before ``preserve_prefix``, nor, with ``respect_cache_control``, those up to
  and including the last one carrying an Anthropic ``cache_control`` breakpoint: changing a
  cached prefix would throw away the provider's prompt cache. Their fragments are reported
  with reason ``cache_prefix``.

Round-trip guarantee: text outside fragments is byte-identical; in auto mode (the default)
each compressed fragment's replacement decodes with ``ktof.decode`` to exactly
``json.loads(original_fragment)`` (types and key order included), and this is checked
before a replacement is used (``verify``). Only source-exact fragments are offered
(:mod:`.fragments`): no float literal its float cannot write back, no duplicate keys, no
broken JSON; others are kept and reported with that reason. The original whitespace and
formatting of the JSON text is not preserved. ``mode="toon"`` is plain TOON 4.0, which
writes 1.0 as 1.

A ``jsonl`` fragment (a string that is JSON lines, :mod:`.jsonl`) is replaced as a whole by
the KTOF of its list of records; that list is what the replacement decodes to.

A fenced block keeps its fence, relabelled ```` ```toon ```` when the text is exactly
plain TOON 4.0 and ```` ```ktof ```` otherwise. A multi-line replacement of an
embedded fragment is put on lines of its own: a ``"\\n"`` is added before it (after it)
when the prose does not already end (start) with one there; those newlines belong to the
replacement, and the replacement with them stripped is what decodes to the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .cache import ENGINE_CACHE, MAX_CACHED_CHARS
from .defaults import (
    DEFAULT_MIN_PERCENT_SAVED,
    DEFAULT_MIN_TOKENS_SAVED,
    DEFAULT_MODEL,
    EncodeMode,
    FragmentAction,
    FragmentKind,
    FragmentReason,
)
from .fragments import Fragment, find_fragments
from .gating import GateSettings, count, decide
from .report import CompressionReport, FragmentDecision

_SKIPPED_ROLES = frozenset({"assistant"})
_TEXT_PART_TYPES = frozenset({"text", "input_text"})

# (kind, reason, tokens_before, tokens_after) for one fragment of one string.
_Item = tuple[FragmentKind, FragmentReason, int, int]


@dataclass(frozen=True, slots=True)
class CompressionOptions:
    """Knobs of :func:`compress_messages` (defaults: 10 tokens and 5 % must be saved)."""

    min_tokens_saved: int = DEFAULT_MIN_TOKENS_SAVED
    min_percent_saved: float = DEFAULT_MIN_PERCENT_SAVED
    bypass: bool = False
    preserve_prefix: int = 0
    respect_cache_control: bool = True
    mode: EncodeMode = "auto"
    indent: int | None = None
    delimiter: str | None = None
    verify: bool = True
    """Decode every replacement and compare it with the original before using it."""
    jsonl: bool = True
    """Treat a string that is JSON lines as one table of records (fragment kind ``jsonl``)."""

    def gate_settings(self) -> GateSettings:
        return GateSettings(
            self.mode,
            self.min_tokens_saved,
            self.min_percent_saved,
            self.indent,
            self.delimiter,
            self.verify,
            self.jsonl,
        )


DEFAULT_OPTIONS = CompressionOptions()


def compress_messages(
    messages: Sequence[Any],
    *,
    model: str = DEFAULT_MODEL,
    options: CompressionOptions | None = None,
) -> tuple[list[Any], CompressionReport]:
    """Compressed copy of ``messages`` and the report of every fragment decision."""
    opts = options or DEFAULT_OPTIONS
    settings = opts.gate_settings()
    prefix_end = opts.preserve_prefix
    if opts.respect_cache_control:
        prefix_end = max(prefix_end, last_cache_breakpoint(messages) + 1)
    out: list[Any] = []
    decisions: list[FragmentDecision] = []
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping) or message.get("role") in _SKIPPED_ROLES:
            out.append(message)
            continue
        skip: FragmentReason | None = None
        if opts.bypass:
            skip = "bypassed"
        elif index < prefix_end:
            skip = "cache_prefix"
        walker = _MessageWalker(index, model, settings, skip, decisions)
        out.append(walker.message(message))
    return out, CompressionReport.from_fragments(model, decisions)


def compress_text(
    text: str,
    *,
    model: str = DEFAULT_MODEL,
    options: CompressionOptions | None = None,
) -> tuple[str, CompressionReport]:
    """``text`` with its worthwhile JSON fragments replaced, and the report of every decision.

    The string-level entry point for integrations that hold text rather than chat messages
    (a retrieved node, a tool output): the same detection, gate, verification and cache as
    :func:`compress_messages`. Each decision is reported with ``message_index`` 0 and path
    ``"text"``; ``preserve_prefix`` and ``respect_cache_control`` do not apply, ``bypass``
    does. A JSON-lines text comes back as the KTOF of its list of records (kind ``jsonl``).
    """
    opts = options or DEFAULT_OPTIONS
    skip: FragmentReason | None = "bypassed" if opts.bypass else None
    decisions: list[FragmentDecision] = []
    walker = _MessageWalker(0, model, opts.gate_settings(), skip, decisions)
    new = walker.string(text, "text")
    return new, CompressionReport.from_fragments(model, decisions)


def last_cache_breakpoint(messages: Sequence[Any]) -> int:
    """Index of the last message with a ``cache_control`` marker (on it or a block), or -1."""
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if not isinstance(message, Mapping):
            continue
        if message.get("cache_control") is not None:
            return index
        if _has_breakpoint(message.get("content")):
            return index
    return -1


def _has_breakpoint(content: Any) -> bool:
    """Whether a content list, or a ``tool_result`` block's list inside it, has a breakpoint."""
    if not isinstance(content, list):
        return False
    for part in content:
        if isinstance(part, Mapping) and (
            part.get("cache_control") is not None or _has_breakpoint(part.get("content"))
        ):
            return True
    return False


class _MessageWalker:
    """Rewrites the strings of one message, recording a decision per fragment."""

    def __init__(
        self,
        index: int,
        model: str,
        settings: GateSettings,
        skip: FragmentReason | None,
        decisions: list[FragmentDecision],
    ) -> None:
        self.index = index
        self.model = model
        self.settings = settings
        self.skip = skip
        self.decisions = decisions

    def message(self, message: Mapping[str, Any]) -> Any:
        content = message.get("content")
        if isinstance(content, str):
            new: Any = self.string(content, "content")
        elif isinstance(content, list):
            new = self.parts(content, "content")
        else:
            return message
        if new is content:
            return message
        copy = dict(message)
        copy["content"] = new
        return copy

    def parts(self, parts: list[Any], path: str) -> list[Any]:
        out: list[Any] | None = None
        for k, part in enumerate(parts):
            new = self.part(part, f"{path}[{k}]")
            if new is not part:
                if out is None:
                    out = list(parts)
                out[k] = new
        return parts if out is None else out

    def part(self, part: Any, path: str) -> Any:
        if not isinstance(part, Mapping):
            return part
        kind = part.get("type")
        if kind == "tool_result":
            inner = part.get("content")
            if isinstance(inner, str):
                new: Any = self.string(inner, f"{path}.content")
            elif isinstance(inner, list):
                new = self.parts(inner, f"{path}.content")
            else:
                return part
            key = "content"
        elif kind in _TEXT_PART_TYPES and isinstance(part.get("text"), str):
            inner = part["text"]
            new = self.string(inner, f"{path}.text")
            key = "text"
        else:
            return part
        if new is inner:
            return part
        copy = dict(part)
        copy[key] = new
        return copy

    def string(self, text: str, path: str) -> str:
        new, items = rewrite_string(text, self.model, self.settings, self.skip)
        for kind, reason, before, after in items:
            action: FragmentAction = "compressed" if reason == "compressed" else "skipped"
            self.decisions.append(
                FragmentDecision(self.index, path, kind, action, reason, before, after)
            )
        return text if new == text else new


def rewrite_string(
    text: str, model: str, settings: GateSettings, skip: FragmentReason | None = None
) -> tuple[str, tuple[_Item, ...]]:
    """``text`` with its worthwhile fragments replaced, and one item per fragment (cached).

    With ``skip`` set nothing is replaced and every fragment is reported with that reason.
    """
    if "{" not in text and "[" not in text:  # plain prose: no scan, no cache entry
        return text, ()
    if len(text) > MAX_CACHED_CHARS:
        return _rewrite(text, model, settings, skip)
    key = ("string", text, model, settings, skip)
    cached: tuple[str, tuple[_Item, ...]] | None = ENGINE_CACHE.get(key)
    if cached is None:
        cached = _rewrite(text, model, settings, skip)
        ENGINE_CACHE.put(key, cached)
    return cached


def _rewrite(
    text: str, model: str, settings: GateSettings, skip: FragmentReason | None
) -> tuple[str, tuple[_Item, ...]]:
    fragments = find_fragments(text, jsonl=settings.jsonl)
    if not fragments:
        return text, ()
    items: list[_Item] = []
    pieces: list[str] = []
    cursor = 0
    for fragment in fragments:
        replacement, item = _replace(text, fragment, model, settings, skip)
        items.append(item)
        if replacement is not None:
            pieces.append(text[cursor : fragment.start])
            pieces.append(replacement)
            cursor = fragment.end
    if not pieces:
        return text, tuple(items)
    pieces.append(text[cursor:])
    return "".join(pieces), tuple(items)


def _replace(
    text: str,
    fragment: Fragment,
    model: str,
    settings: GateSettings,
    skip: FragmentReason | None,
) -> tuple[str | None, _Item]:
    """The replacement for ``fragment`` (``None`` to keep it) and its report item."""
    if fragment.problem is not None:  # not a complete, source-exact JSON value: keep it
        tokens = count(fragment.json_text, model)
        return None, (fragment.kind, fragment.problem, tokens, tokens)
    if skip is not None:
        tokens = count(fragment.json_text, model)
        return None, (fragment.kind, skip, tokens, tokens)
    outcome = decide(
        fragment.json_text, fragment.value, model, settings, fenced=fragment.kind == "fenced"
    )
    item: _Item = (fragment.kind, outcome.reason, outcome.tokens_before, outcome.tokens_after)
    encoded = outcome.encoded
    if encoded is None:
        return None, item
    if fragment.kind == "fenced":
        return f"```{outcome.label}\n{encoded}\n```", item
    if fragment.kind == "embedded" and "\n" in encoded:
        if fragment.start > 0 and text[fragment.start - 1] != "\n":
            encoded = "\n" + encoded
        if fragment.end < len(text) and text[fragment.end] != "\n":
            encoded += "\n"
    return encoded, item
