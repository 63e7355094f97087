"""The server stays optional: the core never imports it; ``kaizen serve`` says what is missing."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys

import httpx
import pytest

from kaizen_client import cli

from . import processes

SERVER_STACK = ("fastapi", "starlette", "uvicorn", "kaizen_client.server")


def test_importing_the_core_never_imports_the_server_stack() -> None:
    code = (
        "import sys, kaizen_client, kaizen_client.client, kaizen_client.cli, "
        "kaizen_client.engine, kaizen_client.models\n"
        "kaizen_client.KaizenClient, kaizen_client.KaizenSyncClient\n"
        "kaizen_client.cli.build_parser()\n"
        f"print(sorted(m for m in sys.modules if m.startswith({SERVER_STACK!r})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_serve_without_the_extra_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.startswith("kaizen_client.server")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "fastapi", None)
    stderr = io.StringIO()
    assert cli.main(["serve"], stderr=stderr) == cli.EXIT_USAGE
    assert "pip install 'kaizen-client[server]'" in stderr.getvalue()


def test_serve_with_a_bad_setting_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAIZEN_MAX_BODY_BYTES", "lots")
    stderr = io.StringIO()
    assert cli.main(["serve", "--port", "0"], stderr=stderr) == cli.EXIT_USAGE
    assert "KAIZEN_MAX_BODY_BYTES" in stderr.getvalue()


def test_uvicorn_app_path_serves_as_documented() -> None:
    """Finding 1: ``uvicorn kaizen_client.server:app`` answered every request with a plain-text
    500 (the attribute was the ``app`` submodule). Run exactly what a user runs."""
    port = processes.free_port()
    env = processes.clean_env({"KAIZEN_API_KEYS": "sk-env-key-1, sk-env-key-2"})
    argv = ["-m", "uvicorn", "kaizen_client.server:app", "--port", str(port)]
    process, url = processes.start(argv, env, port, ready_path="/")
    try:
        health = httpx.get(url + "/")
        assert health.status_code == 200 and health.json()["mode"] == "server"
        answer = httpx.post(
            url + "/v1/compress", json={"data": [1]}, headers={"x-api-key": "sk-env-key-2"}
        )
        assert answer.status_code == 200 and answer.json()["result"] == "[1]"
        assert httpx.post(url + "/v1/compress", json={"data": [1]}).status_code == 401
    finally:
        output = processes.stop(process)
    assert "sk-env-key" not in output


def test_uvicorn_app_path_builds_once_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import kaizen_client.server as server

    monkeypatch.setenv("KAIZEN_API_KEYS", "sk-env-key-1, sk-env-key-2")
    for name in ("factory", "runner", "gateway", "metrics"):  # no submodule may shadow ``app``
        importlib.import_module(f"kaizen_client.server.{name}")

    app = server.app
    assert not isinstance(app, type(server))
    assert app.state.settings.api_keys == frozenset({"sk-env-key-1", "sk-env-key-2"})
    assert server.app is app  # built once
    assert "sk-env-key" not in repr(app.state.settings)
    monkeypatch.delitem(vars(server), "app")
