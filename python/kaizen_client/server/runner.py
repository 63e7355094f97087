"""Running the server: ``serve()`` for ``kaizen serve``, ``running_server()`` for tests and tools.

``serve`` turns off uvicorn's own access log: it prints the query string, where a careless
client might have put a key. The app's access log (``kaizen_client.server.access``) is used
instead and is routed to uvicorn's console handler.

Both set what a server facing real clients needs (values from :class:`ServerSettings`):
a request-header deadline (:mod:`.protocols`), the keep-alive timeout, a connection cap per
worker (``limit_concurrency``: beyond it uvicorn answers 503), a graceful-shutdown timeout
(in-flight requests get that long, then are cancelled) and rate-limited accept-error logs
(:mod:`.logfilter`). ``serve(workers=N)`` runs N worker processes; N > 1 needs Redis
(``KAIZEN_REDIS_URL``) unless ``force_workers``, since per-process state would be wrong.
"""

from __future__ import annotations

import contextlib
import copy
import logging.config
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .factory import create_app
from .protocols import protocol_class
from .settings import ServerSettings

APP_PATH = "kaizen_client.server:app"
PROTOCOL_PATH = "kaizen_client.server.protocols:HeaderDeadlineH11Protocol"


class WorkersNeedRedis(ValueError):
    """``--workers N`` (N > 1) without ``KAIZEN_REDIS_URL`` and without ``force``."""


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging config plus the ``kaizen_client`` loggers on the same console, and
    the ``asyncio`` logger's accept errors rate limited."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["kaizen_client"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    config.setdefault("filters", {})["accept_errors"] = {
        "()": "kaizen_client.server.logfilter.AcceptErrorFilter"
    }
    config["loggers"]["asyncio"] = {
        "handlers": ["default"],
        "level": "WARNING",
        "propagate": False,
        "filters": ["accept_errors"],
    }
    return config


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """The uvicorn settings that bound slow and hostile clients (see the module docstring)."""
    return {
        "timeout_keep_alive": max(1, round(settings.keep_alive_timeout)),
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": max(0, round(settings.shutdown_timeout)),
        "h11_max_incomplete_event_size": 64 * 1024,
    }


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: ServerSettings | None = None,
    log_level: str = "info",
    workers: int = 1,
    force_workers: bool = False,
) -> None:
    """Run the server in the foreground until interrupted (settings default to the env).

    ``workers > 1`` reads the settings from the environment in each worker, so ``settings``
    must then be None; it is refused without ``KAIZEN_REDIS_URL`` unless ``force_workers``.
    """
    from_env = settings is None
    settings = settings if settings is not None else ServerSettings.from_env()  # fail early
    if workers < 1:
        raise ValueError("--workers must be at least 1")
    if workers > 1 and not from_env:
        raise ValueError("several workers read their settings from the environment")
    if workers > 1 and settings.redis_url is None and not force_workers:
        raise WorkersNeedRedis(
            f"--workers {workers} needs KAIZEN_REDIS_URL: without it every worker has its own "
            "payload store and rate limits (payload_ids answer 404 on the other workers, the "
            "limit is multiplied by N); pass --force-workers to run so anyway"
        )
    config = log_config(log_level)
    logging.config.dictConfig(config)  # before the app exists, so its warnings are printed
    options = uvicorn_options(settings)
    if workers == 1:
        app = create_app(settings)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_config=config,
            log_level=log_level,
            access_log=False,
            http=protocol_class(settings.header_timeout),
            **options,
        )
        return
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # workers' metrics summed on scrape
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kaizen-metrics-")
    uvicorn.run(
        APP_PATH,
        host=host,
        port=port,
        workers=workers,
        log_config=config,
        log_level=log_level,
        access_log=False,
        http=PROTOCOL_PATH,
        **options,
    )


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
        create_app(settings),
        log_config=None,
        access_log=False,
        lifespan="off",
        workers=1,
        http=protocol_class(settings.header_timeout),
        **uvicorn_options(settings),
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
