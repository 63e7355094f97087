#!/usr/bin/env python3
"""Re-record ``shared/cassettes/*.yaml`` from the real server.

    python python/scripts/record_cassettes.py            # every scenario
    python python/scripts/record_cassettes.py errors     # just some

Each scenario (see ``python/tests/cassettes/harness.py``) starts the server on a free
loopback port with its own settings and the test key in its key list, drives the async
client through it with vcrpy in ``record_mode="all"``, and stops the server. Keys are
filtered before anything is written; ``tests/cassettes/test_cassette_secrets.py`` checks.
Needs the ``server`` and ``test`` extras. Takes a few seconds (two scenarios wait for a
rate-limit token or a payload to expire).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

PYTHON = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PYTHON / "tests"))

from cassettes.harness import CASSETTES, SCENARIOS, record  # noqa: E402


async def main(names: list[str]) -> int:
    known = {scenario.name for scenario in SCENARIOS}
    unknown = sorted(set(names) - known)
    if unknown:
        print(f"unknown scenario(s) {unknown}; known: {sorted(known)}", file=sys.stderr)
        return 2
    for scenario in SCENARIOS:
        if names and scenario.name not in names:
            continue
        started = time.perf_counter()
        path = await record(scenario)
        took = time.perf_counter() - started
        print(f"recorded {path.relative_to(CASSETTES.parents[1])} in {took:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
