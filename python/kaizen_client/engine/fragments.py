"""Find the JSON inside a string: the whole string, fenced blocks, or JSON embedded in prose.

Detection only; nothing here encodes or decides. Three kinds, checked in this order:

* ``whole``: the string, stripped, is a JSON object or array.
* ``fenced``: a Markdown block fenced by a line of three backticks at the start of a line,
  labelled ``json`` (reported as ``not_json`` when it fails to parse) or unlabelled with a
  body that parses as an object/array. Blocks labelled with any other language are code and
  are left alone, and so is everything inside them. ``~~~`` fences are not recognised.
* ``embedded``: in the prose outside fences, each outermost span that parses as a JSON
  object/array of at least :data:`MIN_EMBEDDED_CHARS` characters, found left to right.

Scanning is linear: candidate openers are found with one regular expression, each parse
uses the C JSON scanner from that opener, a successful parse skips past its end, and the
characters examined by failed parses are charged to a budget proportional to the text.
``NaN``/``Infinity`` are not JSON here, so every value found round-trips through a codec
that speaks JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from .defaults import FragmentKind

MIN_EMBEDDED_CHARS: Final = 24
"""Embedded objects/arrays shorter than this (``[1]``, ``{}``) are prose, not data."""

_SCAN_BUDGET_FACTOR: Final = 8
_SCAN_BUDGET_FLOOR: Final = 4096
_RECURSION_COST: Final = 1024

# An opener that can start a JSON object/array: '{' then '"' or '}', '[' then a value start.
_OPENER: Final = re.compile(r'\{\s*["}]|\[\s*[\[{"\-0-9tfn\]]')
# A fence line: three backticks at the start of a line, then an optional info string.
_FENCE_LINE: Final = re.compile(r"^```(?!`)[ \t]*([^\n`]*)$", re.MULTILINE)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A fragment of ``kind`` occupying ``text[start:end]`` of its string.

    ``json_text`` is the JSON itself (the fence body for fenced blocks); ``value`` is its
    parsed value when ``parsed`` is true. ``label`` is the fence's info word (fenced only).
    """

    kind: FragmentKind
    start: int
    end: int
    json_text: str
    value: Any
    parsed: bool
    label: str = ""


def parse_json(text: str) -> tuple[bool, Any]:
    """``(True, value)`` if ``text`` is strict JSON (no NaN/Infinity), else ``(False, None)``."""
    try:
        return True, _DECODER.decode(text)
    except (ValueError, RecursionError):
        return False, None


def _looks_like_container(text: str) -> bool:
    """Starts like a JSON object/array and ends like one: ``[Note] ...]`` does not."""
    stripped = text.strip()
    return len(stripped) >= 2 and stripped[-1] in "}]" and _OPENER.match(stripped) is not None


def find_fragments(text: str) -> list[Fragment]:
    """All fragments of ``text`` in order, non-overlapping; empty when there is no JSON."""
    if not text:
        return []
    whole_candidate = _looks_like_container(text)
    if whole_candidate:
        ok, value = parse_json(text)
        if ok:
            return [Fragment("whole", 0, len(text), text, value, True)]
    fragments: list[Fragment] = []
    cursor = 0
    for fence in _fences(text):
        fragments.extend(_embedded(text, cursor, fence[0]))
        fragment = _fenced(text, *fence)
        if fragment is not None:
            fragments.append(fragment)
        cursor = fence[1]
    fragments.extend(_embedded(text, cursor, len(text)))
    if not fragments and whole_candidate:
        return [Fragment("whole", 0, len(text), text, None, False)]
    return fragments


def _fences(text: str) -> list[tuple[int, int, int, int, str]]:
    """``(start, end, body_start, body_end, label)`` for each closed fenced block."""
    if "```" not in text:
        return []
    found: list[tuple[int, int, int, int, str]] = []
    opening: re.Match[str] | None = None
    for line in _FENCE_LINE.finditer(text):
        info = line.group(1).strip()
        if opening is None:
            opening = line
        elif not info:
            words = opening.group(1).split()
            label = words[0].lower() if words else ""
            body_start = opening.end() + 1
            body_end = max(body_start, line.start() - 1)
            found.append((opening.start(), line.end(), body_start, body_end, label))
            opening = None
    return found


def _fenced(
    text: str, start: int, end: int, body_start: int, body_end: int, label: str
) -> Fragment | None:
    """The fragment of one fenced block, or ``None`` when the block is not JSON."""
    if label not in ("json", ""):
        return None
    body = text[body_start:body_end]
    if label == "" and not _looks_like_container(body):
        return None
    ok, value = parse_json(body)
    if not ok and label == "":
        return None
    return Fragment("fenced", start, end, body, value, ok, label)


def _embedded(text: str, start: int, end: int) -> list[Fragment]:
    """Outermost JSON objects/arrays in ``text[start:end]``, within a linear work budget."""
    if end - start < MIN_EMBEDDED_CHARS:
        return []
    found: list[Fragment] = []
    budget = _SCAN_BUDGET_FACTOR * (end - start) + _SCAN_BUDGET_FLOOR
    pos = start
    raw_decode = _DECODER.raw_decode
    while budget > 0:
        match = _OPENER.search(text, pos, end)
        if match is None:
            break
        begin = match.start()
        try:
            value, stop = raw_decode(text, begin)
        except json.JSONDecodeError as exc:
            budget -= max(1, exc.pos - begin)
            pos = begin + 1
            continue
        except (ValueError, RecursionError):
            budget -= _RECURSION_COST
            pos = begin + 1
            continue
        if stop > end:  # ran into a fence: not a fragment of this segment
            budget -= stop - begin
            pos = begin + 1
            continue
        if stop - begin >= MIN_EMBEDDED_CHARS:
            found.append(Fragment("embedded", begin, stop, text[begin:stop], value, True))
        pos = stop
    return found
