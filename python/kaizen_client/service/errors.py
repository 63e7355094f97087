"""Failures the operations raise on purpose, each carrying its HTTP status and error code.

Codec errors (``KTOFDecodeError``/``KTOFEncodeError``) and pydantic validation errors are
mapped in :mod:`.routing`; these cover what the operations themselves refuse. They belong
to the service, not the engine: only an HTTP-shaped answer has a status.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An operation refused the request; ``status``/``code`` say how to answer."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFoundError(ServiceError):
    """The request names something (e.g. a stored ``payload_id``) that does not exist."""

    status = 404
    code = "not_found"
