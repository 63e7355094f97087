"""``kaizen``: encode, decode and measure JSON files from the shell, locally or via the API.

The CLI is a thin user of ``KaizenSyncClient``, so it runs in whichever mode the config
resolves to (``KAIZEN_BASE_URL`` / ``KAIZEN_API_KEY`` or ``--base-url`` / ``--api-key``):
no account means the in-process engine.

Exit codes: 0 ok, 1 bad input (message names file and line), 2 usage error, 3 API or
transport error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .client import KaizenSyncClient
    from .errors import KaizenValidationError
    from .models import KaizenResponse

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_API = 3

DEFAULT_MODEL = "gpt-4o"
STDIN = "<stdin>"


class InputError(Exception):
    """Bad user input: a message already in ``file:line: what`` form."""


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    text: str


# ---------------------------------------------------------------------------- arguments
def _common_options() -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand (defaults suppressed so the
    subcommand's copy does not overwrite a value given before it)."""
    common = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS
    common.add_argument(
        "--base-url",
        default=s,
        metavar="URL",
        help="API base URL, or 'local' for the in-process engine (default: $KAIZEN_BASE_URL, "
        "else the hosted API when an API key is set, else local)",
    )
    common.add_argument(
        "--api-key",
        default=s,
        metavar="KEY",
        help="API key (default: $KAIZEN_API_KEY; prefer the variable: arguments show in ps)",
    )
    common.add_argument("--timeout", type=float, default=s, metavar="SECONDS")
    common.add_argument(
        "--progress",
        action="store_true",
        default=s,
        help="show a progress bar on stderr even when it is not a terminal",
    )
    common.add_argument("--no-progress", action="store_true", default=s, help="never show it")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="kaizen",
        description="Kaizen KTOF tools: token-optimized, lossless text for JSON.",
        parents=[common],
        epilog="Exit codes: 0 ok, 1 bad input, 2 usage error, 3 API/transport error.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"kaizen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    enc = sub.add_parser("encode", parents=[common], help="JSON -> KTOF")
    enc.add_argument("files", nargs="*", metavar="FILE", help="JSON files (default: stdin)")
    enc.add_argument("--model", help=f"tokenizer the output is tuned for (e.g. {DEFAULT_MODEL})")
    enc.add_argument("--mode", choices=("auto", "toon"), help="auto: fewest tokens; toon: TOON 4.0")
    enc.add_argument("--indent", type=_positive_int, metavar="N")
    enc.add_argument(
        "--delimiter",
        choices=(",", "\t", "|"),
        metavar="CHAR",
        help="array delimiter: ',' '|' or a tab",
    )

    dec = sub.add_parser("decode", parents=[common], help="KTOF (or TOON) -> JSON")
    dec.add_argument("files", nargs="*", metavar="FILE", help="KTOF files (default: stdin)")
    dec.add_argument(
        "--indent",
        type=_non_negative_int,
        default=2,
        metavar="N",
        help="JSON output indent (0: one line; default 2)",
    )

    opt = sub.add_parser("optimize", parents=[common], help="token savings per file")
    opt.add_argument("files", nargs="*", metavar="FILE", help="JSON files (default: stdin)")
    opt.add_argument("--model", default=DEFAULT_MODEL, help=f"tokenizer (default {DEFAULT_MODEL})")
    opt.add_argument("--mode", choices=("auto", "toon"), help="encoding to measure (default auto)")
    opt.add_argument("--json", action="store_true", help="machine-readable JSON output")

    sub.add_parser("health", parents=[common], help="check the engine or API answers")

    srv = sub.add_parser(
        "serve", help="run the self-hosted Kaizen API (needs the 'server' extra; docs/server.md)"
    )
    srv.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    srv.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    srv.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    srv.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="worker processes (default 1; more than 1 needs KAIZEN_REDIS_URL)",
    )
    srv.add_argument(
        "--force-workers",
        action="store_true",
        help="allow --workers > 1 without Redis (each worker keeps its own state)",
    )
    srv.add_argument(
        "--allow-anonymous",
        action="store_true",
        help="run without API keys (same as KAIZEN_ALLOW_ANONYMOUS=1; logged loudly)",
    )
    from .evaluation.command import add_parser as add_eval

    add_eval(sub)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


