"""The failure every shared-state backend raises when it cannot answer: the gateway's 503.

A store or limiter that cannot reach its backend (Redis down, timed out, out of connections)
must neither crash the request (500) nor let it through unchecked (a limiter that fails
open). It raises :class:`StateUnavailable`; the gateway answers ``503 unavailable`` with
``Retry-After``, and the next request tries the backend again.
"""

from __future__ import annotations


class StateUnavailable(Exception):
    """Shared state could not be read or written; ``what`` names the part (never a secret)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} is unavailable")
        self.what = what
