"""Test-only fault injection: real 503s from the real server, for recording retry cassettes.

``KAIZEN_TEST_FAIL_FIRST=/v1/compress`` makes the first request to that path answer 503
``unavailable`` (no ``Retry-After``, so clients use their own backoff); every later request
is served normally. Off unless configured, and the server warns at start-up when it is on.
"""

from __future__ import annotations

from collections.abc import Iterable


class FirstRequestFaults:
    """Fails the first request to each configured path, once."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._pending = {"/" + path.strip("/") for path in paths}

    @property
    def active(self) -> bool:
        return bool(self._pending)

    def should_fail(self, path: str) -> bool:
        """True exactly once per configured path (``path`` already normalized)."""
        if path in self._pending:
            self._pending.discard(path)
            return True
        return False
