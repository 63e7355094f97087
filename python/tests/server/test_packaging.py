"""The server stays optional: the core never imports it; ``kaizen serve`` says what is missing."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from kaizen_client import cli

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


def test_uvicorn_app_path_builds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import kaizen_client.server as server

    monkeypatch.setenv("KAIZEN_API_KEYS", "sk-env-key-1, sk-env-key-2")
    monkeypatch.delitem(vars(server), "app", raising=False)
    app = server.app
    assert app.state.settings.api_keys == frozenset({"sk-env-key-1", "sk-env-key-2"})
    assert server.app is app  # built once
    assert "sk-env-key" not in repr(app.state.settings)
    monkeypatch.delitem(vars(server), "app")
