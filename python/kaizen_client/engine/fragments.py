"""Find the JSON inside a string: the whole string, fenced blocks, or JSON embedded in prose.

Detection only; nothing here encodes or decides. Four kinds, checked in this order:

* ``whole``: the string, stripped, is a JSON object or array.
* ``jsonl``: the string is JSON lines: at least :data:`MIN_JSONL_LINES` non-blank lines,
  each one JSON object or array (blank lines allowed). Its value is the list of records,
  one per line, so one KTOF table replaces what would otherwise be many small fragments
  (or none); see :mod:`.jsonl`. A text with any other line is not JSON lines and is
  scanned for the kinds below instead.
* ``fenced``: a Markdown block fenced by a line of three backticks at the start of a line,
  labelled ``json`` (reported as ``not_json`` when it fails to parse) or unlabelled with a
  body that parses as an object/array. Blocks labelled with any other language are code and
  are left alone, and so is everything inside them. ``~~~`` fences are not recognised.
* ``embedded``: in the prose outside fences, each outermost span that parses as a JSON
  object/array of at least :data:`MIN_EMBEDDED_CHARS` characters, found left to right.

Scanning is linear: candidate openers are found with one regular expression, each parse
uses the C JSON scanner from that opener, a successful parse skips past its end, and the
characters examined by failed parses are charged to a budget proportional to the text.

Source-exact: a fragment is offered for compression only if it is a complete JSON value
whose parsed value says what its text says. Otherwise it is still reported, with
``problem`` set to the reason it must be kept as it is:

* ``not_lossless``: a float literal that its float does not write back digit for digit
  (``0.123456789012345678``, ``1e400``; see :mod:`.exact`);
* ``duplicate_keys``: an object that names a key twice (parsing would drop one value);
* ``malformed``: JSON that breaks off: the text from an opener parses as JSON for at least
  :data:`MIN_EMBEDDED_CHARS` characters and then fails (a tool output cut at 2000
  characters). The broken container runs to its matching bracket, or to the end of the
  text; nothing inside it is extracted, so the model never reads half JSON, half KTOF;
* ``not_json``: a ``json`` fence, or a string shaped like one object/array, that is not
  JSON from the start, or JSON with ``NaN``/``Infinity``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from ..ktof._lexical import FloatLiterals, json_colons
from .defaults import FragmentKind, FragmentReason
from .exact import FAST_MAX_CHARS, MIN_NORMAL, float_is_exact

MIN_EMBEDDED_CHARS: Final = 24
"""Embedded objects/arrays shorter than this (``[1]``, ``{}``) are prose, not data."""

MIN_JSONL_LINES: Final = 2
"""A single line of JSON is ordinary JSON (``whole``), not JSON lines."""

_SCAN_BUDGET_FACTOR: Final = 8
_SCAN_BUDGET_FLOOR: Final = 4096
_RECURSION_COST: Final = 1024
_DIRECT_FAILURES: Final = 32
"""Failed parses per segment run on the whole text before switching to windowed parses."""
_FIRST_WINDOW: Final = 256
_WINDOW_GROWTH: Final = 8
_CUT_MARGIN: Final = 8
"""A parse cut short at a window's end fails within this many characters of the cut."""

# An opener that can start a JSON object/array: '{' then '"' or '}', '[' then a value start.
_OPENER: Final = re.compile(r'\{\s*["}]|\[\s*[\[{"\-0-9tfn\]]')
# A fence line: three backticks at the start of a line, then an optional info string.
_FENCE_LINE: Final = re.compile(r"^```(?!`)[ \t]*([^\n`]*)$", re.MULTILINE)


