"""Token-level rules shared by the encoder and the decoder: numbers, quoting, escapes.

Both directions live here so that what the encoder leaves unquoted is, by construction, what the
decoder reads back as the same value.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import Decimal
from typing import Any

from .errors import KTOFDecodeError

# TOON 4.0 §4: a token is a number iff it matches this grammar and has no forbidden leading zero.
NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", re.ASCII)
# §7.2: strings that look numeric (including leading zeros and "+") must be quoted.
NUMERIC_LIKE_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", re.ASCII)
UNQUOTED_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*", re.ASCII)
# Characters that force quoting wherever they appear (§7.2): structure, quotes, escapes, controls.
_ALWAYS_QUOTE_RE = re.compile(r'[:"\\\[\]{}\x00-\x1f]')

LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
# Lone surrogates are not Unicode scalar values (TOON §7.1); written with chr() so that the
# module compiles with mypyc, which rejects surrogates in string literals.
SURROGATE_RE = re.compile("[" + chr(0xD800) + "-" + chr(0xDFFF) + "]")
_NUMBER_START = frozenset("-0123456789")


def is_number(token: str) -> bool:
    """Whether ``token`` matches :data:`NUMBER_RE` (a hand-written scan: the decoder asks this
    of every table cell, and a regex call costs several times more)."""
    n = len(token)
    i = 1 if n and token[0] == "-" else 0
    if i >= n:
        return False
    first = token[i]
    i += 1
    if first != "0":
        if not "1" <= first <= "9":
            return False
        i = _skip_digits(token, i, n)
    if i < n and token[i] == ".":
        digits = i + 1
        i = _skip_digits(token, digits, n)
        if i == digits:
            return False
    if i < n and token[i] in "eE":
        i += 1
        if i < n and token[i] in "+-":
            i += 1
        digits = i
        i = _skip_digits(token, digits, n)
        if i == digits:
            return False
    return i == n


def _skip_digits(token: str, i: int, n: int) -> int:
    """Index of the first non-ASCII-digit at or after ``i`` (``n`` if none)."""
    while i < n and "0" <= token[i] <= "9":
        i += 1
    return i


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_RE = re.compile(r'[\\"\x00-\x1f]')
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}
# KTOF also reads the rest of JSON's escapes (TOON rejects them, so no TOON text contains them).
_UNESCAPES.update({"b": "\b", "f": "\f", "/": "/"})


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def quote(text: str) -> str:
    """Quote and escape per §7.1 (lowercase ``\\uXXXX`` for other controls)."""
    if _ESCAPE_RE.search(text) is None:
        return f'"{text}"'
    return '"' + _ESCAPE_RE.sub(_escape_char, text) + '"'


def needs_quotes(text: str, delimiter: str) -> bool:
    """§7.2: whether a string value must be quoted where ``delimiter`` is the relevant delimiter."""
    if not text:
        return True
    first = text[0]
    last = text[-1]
    if first in " \t" or last in " \t" or first == "-" or first == "#":
        return True
    if text in LITERALS:
        return True
    if _ALWAYS_QUOTE_RE.search(text) is not None:
        return True
    if delimiter in text:
        return True
    return first in "+0123456789." and NUMERIC_LIKE_RE.fullmatch(text) is not None


def encode_string(text: str, delimiter: str) -> str:
    return quote(text) if needs_quotes(text, delimiter) else text


def encode_key(key: str) -> str:
    """§7.3: keys and field names are bare only when they match the unquoted-key pattern."""
    if UNQUOTED_KEY_RE.fullmatch(key) is not None:
        return key
    return quote(key)


def toon_number(value: int | float) -> str:
    """§2 canonical TOON number: no exponent in [1e-6, 1e21), ``-0`` -> ``0``, ``1.0`` -> ``1``."""
    if isinstance(value, int):
        return int_text(value)
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return int_text(int(value))
    text = repr(value)
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        if "e" in text:
            text = format(Decimal(text), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return exponent_text(text)


def exponent_text(text: str) -> str:
    """Tidy Python's ``1e-07`` / ``1e+21`` into the shortest JSON exponent ``1e-7`` / ``1e21``."""
    if "e" not in text:
        return text
    mantissa, _, exponent = text.partition("e")
    sign = "-" if exponent.startswith("-") else ""
    digits = exponent.lstrip("+-").lstrip("0") or "0"
    return f"{mantissa}e{sign}{digits}"


