"""JSON lines as one table: what the engine's ``jsonl`` fragment kind reads and gives back.

An exported ``.jsonl`` file, a log of events, a tool that prints one record per line: one
table of records that JSON-object detection sees as many small values (each too small to
pay) or none. The engine treats such a string as one fragment of kind ``jsonl`` whose value
is the list of records, one per non-blank line in order, and gates it like any fragment:
the tokens of the JSON-lines text itself against the tokens of the KTOF text of the list,
with the same thresholds, verification and source-exactness rules.

Decoding back: a compressed ``jsonl`` replacement is the KTOF of the list, so
``ktof.decode(replacement)`` is the list of records and :func:`to_jsonl` of that list is
JSON lines again (compact JSON per line; the source's spacing and blank lines are not
kept, as for every fragment). :func:`parse_jsonl` says whether a text is JSON lines by the
engine's rule, for callers that want to know without compressing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .fragments import MIN_JSONL_LINES, find_fragments

__all__ = ["MIN_JSONL_LINES", "parse_jsonl", "to_jsonl"]


def parse_jsonl(text: str) -> list[Any] | None:
    """The records of ``text`` if the engine sees it as JSON lines it may rewrite, else ``None``.

    ``None`` too for JSON lines the engine would keep as they are (a duplicate key, a float
    that would lose digits, ``NaN``), since their parsed records do not say what the text says.
    """
    fragments = find_fragments(text)
    if len(fragments) != 1 or fragments[0].kind != "jsonl" or not fragments[0].parsed:
        return None
    records: list[Any] = fragments[0].value
    return records


def to_jsonl(records: Iterable[Any]) -> str:
    """JSON lines from ``records``: one compact JSON value per line, no trailing newline."""
    return "\n".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in records
    )
