"""Record and replay a Kaizen server with vcrpy without ever writing a key into a cassette.

For test suites (ours, the integrations', and users' own): one VCR configuration and one scan,
so every cassette in the project is made and checked the same way. Needs the test-only
dependencies ``vcrpy`` and ``pyyaml`` (imported when first used).

* URLs are rewritten to ``http://kaizen.test`` (a loopback port changes every run);
* ``x-api-key`` and ``Authorization`` become ``<filtered>``; secret-named query parameters
  are dropped and secret-named JSON body fields masked; the given test keys are scrubbed
  from any body;
* the server's ``date`` and ``server`` headers are left out, so a re-record only changes what
  really changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

CANONICAL_URL = "http://kaizen.test"
FILTERED = "<filtered>"
SECRET_FIELDS = ("api_key", "apikey", "key", "token", "access_token")
# Header names only; their values are filtered out of every cassette.
CREDENTIAL_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie"})
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
        filter_headers=[("x-api-key", FILTERED), ("authorization", FILTERED)],
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
) -> list[Path]:
    """Re-record each scenario (or those in ``names``) from a real server on loopback.

    Starts ``kaizen_client.server`` on a free loopback port accepting only ``api_key``, runs the
    scenario with vcrpy in ``record_mode="all"`` and stops the server; needs the ``server``
    extra. Returns the cassette files written.
    """
    from .server import ServerSettings, running_server

    written = []
    for scenario in scenarios:
        if names and scenario.name not in names:
            continue
        path = Path(library_dir) / scenario.cassette
        path.unlink(missing_ok=True)
        settings = ServerSettings(api_keys=frozenset({api_key}))
        with (
            running_server(settings) as base_url,
            cassette_vcr(library_dir, secrets).use_cassette(scenario.cassette, record_mode="all"),
        ):
            await scenario.run(base_url)
        written.append(path)
    return written


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


__all__ = [
    "CANONICAL_URL",
    "FILTERED",
    "SECRET_FIELDS",
    "Scenario",
    "canonical_uri",
    "cassette_leaks",
    "cassette_vcr",
    "record_scenarios",
]