def int_text(value: int) -> str:
    """Decimal text of an int; raises ValueError past Python's int/str digit limit.

    The decoder reads integers with ``int()``, which refuses more digits than
    ``sys.get_int_max_str_digits()`` allows, so the encoder refuses to write them too (the
    encoder turns the ValueError into a KTOFEncodeError naming the path).
    """
    return str(value)


_HAS_DIGIT_LIMIT = hasattr(sys, "get_int_max_str_digits")


def int_digit_limit() -> int:
    """Python's current int/str digit limit (0: none); 4300, CPython's default, where the
    running Python predates the limit (int() there is quadratic in the digits)."""
    get_limit = getattr(sys, "get_int_max_str_digits", None)
    if get_limit is None:
        return 4300
    limit: int = get_limit()
    return limit


def parse_int(text: str, lineno: int = 0) -> int:
    """``int(text)`` for a token that matches the number grammar, in linear time.

    Python's ``int()`` rejects more digits than its limit before doing any quadratic work; that
    rejection becomes a KTOFDecodeError. Where the running Python has no limit, the same
    default of 4300 digits applies here.
    """
    if not _HAS_DIGIT_LIMIT and len(text) > 4300:
        digits = len(text) - (text[:1] == "-")
        if digits > 4300:
            raise KTOFDecodeError(_too_many_digits(digits, 4300), lineno)
    try:
        return int(text)
    except ValueError:
        digits = len(text) - (text[:1] == "-")
        raise KTOFDecodeError(_too_many_digits(digits, int_digit_limit()), lineno) from None


def _too_many_digits(digits: int, limit: int) -> str:
    return (
        f"integer literal of {digits} digits exceeds Python's limit of {limit} digits "
        "(sys.set_int_max_str_digits)"
    )


def scan_quoted(text: str, start: int, lineno: int) -> tuple[str, int]:
    """Read the quoted string opening at ``text[start]``; return (value, index after its quote).

    Linear in the string's length: the next quote is searched for again only once the scan
    has passed the previous one (an escaped ``\\"``), never once per escape.
    """
    i = start + 1
    quote_at = text.find('"', i)
    if quote_at == -1:
        raise KTOFDecodeError("unterminated string", lineno)
    if text.find("\\", i, quote_at) == -1:
        return text[i:quote_at], quote_at + 1
    parts: list[str] = []
    n = len(text)
    while True:
        if quote_at < i:
            quote_at = text.find('"', i)
            if quote_at == -1:
                raise KTOFDecodeError("unterminated string", lineno)
        backslash = text.find("\\", i, quote_at)
        if backslash == -1:
            parts.append(text[i:quote_at])
            return "".join(parts), quote_at + 1
        parts.append(text[i:backslash])
        if backslash + 1 >= n:
            raise KTOFDecodeError("unterminated string", lineno)
        code = text[backslash + 1]
        simple = _UNESCAPES.get(code)
        if simple is not None:
            parts.append(simple)
            i = backslash + 2
            continue
        if code != "u":
            raise KTOFDecodeError(f"invalid escape sequence \\{code}", lineno)
        hex_digits = text[backslash + 2 : backslash + 6]
        if len(hex_digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in hex_digits):
            raise KTOFDecodeError("\\u escape needs four hex digits", lineno)
        codepoint = int(hex_digits, 16)
        if 0xD800 <= codepoint <= 0xDFFF:
            raise KTOFDecodeError(f"lone surrogate escape \\u{hex_digits}", lineno)
        parts.append(chr(codepoint))
        i = backslash + 6


def parse_primitive(token: str, lineno: int) -> Any:
    """§4: type an already space-trimmed value token."""
    if not token:
        return ""
    first = token[0]
    if first == '"':
        value, end = scan_quoted(token, 0, lineno)
        if end != len(token):
            raise KTOFDecodeError(f"unexpected text after closing quote: {token[end:]!r}", lineno)
        return value
    if first in _NUMBER_START and is_number(token):
        if "." in token or "e" in token or "E" in token:
            number = float(token)
            if number - number != 0.0:
                raise KTOFDecodeError(f"number {token} is out of range for a float", lineno)
            return number
        return parse_int(token, lineno)
    if first in "tfn" and token in LITERALS:
        return LITERALS[token]
    return token


