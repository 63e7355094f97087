"""Reading a model's reply as data: KTOF/TOON, JSON, or either inside a fenced block.

Kept apart from the parser class so the rules are plain functions: find the payload, pick
the decoder, and for streaming read as much of an unfinished reply as already makes sense.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.utils.json import parse_partial_json

from kaizen_client.ktof import decode

# An opening fence at the start of a line, its label, and the body up to a closing fence
# (group 3) or, while streaming, up to the end of the text so far.
_FENCE = re.compile(
    r"(?:^|\n)[ \t]*```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:(\n[ \t]*```)|\Z)", re.S
)
# A TOON root array header (``[3]: ...``, ``[2]{a,b}:``): not the start of a JSON array.
_TOON_ROOT = re.compile(r"\[[0-9][^\]\n]*\](\{[^}\n]*\})?:")
# A first line that may still grow into such a header (``[3``, ``[3]``, ``[2]{a,``).
_TOON_ROOT_SO_FAR = re.compile(r"\[[0-9]*(\]((\{[^}\n]*\}?)?:?)?)?")


def _locate(text: str) -> tuple[str, bool]:
    """The data part of ``text`` (a fenced block's body, else all of it) and whether a
    closing fence ended it."""
    match = _FENCE.search(text)
    if match is None:
        return text, False
    return match.group(2), match.group(3) is not None


def payload(text: str) -> str:
    """The part of ``text`` that holds the data: a fenced block's body, else all of it."""
    return _locate(text)[0].strip("\n") if _FENCE.search(text) else text.strip()


def parse(text: str, *, strict: bool) -> Any:
    """The value of a complete reply; raises ``KTOFDecodeError`` or ``json.JSONDecodeError``."""
    body = payload(text)
    if body.startswith("{"):
        return json.loads(body)
    return decode(body, strict=strict)


def parse_partial(text: str, *, finished: bool = False) -> Any:
    """What a reply holds so far, or ``None`` while it holds no object or array yet.

    Until the reply is ``finished`` (or its fence closed) only complete lines of TOON are
    read, so a row appears once it is whole and no half-written cell is guessed at; row
    counts are not enforced yet. JSON follows LangChain's partial-JSON reading. Scalars
    are not returned: the first word of an object (``items``) would read as one.
    """
    if "```" in text and _FENCE.search(text) is None:
        return None  # the opening fence line itself is not complete yet
    body, closed = _locate(text)
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
