"""Running the server: ``serve()`` for ``kaizen serve``, ``running_server()`` for tests and tools.

``serve`` turns off uvicorn's own access log: it prints the query string, where a careless
client might have put a key. The app's access log (``kaizen_client.server.access``) is used
instead and is routed to uvicorn's console handler.
"""

from __future__ import annotations

import contextlib
import copy
import logging.config
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .app import create_app
from .settings import ServerSettings


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging config plus the ``kaizen_client`` loggers on the same console."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["kaizen_client"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: ServerSettings | None = None,
    log_level: str = "info",
) -> None:
    """Run the server in the foreground until interrupted (settings default to the env)."""
    settings = settings if settings is not None else ServerSettings.from_env()  # fail early
    config = log_config(log_level)
    logging.config.dictConfig(config)  # before the app exists, so its warnings are printed
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_config=config, log_level=log_level, access_log=False)


@contextlib.contextmanager
def running_server(
    settings: ServerSettings, *, host: str = "127.0.0.1", timeout: float = 10.0
) -> Iterator[str]:
    """A real uvicorn server on a free ``host`` port in a thread; yields its base URL.

    For tests, the cassette recorder and benchmarks: the port is bound before the server
    starts (so no race for it), and the server is stopped and joined on exit.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_config=None, access_log=False, lifespan="off", workers=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Kaizen server did not start")
            time.sleep(0.01)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
