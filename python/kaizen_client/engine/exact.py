"""Whether a parsed JSON number still says what its source text said, digit for digit.

``json.loads`` turns ``0.123456789012345678`` into the nearest float, whose JSON text is
``0.12345678901234568``: lossless against ``json.loads``, not against what the user sent.
The engine replaces a fragment only when every float literal in it survives the trip, so
it checks each one here while parsing. Integers need no check (Python's ``int`` is exact).

Two literals are the same number when they differ only in insignificant formatting:
``1.50`` and ``1.5``, ``1e5`` and ``100000.0``, ``-0.0`` and ``-0.0e3``. ``1e400`` (which
parses to ``inf``) and ``1e-400`` (to ``0.0``) are not the numbers they spell.

Fast path: a literal of at most 16 characters has at most 15 significant digits (it holds
a ``.`` or an exponent), and every such decimal in the normal float range comes back
unchanged from its nearest float (``DBL_DIG`` is 15), so most literals cost one length
check and one range check. Longer, subnormal and zero literals are compared as (sign,
digits, decimal point) keys, in time linear in their length.
"""

from __future__ import annotations

import math
import sys
from typing import Final

FAST_MAX_CHARS: Final = 16
"""Float literals this short have at most 15 significant digits."""
MIN_NORMAL: Final = sys.float_info.min
"""Below this, floats are subnormal and hold fewer digits."""
_MAX_EXPONENT_CHARS: Final = 24
"""Exponents longer than this (leading zeros aside) cannot belong to a finite, non-zero float."""

DecimalKey = tuple[bool, str, int]
"""(negative, significant digits without leading/trailing zeros, decimal point position)."""


def decimal_key(literal: str) -> DecimalKey | None:
    """The number a JSON number ``literal`` spells, ignoring formatting; ``None`` if unusable.

    ``0.0150`` -> ``(False, "15", -1)`` (0.15e-1), ``-1e5`` -> ``(True, "1", 6)``; zero is
    ``(negative, "", 0)`` whatever its exponent.
    """
    negative = literal.startswith("-")
    body = literal[1:] if negative else literal
    mantissa, _, exponent = body.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    significant = digits.lstrip("0")
    if not significant:
        return negative, "", 0
    exponent = exponent.lstrip("+")
    magnitude = exponent.lstrip("-").lstrip("0")
    if len(magnitude) > _MAX_EXPONENT_CHARS:
        return None
    try:
        shift = int(exponent) if exponent else 0
    except ValueError:
        return None
    point = len(whole) - (len(digits) - len(significant)) + shift
    return negative, significant.rstrip("0"), point


def float_is_exact(literal: str, value: float) -> bool:
    """Whether ``value`` (parsed from JSON ``literal``) writes back as the same number."""
    if len(literal) <= FAST_MAX_CHARS and MIN_NORMAL <= abs(value) < math.inf:
        return True
    if not math.isfinite(value):
        return False
    source = decimal_key(literal)
    return source is not None and source == decimal_key(repr(value))
