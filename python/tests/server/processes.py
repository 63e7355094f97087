"""Server processes for tests: a free loopback port, start, wait until it answers, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without any KAIZEN_* / PROMETHEUS_* variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAIZEN_", "PROMETHEUS_"))}
    env.update(extra or {})
    return env


def start(
    argv: Sequence[str],
    env: Mapping[str, str],
    port: int,
    *,
    ready_path: str = "/healthz",
    timeout: float = 30.0,
    preexec_fn: object = None,
    python: str = sys.executable,
    cwd: str | None = None,
) -> tuple[subprocess.Popen[str], str]:
    """``python argv...`` in its own process group; returns it once ``ready_path`` is 200."""
    process = subprocess.Popen(
        [python, *argv],
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=preexec_fn,  # type: ignore[arg-type]
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(url + ready_path, timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    output = stop(process)
    raise AssertionError(f"server {argv} did not start: {output}")


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT, timeout: float = 20.0) -> str:
    """Signal the process (group), wait for it, and return everything it printed."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return output or ""


def serve_argv(port: int, *extra: str) -> list[str]:
    return ["-m", "kaizen_client.cli", "serve", "--port", str(port), *extra]
