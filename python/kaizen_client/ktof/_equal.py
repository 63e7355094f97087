"""Type-exact equality of JSON values: what "decodes back to exactly the same value" means.

``1 == 1.0 == True`` and ``0.0 == -0.0`` in Python, and dicts compare without key order, so ``==``
is too weak to check a round trip. Equal compact ``json.dumps`` text is the right test but costs
two serializations with a float ``repr`` each. ``marshal`` (format 2, which has no back-references,
so equal values always give equal bytes) writes the same facts in binary: the exact type of every
value, floats bit for bit, dict items in order. Equal marshal bytes therefore mean equal JSON
text; the engine checks every replacement this way, about four times faster than two dumps.
"""

from __future__ import annotations

import json
import marshal
from typing import Any

_NO_REFERENCES = 2
"""marshal format 2: format 3 added back-references to shared objects (bytes depend on identity)."""


def same_json(decoded: Any, original: Any) -> bool:
    """Whether ``decoded`` and ``original`` have equal compact JSON text.

    Fast path: equal marshal bytes. Otherwise (a real difference, or types marshal does not
    write exactly: tuples, str or int subclasses) the JSON texts decide.
    """
    try:
        if marshal.dumps(decoded, _NO_REFERENCES) == marshal.dumps(original, _NO_REFERENCES):
            return True
    except ValueError:  # an unmarshallable type (e.g. an enum) or nesting beyond marshal's limit
        pass
    return _same_text(decoded, original)


def _same_text(decoded: Any, original: Any) -> bool:
    """The slow, general answer: compare compact JSON text (unserializable means unequal)."""
    try:
        return _compact(decoded) == _compact(original)
    except (TypeError, ValueError, RecursionError):
        return False


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
