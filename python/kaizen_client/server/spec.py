"""The OpenAPI document the server serves: the repository's ``openapi.json``, not a generated one.

``openapi.json`` is the single source of truth for the wire contract. The server routes
exactly its paths (from ``models.ROUTES``, which the contract test pins to the spec) and
serves the file itself at ``/openapi.json``, so there is no second, generated schema to drift.
The package holds a copy next to this module (so every wheel ships it; a test keeps it
identical to the repository root's), and a checkout without it falls back to the root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPEC_FILE = "openapi.json"


def spec_candidates() -> list[Path]:
    """Where the spec may be: packaged beside this module, else the repository root."""
    here = Path(__file__).resolve()
    return [here.with_name(SPEC_FILE), here.parents[3] / SPEC_FILE]


def load_spec() -> dict[str, Any] | None:
    """The parsed spec, or None when neither location has it (then no /openapi.json)."""
    for path in spec_candidates():
        if path.is_file():
            spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return spec
    return None
