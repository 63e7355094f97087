"""Remote mode replayed from cassettes recorded from the reference server (no network).

``record_mode="none"``: a request the cassette does not hold fails the test. Re-record
with ``python integrations/litellm/tests/integration_tests/record.py``.
"""

from __future__ import annotations

import pytest

from .harness import CANONICAL, CASSETTES, SCENARIOS, Scenario, cassette_vcr


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_scenario_replays(scenario: Scenario) -> None:
    assert (CASSETTES / scenario.cassette).is_file(), "run tests/integration_tests/record.py"
    with cassette_vcr().use_cassette(scenario.cassette, record_mode="none") as cassette:
        await scenario.run(CANONICAL)
    assert cassette.all_played, "the scenario made fewer requests than were recorded"


def test_every_cassette_belongs_to_a_scenario() -> None:
    on_disk = {path.name for path in CASSETTES.glob("*.yaml")}
    assert on_disk == {scenario.cassette for scenario in SCENARIOS}
