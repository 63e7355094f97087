"""API-key authentication: which caller is this, without ever keeping the key where it prints.

A caller presents a key as ``x-api-key: KEY`` (what the SDK sends) or ``Authorization:
Bearer KEY``. Keys are compared as SHA-256 digests with ``hmac.compare_digest``: constant time,
and the digest's fixed length hides the keys' lengths. Header values arrive as latin-1 text
(HTTP's byte-for-byte decoding), so a presented key is turned back into its raw bytes before
hashing: a non-ASCII key sent as UTF-8 matches the same key configured in the environment.
What the rest of the server sees is a *principal*: ``key:<first 12 hex of sha256(key)>``,
safe for logs, rate-limit buckets and payload ownership; the key itself goes no further than
this module.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping

ANONYMOUS = "anonymous"


def fingerprint(key: str) -> str:
    """The principal of ``key``: stable, short, and useless for authenticating."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key in ``x-api-key`` or ``Authorization: Bearer``, if any (header names lower case)."""
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def _digest(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()


def _raw(header_value: str) -> bytes:
    """The bytes the client sent (Starlette decodes header values as latin-1)."""
    try:
        return header_value.encode("latin-1")
    except UnicodeEncodeError:  # not from a real header (a test passed text): take it as UTF-8
        return header_value.encode("utf-8")


class Authenticator:
    """Checks presented keys against the configured ones; no keys configured = open."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = [(_digest(key.encode("utf-8")), fingerprint(key)) for key in keys]

    @property
    def open(self) -> bool:
        return not self._keys

    def principal(self, headers: Mapping[str, str]) -> str | None:
        """The caller's principal, or None when the key is missing or wrong."""
        if self.open:
            return ANONYMOUS
        key = presented_key(headers)
        if key is None:
            return None
        given = _digest(_raw(key))
        found: str | None = None
        for expected, principal in self._keys:  # no early exit: same time for every key
            if hmac.compare_digest(given, expected):
                found = principal
        return found

    def __repr__(self) -> str:
        return f"Authenticator(<{len(self._keys)} key(s)>)"
