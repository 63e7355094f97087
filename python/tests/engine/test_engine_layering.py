"""The engine stays pure at run time: compressing loads nothing above the engine.

The API models, the service, the clients and the package root all build on the engine; an
import back up from ``engine/`` would make the hot path load (and depend on) them. The static
import rule for every layer, the engine's included, is ``tests/test_layering.py``; this test
checks what a real call loads.
"""

from __future__ import annotations

import subprocess
import sys


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
