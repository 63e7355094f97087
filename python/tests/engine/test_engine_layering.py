"""The engine stays pure: it imports the codec and the token counter, nothing above it.

The API models, the service, the clients and the package root all build on the engine; an
import back up from ``engine/`` would make the hot path load (and depend on) them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import kaizen_client.engine

ENGINE_DIR = Path(kaizen_client.engine.__file__).parent
ALLOWED_SIBLINGS = {"ktof", "tokens"}
"""What ``from ..X import ...`` may name inside ``engine/`` (``X`` or ``X.sub``)."""


def _violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                top = (node.module or "").split(".")
                if top[0] == "kaizen_client" and (len(top) < 2 or top[1] not in ALLOWED_SIBLINGS):
                    found.append(f"{path.name}:{node.lineno} from {node.module}")
            elif node.level == 2:
                first = (node.module or "").split(".")[0]
                if first not in ALLOWED_SIBLINGS:  # "" is ``from .. import x``: the root
                    found.append(f"{path.name}:{node.lineno} from ..{node.module or ''}")
            elif node.level > 2:
                found.append(f"{path.name}:{node.lineno} relative import above the package")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "kaizen_client" and (
                    len(parts) < 2 or parts[1] not in ALLOWED_SIBLINGS
                ):
                    found.append(f"{path.name}:{node.lineno} import {alias.name}")
    return found


def test_engine_modules_import_nothing_above_the_engine() -> None:
    modules = sorted(ENGINE_DIR.glob("*.py"))
    assert len(modules) >= 6
    problems = [v for module in modules for v in _violations(module)]
    assert problems == []


def test_the_checker_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from .. import __version__\nfrom ..models import X\nimport kaizen_client.service\n"
        "from ..ktof.encoder import encode_counted\nfrom .cache import ENGINE_CACHE\n"
    )
    assert [v.split(" ", 1)[1] for v in _violations(bad)] == [
        "from ..",
        "from ..models",
        "import kaizen_client.service",
    ]


def test_engine_runs_without_loading_the_layers_above() -> None:
    # What a bare ``import kaizen_client`` loads is the root's business, not the engine's.
    code = (
        "import sys, kaizen_client\n"
        "before = set(sys.modules)\n"
        "from kaizen_client.engine import compress_messages\n"
        "compress_messages([{'role': 'user', 'content': '[{\"a\": 1}]'}])\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = run.stdout.split()
    assert "kaizen_client.engine.messages" in loaded
    inside = ("kaizen_client.engine", "kaizen_client.ktof", "kaizen_client.tokens")
    above = [m for m in loaded if m.startswith("kaizen_client") and not m.startswith(inside)]
    assert above == []
    assert not [m for m in loaded if m.split(".")[0] in ("pydantic", "httpx")]
