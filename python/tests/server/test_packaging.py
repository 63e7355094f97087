"""The server stays optional: the core never imports it; ``kaizen serve`` says what is missing."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

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


REPO = Path(__file__).resolve().parents[3]


def test_the_packaged_spec_is_the_repository_spec() -> None:
    """The wheel ships ``kaizen_client/server/openapi.json``: a copy of the root spec."""
    copy = REPO / "python" / "kaizen_client" / "server" / "openapi.json"
    assert copy.is_file(), f"{copy} is missing: copy the repository's openapi.json there"
    assert copy.read_bytes() == (REPO / "openapi.json").read_bytes(), (
        f"{copy} differs from openapi.json: copy it again (cp openapi.json {copy})"
    )


def test_a_wheel_installed_in_a_fresh_venv_serves_the_spec(tmp_path: Path) -> None:
    """Finding 7: an installed wheel had no openapi.json, so /openapi.json answered 404.

    Built from this checkout (pure Python, no mypyc: same files), installed with the
    ``server`` extra into a new virtualenv (not the checkout's), then run as a user would.
    """
    env = processes.clean_env({"HATCH_BUILD_NO_HOOKS": "true"})
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(wheels),
            str(REPO / "python"),
        ],
        check=True,
        env=env,
        timeout=300,
    )
    (wheel,) = wheels.glob("kaizen_client-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{wheel}[server]"],
        check=True,
        env=env,
        timeout=600,
    )
    port = processes.free_port()
    serve_env = processes.clean_env({"KAIZEN_API_KEYS": "sk-wheel-test-key-123"})
    serve_env.pop("PYTHONPATH", None)
    process, url = processes.start(
        processes.serve_argv(port),
        serve_env,
        port,
        python=str(python),
        cwd=str(tmp_path),  # not the checkout: nothing can be read from the repository root
    )
    try:
        spec = httpx.get(url + "/openapi.json")
        assert spec.status_code == 200
        assert spec.json() == json.loads((REPO / "openapi.json").read_text("utf-8"))
        located = subprocess.run(
            [
                str(python),
                "-c",
                "import kaizen_client.server.spec as s; print(s.spec_candidates()[0])",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env=serve_env,
        ).stdout
        assert str(venv) in located  # the installed copy, not the checkout's
    finally:
        processes.stop(process)
