"""KTOF: token-optimized text for JSON data, a superset of TOON 4.0.

``encode(value, mode="toon")`` emits exactly TOON 4.0; ``mode="auto"`` (the default) emits the
readable text with the fewest tokens that still decodes to exactly the same Python value.
``decode`` reads both.
"""

from .errors import KTOFDecodeError, KTOFEncodeError, KTOFError

__all__ = ["KTOFDecodeError", "KTOFEncodeError", "KTOFError", "decode", "encode"]

from .decoder import decode
from .encoder import encode