# A JSON string (to skip) or a bracket (to count), for finding where a broken container ends.
_STRING_OR_BRACKET: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A fragment of ``kind`` occupying ``text[start:end]`` of its string.

    ``json_text`` is the JSON itself (the fence body for fenced blocks); ``value`` is its
    parsed value when ``parsed`` is true. ``label`` is the fence's info word (fenced only).
    ``problem`` is set when the fragment must be kept as it is, and says why; ``parsed``
    is true exactly when ``problem`` is ``None``.
    """

    kind: FragmentKind
    start: int
    end: int
    json_text: str
    value: Any
    parsed: bool
    label: str = ""
    problem: FragmentReason | None = None


def parse_json(text: str) -> tuple[bool, Any]:
    """``(True, value)`` if ``text`` is strict JSON (no NaN/Infinity), else ``(False, None)``."""
    try:
        return True, _DECODER.decode(text)
    except (ValueError, RecursionError):
        return False, None


class _SourceParser:
    """Parses JSON while noting what would make its value differ from its text.

    One per :func:`find_fragments` call (the counters are per parse, so never shared
    between threads). ``consumed`` after a failure is how far the text parsed as JSON.
    """

    __slots__ = ("checked", "constants", "consumed", "decoder", "duplicates", "floats")

    def __init__(self) -> None:
        self.duplicates = 0
        self.constants = 0
        self.consumed = 0
        # float_is_exact's fast path runs in the compiled hook; it keeps the other literals.
        self.floats = FloatLiterals(FAST_MAX_CHARS, MIN_NORMAL)
        self.decoder = json.JSONDecoder(parse_float=self.floats, parse_constant=self._constant)
        self.checked: json.JSONDecoder | None = None  # made on first need: most texts never do

    def _checked(self) -> json.JSONDecoder:
        """The decoder that counts duplicate keys with a hook per object (the slow proof)."""
        if self.checked is None:
            self.checked = json.JSONDecoder(
                parse_float=self.floats,
                parse_constant=self._constant,
                object_pairs_hook=self._object,
            )
        return self.checked

    def reset(self) -> None:
        """Forget the counters of the previous parse."""
        self.duplicates = self.constants = 0
        self.floats.doubtful.clear()
        self.consumed = 0

    def _inexact(self) -> bool:
        """Whether a float literal of the last parse does not write back digit for digit."""
        return any(not float_is_exact(literal, value) for literal, value in self.floats.doubtful)

    def _constant(self, name: str) -> float:
        self.constants += 1
        return math.nan

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            self.duplicates += 1
        return obj

    def _problem(self) -> FragmentReason | None:
        if self.constants:
            return "not_json"
        if self.duplicates:
            return "duplicate_keys"
        if self.floats.doubtful and self._inexact():
            return "not_lossless"
        return None

    def raw_decode(self, text: str, start: int) -> tuple[Any, int, FragmentReason | None]:
        """``(value, end, problem)`` of the JSON value at ``start``; raises like ``raw_decode``.

        On ``json.JSONDecodeError``, ``consumed`` holds how many characters parsed as JSON.
        """
        self.reset()
        try:
            value, stop = self.decoder.raw_decode(text, start)
        except json.JSONDecodeError as exc:
            self.consumed = exc.pos - start
            raise
        if not self._kept_every_member(value, text, start, stop):
            # Maybe a duplicate key: parse again with the hook that counts them (the same
            # text parses the same way, so only the counters change).
            self.duplicates = self.constants = 0
            self.floats.doubtful.clear()
            value, stop = self._checked().raw_decode(text, start)
        return value, stop, self._problem()

    @staticmethod
    def _kept_every_member(value: Any, text: str, start: int, stop: int) -> bool:
        """Whether no object of ``value`` lost a member to a duplicate key, proved by
        counting colons (see ``json_colons``) instead of a Python hook per object."""
        if type(value) is not dict and type(value) is not list:
            return True
        colons = text.count(":", start, stop)
        if colons == json_colons(value, False):
            return True  # no colon inside any string: one per member
        return text.find("\\u003", start, stop) == -1 and colons == json_colons(value)

    def raw_decode_windowed(self, text: str, start: int) -> tuple[Any, int, FragmentReason | None]:
        """:meth:`raw_decode` on a window of ``text`` that grows until the outcome is sure.

        ``JSONDecodeError`` computes its line and column by scanning the document from 0
        to the error, so failed parses deep into a long text would cost quadratic time;
        a window starting at ``start`` makes each failure cost what it examined. A parse
        that fails at the window's cut (or in a string the cut left open) is retried with
        a window ``_WINDOW_GROWTH`` times larger, so the total stays linear.
        """
        size = len(text)
        window = _FIRST_WINDOW
        while True:
            limit = start + window
            if limit >= size:
                value, stop, problem = self.raw_decode(text[start:] if start else text, 0)
                return value, start + stop, problem
            chunk = text[start:limit]
            try:
                value, stop, problem = self.raw_decode(chunk, 0)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= window - _CUT_MARGIN or exc.msg.startswith("Unterminated")
                if not cut:
                    raise
                window *= _WINDOW_GROWTH
                continue
            return value, start + stop, problem

    def parse(self, text: str) -> tuple[bool, Any, FragmentReason | None]:
        """Parse all of ``text`` (surrounding whitespace allowed).

        ``(True, value, problem)`` for a complete value; ``(False, None, reason)`` when it is
        not one, ``reason`` being ``malformed`` when it broke off after enough valid JSON.
        """
        begin = len(text) - len(text.lstrip())
        try:
            value, stop, problem = self.raw_decode(text, begin)
        except json.JSONDecodeError:
            reason: FragmentReason = (
                "malformed" if self.consumed >= MIN_EMBEDDED_CHARS else "not_json"
            )
            return False, None, reason
        except (ValueError, RecursionError):
            return False, None, "not_json"
        if text[stop:].strip():
            return False, None, "not_json"  # a value followed by more: not one value
        return True, value, problem


def container_end(text: str, start: int, end: int) -> int:
    """Where the container opening at ``text[start]`` closes (exclusive), or ``end``.

    Counts brackets outside JSON strings, whatever their kind: a container that does not
    parse has no reliable structure, only an extent. Linear in the characters it passes.
    """
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text, start, end):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    return end


def _looks_like_container(text: str) -> bool:
    """Starts like a JSON object/array and ends like one: ``[Note] ...]`` does not."""
    stripped = text.strip()
    return len(stripped) >= 2 and stripped[-1] in "}]" and _OPENER.match(stripped) is not None


def find_fragments(text: str, *, jsonl: bool = True) -> list[Fragment]:
    """All fragments of ``text`` in order, non-overlapping; empty when there is no JSON.

    ``jsonl=False`` turns JSON-lines detection off (each line is then scanned as prose).
    """
    if not text:
        return []
    parser = _SourceParser()
    whole_candidate = _looks_like_container(text)
    if whole_candidate:
        ok, value, problem = parser.parse(text)
        if ok or problem == "malformed":
            return [_fragment("whole", 0, len(text), text, value, problem)]
        if jsonl and "\n" in text.strip():
            lines = _jsonl(parser, text)
            if lines is not None:
                return [lines]
    fragments: list[Fragment] = []
    cursor = 0
    for fence in _fences(text):
        fragments.extend(_embedded(parser, text, cursor, fence[0]))
        fragment = _fenced(parser, text, *fence)
        if fragment is not None:
            fragments.append(fragment)
        cursor = fence[1]
    fragments.extend(_embedded(parser, text, cursor, len(text)))
    if not fragments and whole_candidate:
        return [_fragment("whole", 0, len(text), text, None, "not_json")]
    if len(fragments) == 1 and fragments[0].kind == "embedded" and fragments[0].problem:
        only = fragments[0]
        if not text[: only.start].strip() and not text[only.end :].strip():
            return [_fragment("whole", 0, len(text), text, None, only.problem)]
    return fragments


def _jsonl(parser: _SourceParser, text: str) -> Fragment | None:
    """The ``jsonl`` fragment of ``text`` when every non-blank line is an object/array.

    Stops at the first line that is not, so a text that is not JSON lines costs one line's
    parse. A line with a problem (duplicate keys, an inexact float, NaN) makes the whole
    fragment carry that problem: it is JSON lines, but not one to rewrite.
    """
    clean = _clean_records(parser, text)
    if clean is not None:
        if len(clean) < MIN_JSONL_LINES:
            return None
        return _fragment("jsonl", 0, len(text), text, clean, None)
    return _jsonl_line_by_line(parser, text)


def _jsonl_line_by_line(parser: _SourceParser, text: str) -> Fragment | None:
    """:func:`_jsonl` parsing each line on its own (problems included): the path that decides
    whenever :func:`_clean_records` is unsure, and the reference its tests compare it with."""
    records: list[Any] = []
    problem: FragmentReason | None = None
    for line in text.split("\n"):  # not splitlines(): U+2028 may sit inside a JSON string
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] not in "{[":
            return None
        ok, value, line_problem = parser.parse(stripped)
        if not ok:
            return None
        if problem is None:
            problem = line_problem
        records.append(value)
    if len(records) < MIN_JSONL_LINES:
        return None
    return _fragment("jsonl", 0, len(text), text, records, problem)


def _clean_records(parser: _SourceParser, text: str) -> list[Any] | None:
    """:func:`_jsonl`'s records when every non-blank line is one object/array and no line has
    a problem; None when unsure (the line-by-line path then decides, problems included).

    The same scan of the same lines as :meth:`_SourceParser.parse`, minus its per-line
    wrapping: the C scanner on each stripped line, and the problem checks once for the
    whole text (a colon count for duplicate keys, the doubtful float literals, NaN).
    """
    parser.reset()
    scan = parser.decoder.scan_once  # type: ignore[attr-defined]  # the C scanner itself
    records: list[Any] = []
    try:
        for line in text.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped[0] not in "{[":
                return None
            value, stop = scan(stripped, 0)  # stripped: no whitespace before the value
            if stop != len(stripped):
                return None  # more after the value (stripped ends with non-whitespace)
            records.append(value)
    except (StopIteration, ValueError, RecursionError):  # no value, or a JSONDecodeError
        return None
    if parser.constants or (parser.floats.doubtful and parser._inexact()):
        return None
    if not parser._kept_every_member(records, text, 0, len(text)):
        return None
    return records


def _fragment(
    kind: FragmentKind,
    start: int,
    end: int,
    json_text: str,
    value: Any,
    problem: FragmentReason | None,
    label: str = "",
) -> Fragment:
    if problem is not None:  # a value that does not say what its text says is not offered
        return Fragment(kind, start, end, json_text, None, False, label, problem)
    return Fragment(kind, start, end, json_text, value, True, label)


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
    parser: _SourceParser,
    text: str,
    start: int,
    end: int,
    body_start: int,
    body_end: int,
    label: str,
) -> Fragment | None:
    """The fragment of one fenced block, or ``None`` when the block is not JSON."""
    if label not in ("json", ""):
        return None
    body = text[body_start:body_end]
    if label == "" and not _looks_like_container(body):
        return None
    ok, value, problem = parser.parse(body)
    if not ok and label == "" and problem != "malformed":
        return None
    return _fragment("fenced", start, end, body, value, problem, label)


def _embedded(parser: _SourceParser, text: str, start: int, end: int) -> list[Fragment]:
    """Outermost JSON objects/arrays in ``text[start:end]``, within a linear work budget."""
    if end - start < MIN_EMBEDDED_CHARS:
        return []
    found: list[Fragment] = []
    budget = _SCAN_BUDGET_FACTOR * (end - start) + _SCAN_BUDGET_FLOOR
    pos = start
    # The first failures parse in place (no copy, no re-parse: the common case of prose
    # with a few brackets); past _DIRECT_FAILURES, each costing its offset in the text,
    # parses run windowed so that many failures stay linear.
    failures = 0
    decode = parser.raw_decode
    while budget > 0:
        match = _OPENER.search(text, pos, end)
        if match is None:
            break
        begin = match.start()
        try:
            value, stop, problem = decode(text, begin)
        except json.JSONDecodeError:
            failures += 1
            if failures >= _DIRECT_FAILURES:
                decode = parser.raw_decode_windowed
            budget -= max(1, parser.consumed)
            if parser.consumed < MIN_EMBEDDED_CHARS:
                pos = begin + 1  # prose that merely starts like JSON
                continue
            # JSON that breaks off: keep the whole broken container, extract nothing inside.
            stop = container_end(text, begin, end)
            budget -= stop - begin
            found.append(_fragment("embedded", begin, stop, text[begin:stop], None, "malformed"))
            pos = stop
            continue
        except (ValueError, RecursionError):  # too deep, or an integer beyond int()'s limit
            stop = container_end(text, begin, end)
            budget -= _RECURSION_COST + stop - begin
            if stop - begin < MIN_EMBEDDED_CHARS:
                pos = begin + 1
                continue
            found.append(_fragment("embedded", begin, stop, text[begin:stop], None, "malformed"))
            pos = stop
            continue
        if stop > end:  # ran into a fence: not a fragment of this segment
            budget -= stop - begin
            pos = begin + 1
            continue
        if stop - begin >= MIN_EMBEDDED_CHARS:
            found.append(_fragment("embedded", begin, stop, text[begin:stop], value, problem))
        pos = stop
    return found
