"""This package's cassettes: the core's standard suite (replay, ownership, key scan)."""

from __future__ import annotations

from kaizen_client.testing import CassetteSuite

from .harness import CASSETTES, SCENARIOS, TEST_KEY, WRONG_KEY


class TestCassettes(CassetteSuite):
    cassettes = CASSETTES
    scenarios = SCENARIOS
    secrets = (TEST_KEY, WRONG_KEY)
