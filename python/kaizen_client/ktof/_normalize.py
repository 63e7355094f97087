"""Bring a Python value into the JSON data model before encoding, or say exactly where it fails.

Clean subtrees are returned as they are (no copies); only what changes is rebuilt. Errors name the
JSON path of the offending value (``$.orders[3].created``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import KTOFEncodeError

MAX_DEPTH = 200
"""Deepest nesting the encoder accepts (the decoder accepts the same)."""

_IDENTIFIER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def format_path(parts: list[str | int]) -> str:
    """JSONPath of ``parts``: ``$.a[3]["b c"]`` (bracket notation for non-identifier keys)."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and not part[0].isdigit() and all(c in _IDENTIFIER_CHARS for c in part):
            out.append(f".{part}")
        else:
            out.append("[" + _json_string(part) + "]")
    return "".join(out)


def _json_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


class Normalizer:
    """One normalization run: ``default`` converts unknown types; ``lossy_floats`` maps NaN/inf
    to None (TOON §3) instead of raising."""

    __slots__ = ("default", "lossy_floats", "path")

    def __init__(self, default: Callable[[Any], Any] | None, lossy_floats: bool) -> None:
        self.default = default
        self.lossy_floats = lossy_floats
        self.path: list[str | int] = []

    def error(self, message: str) -> KTOFEncodeError:
        return KTOFEncodeError(message, format_path(self.path))

    def value(self, value: Any, depth: int = 0) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            return value
        if kind is float:
            if value - value != 0.0:  # NaN or infinity, without a function call
                if self.default is not None:
                    return self.convert(value, depth)
                if self.lossy_floats:
                    return None
                raise self.error(f"{value!r} is not a finite number; JSON has no NaN/Infinity")
            return value
        if kind is dict:
            return self.mapping(value, depth)
        if kind is list:
            return self.sequence(value, depth, False)
        return self.other(value, depth)

    def mapping(self, value: dict[Any, Any], depth: int) -> dict[str, Any]:
        if depth >= MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels")
        changed: dict[str, Any] | None = None
        path = self.path
        child_depth = depth + 1
        for position, (key, item) in enumerate(value.items()):
            new_key = key
            if type(key) is not str:
                if not isinstance(key, str):
                    raise self.error(
                        f"object keys must be str, found {type(key).__name__} key {key!r}"
                    )
                new_key = str.__str__(key)
            kind = type(item)
            if kind is str or kind is int or kind is bool or item is None:
                new_item = item
            else:
                path.append(new_key)
                new_item = self.value(item, child_depth)
                path.pop()
            if changed is None and (new_item is not item or new_key is not key):
                changed = {}
                for old_key, old_item in list(value.items())[:position]:
                    changed[old_key] = old_item
            if changed is not None:
                changed[new_key] = new_item
        return value if changed is None else changed

    def sequence(self, value: list[Any] | tuple[Any, ...], depth: int, copy: bool) -> list[Any]:
        if depth >= MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels")
        out: list[Any] | None = list(value) if copy else None
        path = self.path
        child_depth = depth + 1
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str or kind is int or kind is bool or item is None:
                continue
            path.append(index)
            new_item = self.value(item, child_depth)
            path.pop()
            if new_item is not item:
                if out is None:
                    out = list(value)
                out[index] = new_item
        return value if out is None else out  # type: ignore[return-value]

    def convert(self, value: Any, depth: int) -> Any:
        """Apply ``default`` (like ``json.dumps``) and normalize what it returns."""
        assert self.default is not None
        if depth >= MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels")
        try:
            converted = self.default(value)
        except KTOFEncodeError:
            raise
        except (TypeError, ValueError) as exc:
            raise self.error(f"default() could not convert {type(value).__name__}: {exc}") from exc
        if type(converted) is float and converted - converted != 0.0:
            raise self.error(f"default() returned {converted!r}; JSON has no NaN/Infinity")
        return self.value(converted, depth + 1)

    def other(self, value: Any, depth: int) -> Any:
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return self.value(float(value), depth)
        if isinstance(value, dict):
            return self.mapping(dict(value), depth)
        if isinstance(value, (list, tuple)):
            return self.sequence(value, depth, True)
        if self.default is not None:
            return self.convert(value, depth)
        raise self.error(
            f"{type(value).__name__} is not JSON serializable (pass default= to convert it)"
        )


def normalize(value: Any, default: Callable[[Any], Any] | None, lossy_floats: bool) -> Any:
    return Normalizer(default, lossy_floats).value(value)


__all__ = ["MAX_DEPTH", "Normalizer", "format_path", "normalize"]