# ---------------------------------------------------------------------------- input
def _read_sources(files: Sequence[str], stdin: TextIO) -> Iterator[Source | InputError]:
    if not files:
        yield Source(STDIN, stdin.read())
        return
    for name in files:
        if name == "-":
            yield Source(STDIN, stdin.read())
            continue
        try:
            with open(name, encoding="utf-8") as fh:
                yield Source(name, fh.read())
        except OSError as exc:
            yield InputError(f"{name}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            yield InputError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})")


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity; JSON (and so the API) does not.
    raise ValueError(f"{name} is not valid JSON")


def _parse_json(source: Source) -> Any:
    try:
        return json.loads(source.text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source.name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise InputError(f"{source.name}: invalid JSON: {exc}") from None


def _input_error_from_api(name: str, err: KaizenValidationError) -> InputError:
    """``file:line: message`` from the error body the engine (local or remote) returned.

    ``ktof_decode_error`` carries ``{"line", "message"}``, ``ktof_encode_error``
    ``{"path", "message"}``, and ``validation_error`` pydantic's list of field errors.
    """
    detail = err.detail
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        line = detail.get("line")
        if isinstance(line, int) and line > 0:
            return InputError(f"{name}:{line}: {detail['message']}")
        if isinstance(detail.get("path"), str):
            return InputError(f"{name}: {detail['path']}: {detail['message']}")
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        return InputError(f"{name}: {err.message}: {loc}: {first.get('msg', '')}".rstrip(": "))
    return InputError(f"{name}: {err.message}")


# ---------------------------------------------------------------------------- progress
class Progress:
    """A progress bar on stderr, no dependencies; silent when disabled.

    On a terminal it redraws one line in place; elsewhere (``--progress`` into a log file)
    it writes one plain line per file, so the log stays readable.
    """

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0
        isatty = getattr(stream, "isatty", None)
        self._tty = bool(isatty and isatty())
        self._drawn = False

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 24
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        label = label if len(label) <= 40 else "..." + label[-37:]
        line = f"[{bar}] {self.done}/{self.total} {label}"
        if self._tty:
            self.stream.write(f"\r{line}\x1b[K")
            self._drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def _progress_enabled(args: argparse.Namespace, count: int, stderr: TextIO) -> bool:
    if getattr(args, "no_progress", False) or count < 2:
        return False
    if getattr(args, "progress", False):
        return True
    isatty = getattr(stderr, "isatty", None)
    return bool(isatty and isatty())


# ---------------------------------------------------------------------------- commands
def _make_client(args: argparse.Namespace) -> KaizenSyncClient:
    from .client import KaizenSyncClient
    from .config import KaizenClientConfig

    kwargs: dict[str, Any] = {}
    if getattr(args, "base_url", None):
        kwargs["base_url"] = args.base_url
    if getattr(args, "api_key", None):
        kwargs["api_key"] = args.api_key
    if getattr(args, "timeout", None) is not None:
        kwargs["timeout"] = args.timeout
    return KaizenSyncClient(KaizenClientConfig(**kwargs))


def _encode_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name in ("mode", "model", "indent", "delimiter"):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    return options


def _cmd_encode(client: KaizenSyncClient, source: Source, args: argparse.Namespace) -> str:
    payload: dict[str, Any] = {"data": _parse_json(source)}
    options = _encode_options(args)
    if options:
        payload["options"] = options
    result = client.compress(payload).result
    return str(result)


def _cmd_decode(client: KaizenSyncClient, source: Source, args: argparse.Namespace) -> str:
    result = client.decompress({"data": source.text}).result
    indent = args.indent or None
    return json.dumps(result, ensure_ascii=False, indent=indent)


def _token_row(source: Source, response: KaizenResponse, model: str) -> dict[str, Any]:
    stats = (response.token_stats or {}).get(model)
    json_tokens = stats.original if stats is not None else None
    ktof_tokens = stats.compressed if stats is not None else None
    saved = (
        round(100.0 * (json_tokens - ktof_tokens) / json_tokens, 1)
        if json_tokens and ktof_tokens is not None
        else None
    )
    return {
        "file": source.name,
        "model": model,
        "json_tokens": json_tokens,
        "ktof_tokens": ktof_tokens,
        "saved_percent": saved,
    }


def _cmd_optimize(
    client: KaizenSyncClient, source: Source, args: argparse.Namespace
) -> dict[str, Any]:
    options: dict[str, Any] = {"model": args.model}
    if args.mode is not None:
        options["mode"] = args.mode
    payload = {"data": _parse_json(source), "options": options, "token_models": [args.model]}
    response = client.optimize(payload)
    return _token_row(source, response, args.model)


def _format_rows(rows: list[dict[str, Any]]) -> str:
    header = ("file", "json tokens", "ktof tokens", "saved")
    table = [header] + [
        (
            r["file"],
            "?" if r["json_tokens"] is None else str(r["json_tokens"]),
            "?" if r["ktof_tokens"] is None else str(r["ktof_tokens"]),
            "?" if r["saved_percent"] is None else f"{r['saved_percent']:.1f}%",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in table
    ]
    return "\n".join(lines)


def _run_files(
    args: argparse.Namespace,
    client: KaizenSyncClient,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    from .errors import KaizenError, KaizenValidationError

    files: list[str] = list(args.files)
    progress = Progress(len(files), stderr, _progress_enabled(args, len(files), stderr))
    status = EXIT_OK
    rows: list[dict[str, Any]] = []
    many = len(files) > 1
    for item in _read_sources(files, stdin):
        try:
            if isinstance(item, InputError):
                raise item
            progress.step(item.name)
            try:
                if args.command == "encode":
                    out = _cmd_encode(client, item, args)
                elif args.command == "decode":
                    out = _cmd_decode(client, item, args)
                else:
                    rows.append(_cmd_optimize(client, item, args))
                    continue
            except KaizenValidationError as err:
                raise _input_error_from_api(item.name, err) from None
            progress.clear()
            if many:
                stdout.write(f"==> {item.name} <==\n")
            stdout.write(out if out.endswith("\n") else out + "\n")
        except InputError as err:
            progress.clear()
            stderr.write(f"kaizen {args.command}: {err}\n")
            status = EXIT_INPUT
        except KaizenError as err:
            progress.clear()
            stderr.write(f"kaizen {args.command}: {err}\n")
            return EXIT_API
    progress.clear()
    if args.command == "optimize" and rows:
        if args.json:
            stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            stdout.write(_format_rows(rows) + "\n")
    return status


def _cmd_health(client: KaizenSyncClient, stdout: TextIO, stderr: TextIO) -> int:
    from .errors import KaizenError

    try:
        response = client.health()
    except KaizenError as err:
        stderr.write(f"kaizen health ({client.mode}): {err}\n")
        return EXIT_API
    body = response.model_dump(mode="json")
    body.setdefault("mode", client.mode)
    stdout.write(json.dumps(body, indent=2) + "\n")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace, stderr: TextIO) -> int:
    """Run the server in the foreground; FastAPI is imported only here, never by the core."""
    try:
        from .server import serve
    except ModuleNotFoundError as exc:
        if exc.name not in {"fastapi", "starlette", "uvicorn"}:
            raise
        stderr.write(
            "kaizen serve: the server needs the 'server' extra: "
            "pip install 'kaizen-client[server]'\n"
        )
        return EXIT_USAGE
    if args.allow_anonymous:
        os.environ["KAIZEN_ALLOW_ANONYMOUS"] = "1"  # workers read the environment too
    try:
        serve(
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            workers=args.workers,
            force_workers=args.force_workers,
        )
    except ValueError as exc:  # a bad KAIZEN_* server setting
        stderr.write(f"kaizen serve: {exc}\n")
        return EXIT_USAGE
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the CLI; returns the exit code (the console script passes it to ``sys.exit``)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help / --version (0) or usage errors (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "serve":
        return _cmd_serve(args, stderr)
    if args.command == "eval":
        from .evaluation.command import run_command

        return run_command(args, stdout, stderr)
    try:
        client = _make_client(args)
    except ValueError as exc:  # e.g. a bad KAIZEN_TIMEOUT
        stderr.write(f"kaizen: {exc}\n")
        return EXIT_USAGE
    try:
        with client:
            if args.command == "health":
                return _cmd_health(client, stdout, stderr)
            return _run_files(args, client, stdin, stdout, stderr)
    except KeyboardInterrupt:
        stderr.write("kaizen: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. `kaizen decode big.ktof | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
