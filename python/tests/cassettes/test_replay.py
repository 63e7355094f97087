"""Remote mode of both clients, replayed from ``shared/cassettes`` with ``record_mode="none"``.

Nothing here touches the network: a request the cassette does not hold raises
``CannotOverwriteExistingCassetteException`` and fails the test. Re-record with
``python python/scripts/record_cassettes.py``.
"""

from __future__ import annotations

import httpx
import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from kaizen_client import KaizenRequestError

from .harness import CANONICAL, CASSETTES, SCENARIOS, Api, Scenario, cassette_vcr


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_scenario_replays(scenario: Scenario, kind: str) -> None:
    assert (CASSETTES / scenario.cassette).is_file(), "run python/scripts/record_cassettes.py"
    with cassette_vcr().use_cassette(scenario.cassette, record_mode="none") as cassette:
        await scenario.run(Api(kind, CANONICAL))
    assert cassette.all_played, "the scenario made fewer requests than were recorded"


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_request_not_in_the_cassette_fails(kind: str) -> None:
    api = Api(kind, CANONICAL)
    client = api.client(max_retries=0)
    try:
        with (
            cassette_vcr().use_cassette("endpoints.yaml", record_mode="none"),
            pytest.raises((CannotOverwriteExistingCassetteException, KaizenRequestError)) as caught,
        ):
            await api.call(client, "compress", {"data": "never recorded"}, request_id="c-compress")
    finally:
        await api.close(client)
    if isinstance(caught.value, KaizenRequestError):  # wrapped by the client's error mapping
        assert isinstance(caught.value.original, CannotOverwriteExistingCassetteException)


def test_every_cassette_belongs_to_a_scenario() -> None:
    on_disk = {path.name for path in CASSETTES.glob("*.yaml")}
    assert on_disk == {scenario.cassette for scenario in SCENARIOS}


def test_cassettes_cover_every_endpoint_and_the_error_statuses() -> None:
    import yaml

    seen_paths: set[str] = set()
    statuses: set[int] = set()
    for path in CASSETTES.glob("*.yaml"):
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            seen_paths.add(httpx.URL(interaction["request"]["uri"]).path)
            statuses.add(interaction["response"]["status"]["code"])
    from kaizen_client.models import ROUTES

    assert seen_paths == {path for _, path in ROUTES.values()}
    assert {200, 400, 401, 404, 410, 413, 422, 429, 503} <= statuses
