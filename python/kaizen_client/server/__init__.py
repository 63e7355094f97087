"""The self-hosted Kaizen API: the engine behind FastAPI (``pip install 'kaizen-client[server]'``).

* ``kaizen serve --host 127.0.0.1 --port 8000``, or
* ``uvicorn kaizen_client.server:app`` (settings from the environment, read on first use of
  ``app``), or ``uvicorn --factory kaizen_client.server:create_app``.

See ``docs/server.md``. Importing ``kaizen_client`` never imports this package.
"""

from __future__ import annotations

from typing import Any

from .factory import create_app
from .runner import running_server, serve
from .settings import RateLimit, ServerSettings
from .store import InMemoryPayloadStore, Lookup, PayloadStore

__all__ = [
    "InMemoryPayloadStore",
    "Lookup",
    "PayloadStore",
    "RateLimit",
    "ServerSettings",
    "create_app",
    "running_server",
    "serve",
]


def __getattr__(name: str) -> Any:
    # ``kaizen_client.server:app`` for uvicorn, built from the environment on first access.
    if name == "app":
        value = create_app()
        globals()["app"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
