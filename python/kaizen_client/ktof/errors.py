"""Errors raised by the KTOF codec: each says what is wrong and where."""

from __future__ import annotations


class KTOFError(ValueError):
    """Base class of codec errors (a ``ValueError``, like ``json.JSONDecodeError``)."""


class KTOFDecodeError(KTOFError):
    """Text that is neither valid TOON 4.0 nor valid KTOF.

    ``line`` is the 1-based line of the input where the problem was found (0 when the
    problem is not tied to one line), ``msg`` the bare description.
    """

    def __init__(self, msg: str, line: int = 0, text: str | None = None) -> None:
        self.msg = msg
        self.line = line
        self.text = text
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{msg}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.msg, self.line, self.text))


class KTOFEncodeError(KTOFError):
    """A value that cannot be encoded; ``path`` is its JSON path, e.g. ``$.orders[3].created``."""

    def __init__(self, msg: str, path: str = "$") -> None:
        self.msg = msg
        self.path = path
        super().__init__(f"{path}: {msg}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.msg, self.path))
