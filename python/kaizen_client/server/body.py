"""Reading a request body under a size cap, refusing as early as the request allows.

A declared ``Content-Length`` over the cap is refused before a byte is read; a chunked body
is read only until it crosses the cap. Either way the server never buffers more than
``limit`` bytes (plus one chunk) of a body it is going to refuse.
"""

from __future__ import annotations

from starlette.requests import Request


class BodyTooLarge(Exception):
    """The body is over the limit; ``declared`` is True when Content-Length said so up front."""

    def __init__(self, limit: int, *, declared: bool) -> None:
        super().__init__(f"request body is larger than {limit} bytes")
        self.limit = limit
        self.declared = declared


def declared_length(request: Request) -> int | None:
    """The ``Content-Length`` header as a number, or None when absent or unreadable."""
    raw = request.headers.get("content-length")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body if it is at most ``limit`` bytes; otherwise raise ``BodyTooLarge``."""
    length = declared_length(request)
    if length is not None and length > limit:
        raise BodyTooLarge(limit, declared=True)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit, declared=False)
        chunks.append(chunk)
    return b"".join(chunks)
