"""JSON lines: one JSON value per line, which the engine sees as many small fragments.

A node holding an exported ``.jsonl`` file is one table of records, but the engine's
detection finds each line separately (or none, when lines are short), so nothing turns it
into one KTOF table. Such a text is handed to the engine as one JSON array instead; if that
is worth it, the node text becomes the KTOF text of the list of records.
"""

from __future__ import annotations

from kaizen_client.engine.fragments import parse_json
from kaizen_client.tokens import count_tokens

MIN_LINES = 2
"""A single line is ordinary JSON (or not JSON), which the engine handles itself."""


def as_json_array(text: str) -> str | None:
    """``text`` as one JSON array when every non-empty line is a JSON value, else ``None``."""
    if "\n" not in text.strip():
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < MIN_LINES:
        return None
    for line in lines:
        ok, _ = parse_json(line)
        if not ok:
            return None
    return "[" + ",".join(lines) + "]"


def worth_it(
    original: str,
    tokens_after: int,
    model: str,
    min_tokens_saved: int,
    min_percent_saved: float,
) -> tuple[bool, int]:
    """Whether the rewrite still pays against the JSON-lines text itself, and its tokens.

    The engine judged the array (brackets and commas added), so the saving is recounted
    against what the node really held, with the engine's own thresholds.
    """
    before = count_tokens(original, model)
    saved = before - tokens_after
    floor = max(min_tokens_saved, 1)
    return saved >= floor and saved * 100 >= min_percent_saved * before, before
