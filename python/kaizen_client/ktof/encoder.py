"""Placeholder while the encoder is written."""
from typing import Any


def encode(value: Any, *, mode: str = "auto", indent: int = 2, delimiter: str = ",",
           model: str = "gpt-4o", default: Any = None) -> str:
    raise NotImplementedError
