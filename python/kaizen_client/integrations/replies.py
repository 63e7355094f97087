"""Reading a model's reply as data: TOON/KTOF or JSON, bare or in a fenced block, whole or streamed.

One set of rules for every integration (LangChain's output parser, LiteLLM's reply decoding,
the provider adapters), so a reply reads the same wherever it arrives:

* **Where the data is.** The first fenced block labelled ``toon``, ``ktof``, ``json`` (any
  case) or unlabelled, opening at the start of a line; its body runs to a closing fence at
  the start of a line, or, while streaming, to the end of the text so far. A block with
  another label (```` ```python ````) is not data. Without such a block, the whole text.
* **Which decoder.** Text starting with ``{`` or ``[`` is tried as JSON first; everything
  else, and a ``[`` that opens a TOON root array (``[3]: …``), is KTOF (TOON 4.0 is valid
  KTOF).
* **What counts as data.** A :data:`Shape`: ``"object"``, ``"array"``, ``"container"``
  (either) or ``"any"``. A single unfenced line ``Word: a sentence`` is valid TOON but is
  what prose looks like (``Sorry: I could not find any orders.``), so it is not read as an
  object; fence one-line answers if they must be read.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any, Literal

from ..ktof import KTOFDecodeError, decode

Shape = Literal["object", "array", "container", "any"]
"""What a reply must hold: a JSON object, an array, either of them, or any value."""

_DATA_LABELS = ("", "toon", "ktof", "json")
_FENCE = re.compile(
    r"(?:^|\n)[ \t]*```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:(\n[ \t]*```)|\Z)", re.S
)
# A root array header: `[N]:` / `[N]{fields}:`, or KTOF's unindented table `[N]{fields}` ending
# its line (docs/ktof.md §3.5); fields may nest braces (`{a,b{c},d[]{e,f}}`, §3.7), so the field
# list runs to the line's last `}`. JSON never has `]` followed by `{` or `:`.
_TOON_ROOT = re.compile(r"\[[0-9][^\]\n]*\](\{[^\n]*\}(:|\n|$)|:)")
_TOON_ROOT_SO_FAR = re.compile(r"\[[0-9]*(\]((\{[^\n]*)?:?)?)?")


class ReplyShapeError(ValueError):
    """A reply parsed, but is not the shape the caller expects (prose, a scalar, …)."""

    def __init__(self, expected: Shape, value: Any) -> None:
        got = type(value).__name__ if not isinstance(value, str) else "text"
        super().__init__(f"expected the reply to hold {_NAMES[expected]}, got {got}")
        self.expected = expected


_NAMES: dict[str, str] = {
    "object": "an object",
    "array": "an array",
    "container": "an object or an array",
    "any": "a value",
}


def _data_fence(text: str) -> re.Match[str] | None:
    for match in _FENCE.finditer(text):
        if match.group(1).lower() in _DATA_LABELS:
            return match
    return None


def locate(text: str) -> tuple[str, bool, bool]:
    """The data part of ``text``, whether it was fenced and whether a closing fence ended it."""
    match = _data_fence(text)
    if match is None:
        return text.strip(), False, False
    return match.group(2).strip("\n"), True, match.group(3) is not None


def payload(text: str) -> str:
    """The part of ``text`` that holds the data: a data fence's body, else all of it."""
    return locate(text)[0]


def matches(value: Any, shape: Shape) -> bool:
    """Whether ``value`` is of ``shape``."""
    if shape == "object":
        return isinstance(value, dict)
    if shape == "array":
        return isinstance(value, list)
    if shape == "container":
        return isinstance(value, (dict, list))
    return True


def _reads_as_prose(body: str, fenced: bool, value: Any) -> bool:
    """One unfenced ``Word: words words`` line: TOON by the letter, prose in practice."""
    if fenced or "\n" in body or not isinstance(value, dict) or len(value) != 1:
        return False
    (item,) = value.values()
    return isinstance(item, str) and " " in item.strip()


def parse_reply(text: str, *, strict: bool = False, shape: Shape = "any") -> Any:
    """The value of a complete reply.

    Raises ``json.JSONDecodeError`` (JSON that does not parse), ``KTOFDecodeError`` (TOON
    that does not parse) or :class:`ReplyShapeError` (parsed, but not ``shape``). ``strict``
    also enforces TOON's declared row and item counts.
    """
    body, fenced, _ = locate(text)
    if not body.strip():
        raise ReplyShapeError(shape, body)  # an empty reply holds nothing, not ``{}``
    value = _decode(body, strict=strict)
    if shape != "any" and (not matches(value, shape) or _reads_as_prose(body, fenced, value)):
        raise ReplyShapeError(shape, value)
    return value


