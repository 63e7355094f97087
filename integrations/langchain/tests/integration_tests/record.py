#!/usr/bin/env python3
"""Re-record this package's cassettes from the real reference server.

    python integrations/langchain/tests/integration_tests/record.py [SCENARIO ...]

Starts ``kaizen_client.server`` on a free loopback port (test key only), runs each scenario
against it with vcrpy in ``record_mode="all"``, stops the server. Needs
``pip install 'kaizen-client[server]'``. Keys are filtered before anything is written;
``test_cassette_secrets.py`` checks.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # integrations/langchain

from kaizen_client.testing import record_scenarios
from tests.integration_tests.harness import CASSETTES, SCENARIOS, TEST_KEY, WRONG_KEY


async def main(names: list[str]) -> int:
    secrets = (TEST_KEY, WRONG_KEY)
    for path in await record_scenarios(SCENARIOS, CASSETTES, TEST_KEY, secrets, names):
        print(f"recorded {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
