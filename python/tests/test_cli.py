"""The ``kaizen`` CLI: round trips, optimize output, exit codes and messages."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from kaizen_client import KaizenClientConfig, KaizenSyncClient, cli

DATA = {"users": [{"id": 1, "name": "Ada", "admin": True}, {"id": 2, "name": "Bo", "admin": False}]}
SECRET = "sk-cli-SECRET-987654321"


@pytest.fixture(autouse=True)
def local_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAIZEN_BASE_URL", "KAIZEN_API_KEY", "KAIZEN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.json"
    path.write_text(json.dumps(DATA, indent=2))
    return path


@pytest.mark.parametrize("mode", ["toon", "auto"])
def test_encode_decode_round_trip_via_files(tmp_path: Path, data_file: Path, mode: str) -> None:
    code, ktof, err = run("encode", "--mode", mode, str(data_file))
    assert (code, err) == (0, "")
    assert ktof.strip() and not ktof.lstrip().startswith("{")
    ktof_file = tmp_path / "users.ktof"
    ktof_file.write_text(ktof)
    code, out, err = run("decode", str(ktof_file))
    assert (code, err) == (0, "")
    assert json.loads(out) == DATA


def test_encode_decode_round_trip_via_stdin() -> None:
    code, ktof, _ = run("encode", stdin=json.dumps(DATA))
    assert code == 0
    code, out, _ = run("decode", "--indent", "0", stdin=ktof)
    assert code == 0 and json.loads(out) == DATA and out.count("\n") == 1


def test_encode_options_reach_the_codec(data_file: Path) -> None:
    code, out, _ = run(
        "encode", "--mode", "toon", "--delimiter", "|", "--indent", "4", str(data_file)
    )
    assert code == 0
    assert "|" in out and "\n    " in out


def test_many_files_are_labelled(data_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text("[1, 2, 3]")
    code, out, _ = run("encode", "--mode", "toon", str(data_file), str(other))
    assert code == 0
    assert f"==> {data_file} <==" in out and f"==> {other} <==" in out


def test_optimize_json_output(data_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "b.json"
    other.write_text(json.dumps([{"k": i, "v": "x" * i} for i in range(20)]))
    code, out, err = run("optimize", "--json", "--model", "gpt-4o-mini", str(data_file), str(other))
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["file"] for r in rows] == [str(data_file), str(other)]
    for row in rows:
        assert row["model"] == "gpt-4o-mini"
        assert row["json_tokens"] > 0 and row["ktof_tokens"] > 0
        expected = round(100 * (row["json_tokens"] - row["ktof_tokens"]) / row["json_tokens"], 1)
        assert row["saved_percent"] == expected


def test_optimize_table_output(data_file: Path) -> None:
    code, out, _ = run("optimize", str(data_file))
    assert code == 0
    header, line = out.strip().splitlines()
    assert header.split()[:3] == ["file", "json", "tokens"]
    assert line.startswith(str(data_file)) and line.endswith("%")


def test_bad_json_is_exit_1_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": 1,\n  "b": ]\n}\n')
    code, out, err = run("encode", str(bad))
    assert code == cli.EXIT_INPUT and out == ""
    assert f"{bad}:3:" in err and "invalid JSON" in err


def test_bad_ktof_is_exit_1_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ktof"
    bad.write_text("name: ok\nitems[3]: 1,2\n")
    code, out, err = run("decode", str(bad))
    assert code == cli.EXIT_INPUT and out == ""
    assert f"{bad}:2: " in err


def test_bad_ktof_on_stdin_names_stdin() -> None:
    code, _, err = run("decode", stdin="items[3]: 1,2\n")
    assert code == 1 and "<stdin>:1: " in err


def test_missing_file_is_exit_1_and_other_files_still_run(data_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = run("encode", "--mode", "toon", str(missing), str(data_file))
    assert code == 1
    assert f"{missing}: No such file" in err
    assert f"==> {data_file} <==" in out


@pytest.mark.parametrize(
    "argv",
    [(), ("bogus",), ("encode", "--indent", "0"), ("encode", "--mode", "fast"), ("--nope",)],
)
def test_usage_errors_exit_2(argv: tuple[str, ...]) -> None:
    code, _, err = run(*argv)
    assert code == cli.EXIT_USAGE and "usage:" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "encode" in capsys.readouterr().out


def test_health_local() -> None:
    code, out, _ = run("health")
    assert code == 0
    body = json.loads(out)
    assert body["status"] == "ok" and body["mode"] == "local"


def _failing_client(handler: Any) -> Any:
    def make(args: Any) -> KaizenSyncClient:
        config = KaizenClientConfig(
            base_url="https://api.test.example", api_key=SECRET, max_retries=0
        )
        return KaizenSyncClient(config, transport=httpx.MockTransport(handler))

    return make


def test_transport_error_is_exit_3_and_key_never_printed(
    monkeypatch: pytest.MonkeyPatch, data_file: Path
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    monkeypatch.setattr(cli, "_make_client", _failing_client(refuse))
    for argv in (("health",), ("encode", str(data_file))):
        code, out, err = run(*argv, "--api-key", SECRET)
        assert code == cli.EXIT_API
        assert "Failed to reach Kaizen API" in err
        assert SECRET not in out + err


def test_server_error_is_exit_3(monkeypatch: pytest.MonkeyPatch, data_file: Path) -> None:
    body = {"error": {"code": "internal_error", "message": "internal error", "request_id": "r"}}
    monkeypatch.setattr(
        cli, "_make_client", _failing_client(lambda r: httpx.Response(500, json=body))
    )
    code, _, err = run("decode", str(data_file))
    assert code == cli.EXIT_API and "internal error" in err


def test_base_url_and_api_key_flags_build_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[KaizenSyncClient] = []
    real = cli._make_client

    def spy(args: Any) -> Any:
        client = real(args)
        seen.append(client)
        return client

    monkeypatch.setattr(cli, "_make_client", spy)
    monkeypatch.setenv("KAIZEN_API_KEY", SECRET)
    code, _, _ = run("--base-url", "local", "health")  # env key would mean remote: flag wins
    assert code == 0 and seen[0].mode == "local" and seen[0].config.api_key == SECRET
    code, _, _ = run("health", "--base-url", "LOCAL", "--timeout", "3")
    assert code == 0 and seen[1].mode == "local" and seen[1].config.timeout == 3.0


def test_progress_bar_only_when_asked(data_file: Path) -> None:
    files = [str(data_file)] * 3
    code, _, err = run("encode", "--mode", "toon", *files)
    assert code == 0 and err == ""  # StringIO stderr is not a TTY
    code, _, err = run("encode", "--mode", "toon", "--progress", *files)
    assert code == 0 and "3/3" in err and "\x1b" not in err
    code, _, err = run("encode", "--mode", "toon", "--progress", "--no-progress", *files)
    assert err == ""


def test_console_entry_point_runs_as_a_process(data_file: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAIZEN_")}
    result = subprocess.run(
        [sys.executable, "-m", "kaizen_client.cli", "encode", "--mode", "toon", str(data_file)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    back = subprocess.run(
        [sys.executable, "-m", "kaizen_client.cli", "decode"],
        input=result.stdout,
        capture_output=True,
        text=True,
        env=env,
    )
    assert back.returncode == 0 and json.loads(back.stdout) == DATA


def test_nan_is_not_json() -> None:
    code, out, err = run("encode", stdin="[1, NaN]")
    assert code == cli.EXIT_INPUT and out == "" and "<stdin>: invalid JSON: NaN" in err
