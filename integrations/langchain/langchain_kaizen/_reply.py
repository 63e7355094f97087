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
# (or, while streaming, up to the end of the text so far).
_FENCE = re.compile(
    r"(?:^|\n)[ \t]*```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:\n[ \t]*```|\Z)", re.S
)


def payload(text: str) -> str:
    """The part of ``text`` that holds the data: a fenced block's body, else all of it."""
    match = _FENCE.search(text)
    if match is not None:
        return match.group(2).strip("\n")
    return text.strip()


def parse(text: str, *, strict: bool) -> Any:
    """The value of a complete reply; raises ``KTOFDecodeError`` or ``json.JSONDecodeError``."""
    body = payload(text)
    if body.startswith("{"):
        return json.loads(body)
    return decode(body, strict=strict)


def parse_partial(text: str) -> Any:
    """What an unfinished reply holds so far, or ``None`` while it holds no object or array.

    TOON is read leniently (row counts may not be reached yet); if the last line is still
    half-written and unreadable, it is left out until more arrives. Scalars are not yielded,
    because the first word of an object (``items``) would read as one.
    """
    if "```" in text and _FENCE.search(text) is None:
        return None  # the opening fence line itself is not complete yet
    body = payload(text)
    if not body:
        return None
    if body.startswith("{"):
        value = parse_partial_json(body)
        return value if isinstance(value, (dict, list)) else None
    for candidate in (body, body.rpartition("\n")[0]):
        if not candidate:
            continue
        try:
            value = decode(candidate, strict=False)
        except ValueError:
            continue
        if isinstance(value, (dict, list)):
            return value
        if body.lstrip().startswith("["):
            partial = parse_partial_json(body)
            return partial if isinstance(partial, list) else None
        return None
    return None
