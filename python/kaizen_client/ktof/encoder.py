"""``encode``: JSON data to TOON 4.0 (``mode="toon"``) or to KTOF (``mode="auto"``, the default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from ..tokens import count_tokens
from ._lexical import SURROGATE_RE, int_digit_limit
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
    # Wrong argument types are TypeErrors (the compiled build checks them at the call, before
    # this line); values the codec cannot use are KTOFEncodeErrors, like every other rejection.
    for name, option in (("mode", mode), ("delimiter", delimiter), ("model", model)):
        if not isinstance(option, str):
            raise TypeError(f"encode() option {name} must be a str, not {type(option).__name__}")
    if not isinstance(indent, int):
        raise TypeError(f"encode() option indent must be an int, not {type(indent).__name__}")
    active = _DELIMITERS.get(delimiter)
    if active is None:
        raise KTOFEncodeError(f"option delimiter must be ',', '\\t' or '|', not {delimiter!r}")
    if indent < 1:
        raise KTOFEncodeError(f"option indent must be at least 1, not {indent!r}")
    if mode != "auto" and mode != "toon":
        raise KTOFEncodeError(f"option mode must be 'auto' or 'toon', not {mode!r}")
    try:
        text, tokens = _write(value, mode, indent, active, model, default, compare_json)
    except KTOFEncodeError:
        raise
    except ValueError as exc:
        # The one ValueError a JSON-model value can still cause: an int with more digits than
        # Python converts to text (sys.get_int_max_str_digits()), which decode would refuse.
        clean = Normalizer(default, lossy_floats=True).value(value)
        path = oversized_int_path(clean, [])
        if path is None:
            raise KTOFEncodeError(f"cannot encode: {exc}") from None
        raise KTOFEncodeError(
            f"integer with more than {int_digit_limit()} digits: Python's int/str digit limit "
            "(sys.set_int_max_str_digits) would keep decode from reading it back",
            format_path(path),
        ) from None
    if SURROGATE_RE.search(text) is not None:
        path = surrogate_path(Normalizer(default, lossy_floats=True).value(value), [])
        raise KTOFEncodeError(
            "lone surrogate in a string: not valid Unicode text", format_path(path or [])
        )
    return text, tokens


def _write(
    value: Any,
    mode: str,
    indent: int,
    active: str,
    model: str,
    default: Callable[[Any], Any] | None,
    compare_json: bool,
) -> tuple[str, int | None]:
    """The text of ``value`` in ``mode`` (options already checked) and, in auto mode, its count."""
    if mode == "toon":
        try:  # clean JSON data (the common case) needs no normalization pass
            return ToonWriter(indent, active).document(value), None
        except (NotJSON, RecursionError, TypeError):
            clean = Normalizer(default, lossy_floats=True).value(value)
            try:
                return ToonWriter(indent, active).document(clean), None
            except TooDeep:
                raise KTOFEncodeError(f"nesting deeper than {MAX_DEPTH} levels") from None
    from ._auto import encode_auto

    clean = Normalizer(default, lossy_floats=False).value(value)
    return encode_auto(
        clean, model=model, indent=indent, delimiter=active, compare_json=compare_json
    )


def oversized_int_path(value: Any, path: list[str | int]) -> list[str | int] | None:
    """Path of the first int whose decimal text Python refuses to produce (checked on failure)."""
    if type(value) is int:
        if value.bit_length() <= 3 * max(int_digit_limit(), 1):
            return None  # 2**(3d) < 10**d: fewer than d digits
        try:
            str(value)
        except ValueError:
            return path
        return None
    items: Any = (
        value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    )
    for key, item in items:
        found = oversized_int_path(item, [*path, key])
        if found is not None:
            return found
    return None


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