def _decode(body: str, *, strict: bool) -> Any:
    if body.startswith("{") or (body.startswith("[") and not _TOON_ROOT.match(body)):
        return json.loads(body)
    return decode(body, strict=strict)


def reply_data(text: str, shape: Shape = "container") -> Any | None:
    """The data in ``text``, or ``None`` when it is not ``shape`` data (prose, code, …)."""
    try:
        return parse_reply(text, shape=shape)
    except (ValueError, KTOFDecodeError):
        return None


def reply_as_json(text: str) -> str | None:
    """``text`` as JSON text when it holds an object or array (TOON/KTOF or JSON), else ``None``."""
    value = reply_data(text)
    return None if value is None else json.dumps(value, ensure_ascii=False)


def parse_partial_reply(text: str, *, finished: bool = False) -> Any:
    """What a streamed reply holds so far, or ``None`` while it holds no object or array yet.

    Until the reply is ``finished`` (or its fence closed) only complete lines of TOON are
    read, so a row appears once it is whole and no half-written cell is guessed at; row
    counts are not enforced yet. Unfinished JSON is closed (strings, then brackets) and read.
    Scalars are not returned: the first word of an object (``items``) would read as one.
    """
    if "```" in text and _data_fence(text) is None:
        return None  # the opening fence line is not complete yet (or not a data fence)
    match = _data_fence(text)
    body = match.group(2) if match else text
    closed = match is not None and match.group(3) is not None
    stripped = body.strip()
    if not stripped:
        return None
    if stripped.startswith("{"):
        value = parse_partial_json(stripped)
        return value if isinstance(value, (dict, list)) else None
    lines = body if finished or closed else body.rpartition("\n")[0]
    value = _lenient(lines.strip("\n"))
    if value is None and stripped.startswith("[") and not _toon_root(stripped, finished):
        partial = parse_partial_json(stripped)  # a JSON array still being written
        return partial if isinstance(partial, list) else None
    return value


def _toon_root(text: str, finished: bool) -> bool:
    """Whether ``text`` opens (or, unfinished, may still open) a TOON root array."""
    if _TOON_ROOT.match(text):
        return True
    return not finished and _TOON_ROOT_SO_FAR.fullmatch(text.split("\n", 1)[0]) is not None


def _lenient(text: str) -> Any:
    """Non-strict decode of ``text``, or of all but its last line; containers only."""
    for candidate in (text, text.rpartition("\n")[0]):
        if not candidate.strip():
            continue
        try:
            value = decode(candidate, strict=False)
        except ValueError:
            continue
        return value if isinstance(value, (dict, list)) else None
    return None


def parse_partial_json(text: str) -> Any:
    """JSON that may still be being written: open strings and brackets closed, then parsed.

    Returns ``None`` when no prefix of it parses. The same closing rules as LangChain's
    ``parse_partial_json`` (which the core cannot import): a raw newline inside a string is
    escaped, an unfinished escape is dropped, and characters are removed from the end until
    what is left, once closed, parses.
    """
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        pass
    chars: list[str] = []
    closers: list[str] = []
    in_string = escaped = False
    for char in text:
        out = char
        if in_string:
            if char == '"' and not escaped:
                in_string = False
            elif char == "\n" and not escaped:
                out = "\\n"
            elif char == "\\":
                escaped = not escaped
                chars.append(out)
                continue
            escaped = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            closers.append("}" if char == "{" else "]")
        elif char in "}]":
            if not closers or closers[-1] != char:
                return None
            closers.pop()
        chars.append(out)
    if in_string:
        if escaped:
            chars.pop()
        chars.append('"')
    tail = "".join(reversed(closers))
    ends = list(accumulate(map(len, chars)))
    while chars:
        try:
            return json.loads("".join(chars) + tail, strict=False)
        except json.JSONDecodeError as exc:
            cut = bisect_right(ends, exc.pos)
            keep = cut if cut < len(chars) else len(chars) - 1
            del chars[keep:]
            del ends[keep:]
    return None


__all__ = [
    "ReplyShapeError",
    "Shape",
    "locate",
    "matches",
    "parse_partial_json",
    "parse_partial_reply",
    "parse_reply",
    "payload",
    "reply_as_json",
    "reply_data",
]
