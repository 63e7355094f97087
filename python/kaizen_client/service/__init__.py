"""The Kaizen API as a service: the eight operations and one HTTP-shaped entry point.

Built on the engine (:mod:`kaizen_client.engine`) and the API models
(:mod:`kaizen_client.models`); both the client's in-process transport and the FastAPI
server call :func:`handle_request`, so local and remote modes answer alike.

* :mod:`.operations`: the operations over validated request models, returning JSON bodies.
* :mod:`.routing`: :func:`handle_request` (route, validate, run, map failures to statuses;
  never raises) and :func:`error_body`.
* :mod:`.errors`: the failures operations raise on purpose, with their status and code.
"""

from __future__ import annotations

from .errors import NotFoundError, ServiceError
from .routing import error_body, handle_request

__all__ = ["NotFoundError", "ServiceError", "error_body", "handle_request"]
