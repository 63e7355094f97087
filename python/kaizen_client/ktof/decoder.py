"""Placeholder while the decoder is written."""
from typing import Any


def decode(text: str, *, strict: bool = True, indent: int = 2) -> Any:
    raise NotImplementedError
