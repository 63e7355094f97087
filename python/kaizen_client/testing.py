"""Record and replay a Kaizen server with vcrpy without ever writing a key into a cassette.

For test suites (ours, the integrations', and users' own): one VCR configuration, one scan,
one standard test class and one record command, so every cassette in the project is made and
checked the same way. Needs the test-only dependencies ``vcrpy``, ``pyyaml`` and ``pytest``
(imported when first used).

* :class:`CassetteSuite`: subclass it in a test module (``class TestCassettes(CassetteSuite)``)
  with your cassette folder, scenarios and test keys, and get the standard tests: every
  scenario replays with ``record_mode="none"``, every cassette belongs to a scenario, no
  cassette holds a key, and the scan catches a planted one.
* ``python -m kaizen_client.testing record path/to/test_cassettes.py [SCENARIO ...]``
  re-records a suite's cassettes from a real server on loopback (the ``server`` extra).

* URLs are rewritten to ``http://kaizen.test`` (a loopback port changes every run);
* ``x-api-key`` and ``Authorization`` become ``<filtered>``; secret-named query parameters
  are dropped and secret-named JSON body fields masked; the given test keys are scrubbed
  from any body;
* the server's ``date`` and ``server`` headers are left out, so a re-record only changes what
  really changed.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

CANONICAL_URL = "http://kaizen.test"
FILTERED = "<filtered>"
SECRET_FIELDS = ("api_key", "apikey", "key", "token", "access_token")
# Header names only; their values are filtered out of every cassette.
CREDENTIAL_HEADERS = frozenset(
    {"x-api-key", "x-goog-api-key", "authorization", "proxy-authorization", "cookie"}
)
_BEARER = re.compile(r"bearer[ \t]+(?!<filtered>)[A-Za-z0-9._~+/=-]{4,}", re.IGNORECASE)
_KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_-]{8,}")
_SECRET_QUERY = re.compile(r"[?&](api_?key|key|token|access_token)=", re.IGNORECASE)


def canonical_uri(uri: str) -> str:
    parts, base = urlsplit(uri), urlsplit(CANONICAL_URL)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def _scrub(body: Any, secrets: Sequence[str]) -> Any:
    for secret in secrets:
        if isinstance(body, bytes):
            body = body.replace(secret.encode(), FILTERED.encode())
        elif isinstance(body, str):
            body = body.replace(secret, FILTERED)
    return body


def _scrub_request_body(body: Any, secrets: Sequence[str]) -> Any:
    """``body`` untouched unless it holds a secret: a known key, or a secret-named JSON field."""
    body = _scrub(body, secrets)
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return body
    if isinstance(data, dict) and any(name in data for name in SECRET_FIELDS):
        data = {k: FILTERED if k in SECRET_FIELDS else v for k, v in data.items()}
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return body


def cassette_vcr(library_dir: str | Path, secrets: Sequence[str]) -> Any:
    """The VCR configuration for cassettes of a Kaizen server; ``secrets`` are the test keys."""
    import vcr  # type: ignore[import-untyped, unused-ignore]  # test-only dependency

    def before_record_request(request: Any) -> Any:
        request.uri = canonical_uri(request.uri)
        if "host" in request.headers:
            request.headers["host"] = urlsplit(CANONICAL_URL).netloc
        if request.body:
            request.body = _scrub_request_body(request.body, secrets)
        return request

    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response["headers"]
        for name in [n for n in headers if n.lower() in ("date", "server")]:
            del headers[name]
        response["body"]["string"] = _scrub(response["body"]["string"], secrets)
        return response

    return vcr.VCR(
        cassette_library_dir=str(library_dir),
        serializer="yaml",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        filter_headers=[
            (name, FILTERED) for name in ("x-api-key", "x-goog-api-key", "authorization")
        ],
        filter_query_parameters=list(SECRET_FIELDS),
        before_record_request=before_record_request,
        before_record_response=before_record_response,
        decode_compressed_response=True,
    )


@dataclass(frozen=True)
class Scenario:
    """One recorded conversation: a coroutine that drives a client against ``base_url``."""

    name: str
    run: Callable[[str], Awaitable[None]]

    @property
    def cassette(self) -> str:
        return f"{self.name}.yaml"


async def record_scenarios(
    scenarios: Sequence[Scenario],
    library_dir: str | Path,
    api_key: str,
    secrets: Sequence[str],
    names: Sequence[str] = (),
    server: Callable[[str], AbstractContextManager[str]] | None = None,
    config: Any = None,
) -> list[Path]:
    """Re-record each scenario (or those in ``names``) from a real server on loopback.

    Starts ``kaizen_client.server`` on a free loopback port accepting only ``api_key`` (or
    ``server(api_key)``, a context manager yielding another service's base URL, such as a
    fake LLM provider), runs the scenario with vcrpy in ``record_mode="all"`` and stops the
    server; the default needs the ``server`` extra. ``config`` is the VCR to record with
    (default :func:`cassette_vcr`). Returns the cassette files written.
    """
    written = []
    for scenario in scenarios:
        if names and scenario.name not in names:
            continue
        path = Path(library_dir) / scenario.cassette
        path.unlink(missing_ok=True)
        with (
            (server or kaizen_server)(api_key) as base_url,
            (config or cassette_vcr(library_dir, secrets)).use_cassette(
                scenario.cassette, record_mode="all"
            ),
        ):
            await scenario.run(base_url)
        written.append(path)
    return written


def kaizen_server(api_key: str) -> AbstractContextManager[str]:
    """A Kaizen server on a free loopback port accepting only ``api_key``; yields its URL."""
    from .server import ServerSettings, running_server

    return running_server(ServerSettings(api_keys=frozenset({api_key})))


def cassette_leaks(text: str, secrets: Sequence[str]) -> list[str]:
    """Every way ``text`` (one YAML cassette) gives a credential away; empty when it is clean."""
    import yaml  # type: ignore[import-untyped, unused-ignore]  # test-only dependency

    found = [f"test key {k[:12]}..." for k in secrets if k in text]
    found += [f"bearer token {m.group(0)[:16]}..." for m in _BEARER.finditer(text)]
    found += [f"key-like string {m.group(0)[:8]}..." for m in _KEY_LIKE.finditer(text)]
    data: Any = yaml.safe_load(text)
    for number, interaction in enumerate(data.get("interactions", [])):
        request = interaction["request"]
        for name, values in request.get("headers", {}).items():
            if name.lower() in CREDENTIAL_HEADERS and any(v != FILTERED for v in values):
                found.append(f"interaction {number}: unfiltered {name} header")
        if _SECRET_QUERY.search(request.get("uri", "")):
            found.append(f"interaction {number}: secret query parameter")
        for name in interaction["response"].get("headers", {}):
            if name.lower() in CREDENTIAL_HEADERS | {"set-cookie"}:
                found.append(f"interaction {number}: response {name} header")
    return found


def sample_rows(n: int, offset: int = 0) -> list[dict[str, Any]]:
    """``n`` uniform user records (ids from ``offset``): the shape KTOF tables compress best.

    The test data every integration's suite sends, so the same table is exercised everywhere.
    """
    return [
        {
            "id": i,
            "name": f"user{i}",
            "email": f"user{i}@example.test",
            "active": (i - offset) % 2 == 0,
            "score": (i - offset) * 1.5,
        }
        for i in range(offset, offset + n)
    ]


def recording_config(base_url: str, api_key: str) -> Any:
    """A client config for a scenario: ``base_url``, the test key, no retries (one request
    per call, so a cassette holds exactly what the scenario asked for)."""
    from .config import KaizenClientConfig

    return KaizenClientConfig(base_url=base_url, api_key=api_key, max_retries=0)


class CassetteSuite:
    """The standard cassette tests; a package subclasses it once and sets the class attributes.

    ``cassettes`` is the folder, ``scenarios`` what was recorded there, ``secrets`` the test
    keys (the first is the key the recording server accepts; all are scrubbed and scanned
    for). A subclass named ``Test...`` is collected by pytest; its tests are parametrized by
    :meth:`pytest_generate_tests`, which pytest calls on test classes.
    """

    cassettes: ClassVar[Path]
    scenarios: ClassVar[Sequence[Scenario]] = ()
    secrets: ClassVar[Sequence[str]] = ()
    planted: ClassVar[Sequence[str]] = ("- Bearer abcdef123456",)
    """Lines that must trip the scan when planted in place of a filtered header value (the
    test keys are always tried too)."""

    @classmethod
    def recording_server(cls, api_key: str) -> AbstractContextManager[str]:
        """What the scenarios are recorded from (default: a Kaizen server on loopback)."""
        return kaizen_server(api_key)

    @classmethod
    def vcr(cls) -> Any:
        """The one VCR configuration the recorder and the replay tests use."""
        return cassette_vcr(cls.cassettes, cls.secrets)

    @classmethod
    def cassette_files(cls) -> list[Path]:
        return sorted(Path(cls.cassettes).glob("*.yaml"))

    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "scenario" in metafunc.fixturenames:
            ids = [scenario.name for scenario in self.scenarios]
            metafunc.parametrize("scenario", list(self.scenarios), ids=ids)
        if "cassette_file" in metafunc.fixturenames:
            files = self.cassette_files()
            metafunc.parametrize("cassette_file", files, ids=[path.name for path in files])
        if "planted" in metafunc.fixturenames:
            lines = [*(f"- {key}" for key in self.secrets), *self.planted]
            metafunc.parametrize("planted", lines)

    async def test_scenario_replays(self, scenario: Scenario) -> None:
        path = Path(self.cassettes) / scenario.cassette
        assert path.is_file(), f"no {path.name}: python -m kaizen_client.testing record ..."
        with self.vcr().use_cassette(scenario.cassette, record_mode="none") as cassette:
            await scenario.run(CANONICAL_URL)
        assert cassette.all_played, "the scenario made fewer requests than were recorded"

    def test_every_cassette_belongs_to_a_scenario(self) -> None:
        on_disk = {path.name for path in self.cassette_files()}
        assert on_disk, f"no cassettes in {self.cassettes}"
        assert on_disk == {scenario.cassette for scenario in self.scenarios}

    def test_cassette_holds_no_key(self, cassette_file: Path) -> None:
        text = cassette_file.read_text(encoding="utf-8")
        assert cassette_leaks(text, self.secrets) == []
        assert FILTERED in text  # the key header was there, and was filtered

    def test_the_scan_catches_a_planted_key(self, planted: str) -> None:
        text = self.cassette_files()[0].read_text(encoding="utf-8")
        assert "- <filtered>" in text
        assert cassette_leaks(text.replace("- <filtered>", planted, 1), self.secrets) != []


def load_suites(path: str | Path) -> list[type[CassetteSuite]]:
    """The :class:`CassetteSuite` subclasses defined in the test module at ``path``.

    The module is imported under its package name (the folders above it that have an
    ``__init__.py``), the way pytest imports it, so its relative imports work.
    """
    file = Path(path).resolve()
    parts = [file.stem]
    root = file.parent
    while (root / "__init__.py").is_file():
        parts.insert(0, root.name)
        root = root.parent
    # First on the path, even if it is there already: several packages may each have a
    # top-level ``tests`` package (editable installs put their folders on the path too).
    sys.path[:] = [str(root), *(entry for entry in sys.path if entry != str(root))]
    module = importlib.import_module(".".join(parts))
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, CassetteSuite)
        and value is not CassetteSuite
        and value.__module__ == module.__name__
    ]


async def record_suite(suite: type[CassetteSuite], names: Sequence[str] = ()) -> list[Path]:
    """Re-record a suite's scenarios (or those in ``names``): see :func:`record_scenarios`."""
    key = suite.secrets[0]
    return await record_scenarios(
        suite.scenarios,
        suite.cassettes,
        key,
        suite.secrets,
        names,
        suite.recording_server,
        suite.vcr(),  # the suite's own configuration, the one its replay tests use
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kaizen_client.testing record TEST_MODULE [SCENARIO ...]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "record":
        print(main.__doc__, file=sys.stderr)
        return 2
    suites = load_suites(args[1])
    if not suites:
        print(f"no CassetteSuite subclass in {args[1]}", file=sys.stderr)
        return 1
    for suite in suites:
        for path in asyncio.run(record_suite(suite, args[2:])):
            print(f"recorded {path}")
    return 0


__all__ = [
    "CANONICAL_URL",
    "FILTERED",
    "SECRET_FIELDS",
    "CassetteSuite",
    "Scenario",
    "canonical_uri",
    "cassette_leaks",
    "cassette_vcr",
    "load_suites",
    "main",
    "record_scenarios",
    "record_suite",
    "recording_config",
    "sample_rows",
]


if __name__ == "__main__":
    # Run as a script this module is ``__main__``; the suites subclass the importable
    # ``kaizen_client.testing.CassetteSuite``, so hand over to that module.
    from kaizen_client import testing

    sys.exit(testing.main())
