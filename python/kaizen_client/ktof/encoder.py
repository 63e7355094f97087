"""``encode``: JSON data to TOON 4.0 (``mode="toon"``) or to KTOF (``mode="auto"``, the default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from ..tokens import count_tokens
from ._lexical import SURROGATE_RE
from ._normalize import MAX_DEPTH, Normalizer, format_path
from ._toon import NotJSON, TooDeep, ToonWriter
from .errors import KTOFEncodeError

Mode = Literal["auto", "toon"]
_DELIMITERS = {",": ",", "\t": "\t", "|": "|", "comma": ",", "tab": "\t", "pipe": "|"}


def encode(
    value: Any,
    *,
    mode: Mode = "auto",
    indent: int = 2,
    delimiter: str = ",",
    model: str = "gpt-4o",
    default: Callable[[Any], Any] | None = None,
) -> str:
    """Encode a JSON-compatible value.

    ``mode="toon"`` emits canonical TOON 4.0 with ``indent`` spaces per level and ``delimiter``
    (``,``, ``\\t`` or ``|``) as the document delimiter. ``mode="auto"`` emits the KTOF text with
    the fewest tokens for ``model``'s tokenizer that decodes back to exactly ``value`` (types and
    key order included); it never costs more tokens than compact JSON. ``default`` converts values
    that are not JSON types, as in ``json.dumps``. Raises :class:`KTOFEncodeError` naming the path.
    """
    return _encode(value, mode, indent, delimiter, model, default, True)[0]


def encode_counted(
    value: Any,
    *,
    mode: Mode = "auto",
    indent: int = 2,
    delimiter: str = ",",
    model: str = "gpt-4o",
    default: Callable[[Any], Any] | None = None,
    compare_json: bool = True,
) -> tuple[str, int]:
    """``encode`` plus the text's exact token count for ``model`` (auto mode knows it already).

    For the engine's hot path, which reports token counts: it saves counting the text again.
    ``compare_json=False`` (auto mode) skips the final "is compact JSON cheaper?" check; the
    text is then the cheapest KTOF form, which a caller gating on its own budget may prefer.
    """
    text, tokens = _encode(value, mode, indent, delimiter, model, default, compare_json)
    return text, count_tokens(text, model) if tokens is None else tokens


def _encode(
    value: Any,
    mode: str,
    indent: int,
    delimiter: str,
    model: str,
    default: Callable[[Any], Any] | None,
    compare_json: bool,
) -> tuple[str, int | None]:
    active = _DELIMITERS.get(delimiter)
    if active is None:
        raise ValueError(f"delimiter must be ',', '\\t' or '|', not {delimiter!r}")
    if type(indent) is not int or indent < 1:
        raise ValueError("indent must be a positive int")
    tokens: int | None = None
    if mode == "toon":
        try:  # clean JSON data (the common case) needs no normalization pass
            text = ToonWriter(indent, active).document(value)
        except (NotJSON, RecursionError, TypeError):
            clean = Normalizer(default, lossy_floats=True).value(value)
            try:
                text = ToonWriter(indent, active).document(clean)
            except TooDeep:
                raise KTOFEncodeError(f"nesting deeper than {MAX_DEPTH} levels") from None
    elif mode == "auto":
        from ._auto import encode_auto

        clean = Normalizer(default, lossy_floats=False).value(value)
        text, tokens = encode_auto(
            clean, model=model, indent=indent, delimiter=active, compare_json=compare_json
        )
    else:
        raise ValueError(f"mode must be 'auto' or 'toon', not {mode!r}")
    if SURROGATE_RE.search(text) is not None:
        path = surrogate_path(Normalizer(default, lossy_floats=True).value(value), [])
        raise KTOFEncodeError(
            "lone surrogate in a string: not valid Unicode text", format_path(path or [])
        )
    return text, tokens


def surrogate_path(value: Any, path: list[str | int]) -> list[str | int] | None:
    """Path of the first key or string holding a lone surrogate (checked only on failure)."""
    if type(value) is str:
        return path if SURROGATE_RE.search(value) else None
    items: Any = (
        value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    )
    for key, item in items:
        if type(key) is str and SURROGATE_RE.search(key):
            return [*path, key]
        found = surrogate_path(item, [*path, key])
        if found is not None:
            return found
    return None
