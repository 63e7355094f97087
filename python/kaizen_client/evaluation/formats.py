"""The data block in each format, and the one prompt every format shares around it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import ktof
from ..service.operations import compact_json


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _toon(value: Any) -> str:
    return ktof.encode(value, mode="toon")


def _ktof(value: Any) -> str:
    return ktof.encode(value, mode="auto")


FORMATS: dict[str, Callable[[Any], str]] = {
    "json-compact": compact_json,  # the baseline every saving is measured against
    "json-pretty": _pretty,
    "toon": _toon,
    "ktof": _ktof,
}
"""Format name -> renderer; the order is the order of the report's rows."""


def render(value: Any, fmt: str) -> str:
    """``value`` as the data block of format ``fmt``."""
    try:
        return FORMATS[fmt](value)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}") from None


INSTRUCTIONS = (
    "Answer the question using only the data below. Reply with the answer alone: "
    "no explanation, no units, no quotes. For yes/no questions reply true or false."
)
FENCE = "```"


def build_prompt(block: str, question: str) -> str:
    """The user message: the same words for every format, only ``block`` differs."""
    return f"{INSTRUCTIONS}\n\nData:\n{FENCE}\n{block}\n{FENCE}\n\nQuestion: {question}"