def _closing_quote(text: str, start: int) -> int:
    """Index of the quote closing a string whose content starts at ``start``, or -1."""
    while True:
        end = text.find('"', start)
        if end == -1:
            return -1
        backslashes = 0
        k = end - 1
        while k >= start and text[k] == "\\":
            backslashes += 1
            k -= 1
        if not backslashes & 1:
            return end
        start = end + 1


def find_unquoted(text: str, char: str, start: int = 0) -> int:
    """Index of the first ``char`` outside double quotes at or after ``start``, or -1.

    Linear: the candidate ``char`` is searched for again only once a quoted string has
    carried the scan past it (a line of many quoted cells and one late colon stays linear).
    """
    n = len(text)
    pos = start
    hit = text.find(char, pos)
    while True:
        if hit != -1 and hit < pos:
            hit = text.find(char, pos)
        quote = text.find('"', pos, hit if hit != -1 else n)
        if quote == -1:
            return hit
        close = _closing_quote(text, quote + 1)
        if close == -1:
            return -1
        pos = close + 1


def split_delimited(text: str, delimiter: str, lineno: int) -> list[str]:
    """Split on unquoted ``delimiter``; tokens are trimmed of U+0020 only (§11.2, §12).

    ``str.split`` does the work; parts that end inside a quoted string are rejoined. Each part
    is scanned once, so a long quoted cell full of delimiters stays linear.
    """
    parts = text.split(delimiter)
    if '"' not in text:
        if " " not in text:
            return parts  # nothing to trim (the common case: compact table rows)
        return [part.strip(" ") for part in parts]
    tokens: list[str] = []
    pending: list[str] = []
    in_quotes = False
    for part in parts:
        in_quotes = _inside_quotes_after(part, in_quotes)
        pending.append(part)
        if not in_quotes:
            tokens.append(delimiter.join(pending).strip(" "))
            pending = []
    if pending:
        tokens.append(delimiter.join(pending).strip(" "))  # unterminated: parse_primitive says so
    return tokens


def _inside_quotes_after(part: str, in_quotes: bool) -> bool:
    """Whether a quoted string is open at the end of ``part``, given the state at its start."""
    pos = 0
    while True:
        if in_quotes:
            close = _closing_quote(part, pos)
            if close == -1:
                return True
            in_quotes = False
            pos = close + 1
        else:
            opening = part.find('"', pos)
            if opening == -1:
                return False
            in_quotes = True
            pos = opening + 1


def json_colons(value: Any, strings: bool = True) -> int:
    """How many ``:`` the JSON text of a parsed JSON ``value`` holds: one per object member,
    plus (``strings``) those inside its keys and string values.

    The engine proves a parse kept every member with it: a JSON text's colons are its
    members' separators plus the colons inside its strings, so when the text has no
    ``\\u003a`` escape, the parsed value holds as many as the text exactly when no
    duplicate key dropped a member (each dropped member takes at least its separator).
    Compiled, this walk costs a fraction of an ``object_pairs_hook`` call per object.
    ``strings=False`` counts members only (enough when the text's count already matches).
    """
    kind = type(value)
    if kind is dict:
        obj: dict[Any, Any] = value
        total = len(obj)
        for key, item in obj.items():
            if strings and type(key) is str:
                total += _colons_in(key)
            if type(item) is dict or type(item) is list or (strings and type(item) is str):
                total += json_colons(item, strings)
        return total
    if kind is list:
        items: list[Any] = value
        total = 0
        for item in items:
            if type(item) is dict or type(item) is list or (strings and type(item) is str):
                total += json_colons(item, strings)
        return total
    if strings and kind is str:
        return _colons_in(value)
    return 0


def _colons_in(text: str) -> int:
    return text.count(":") if ":" in text else 0


class FloatLiterals:
    """A ``json`` ``parse_float`` hook that notes the literals whose float may not write back
    as the same number, so the caller checks only those (the engine's source-exactness rule).

    A literal of at most ``max_chars`` characters whose float is normal and finite is exact
    by the caller's fast rule (``kaizen_client.engine.exact``); every other literal is kept
    in ``doubtful`` with its float. Compiled, the hook costs a fraction of a Python one.
    """

    def __init__(self, max_chars: int, min_normal: float) -> None:
        self.max_chars = max_chars
        self.min_normal = min_normal
        self.doubtful: list[tuple[str, float]] = []

    def __call__(self, literal: str) -> float:
        value = float(literal)
        if len(literal) > self.max_chars or not self.min_normal <= abs(value) < math.inf:
            self.doubtful.append((literal, value))
        return value
