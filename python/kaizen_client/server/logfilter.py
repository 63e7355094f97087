"""Rate-limited logging of accept errors, so running out of file descriptors cannot flood the log.

When a process hits its open-file limit, asyncio logs every failed ``accept()`` with a full
traceback, up to ``backlog`` (2048) times per wake-up, each scheduling another
``_start_serving`` retry (which fail again, and once more at shutdown when the socket is
gone); under a connection flood that was 688,000 tracebacks (279 MB) in seconds, which
fills the disk and buries the one useful line. :class:`AcceptErrorFilter` lets one such
record through per ``interval`` seconds, without the traceback, saying how many it held back.
Other records pass untouched. ``serve`` installs it on the ``asyncio`` logger.
"""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable

_RESOURCE_ERRNOS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


def is_accept_error(record: logging.LogRecord) -> bool:
    """A failed ``accept()`` or its retry (asyncio's wording), or an out-of-descriptors error."""
    message = str(record.msg)
    if "accept" in message.lower() or "_start_serving" in message:
        return True
    exc = record.exc_info[1] if record.exc_info else None
    return isinstance(exc, OSError) and exc.errno in _RESOURCE_ERRNOS


class AcceptErrorFilter(logging.Filter):
    """At most one accept-error record per ``interval`` seconds, traceback dropped."""

    def __init__(self, interval: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._next = float("-inf")
        self.suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_accept_error(record):
            return True
        now = self._clock()
        if now < self._next:
            self.suppressed += 1
            return False
        exc = record.exc_info[1] if record.exc_info else None
        reason = f" ({exc})" if exc is not None else ""
        held = (
            f"; {self.suppressed} more in the last {self.interval:g} s" if self.suppressed else ""
        )
        record.msg = (
            f"{record.getMessage()}{reason}{held} (logged at most every {self.interval:g} s)"
        )
        record.args = None
        record.exc_info = None
        record.exc_text = None
        self.suppressed = 0
        self._next = now + self.interval
        return True
