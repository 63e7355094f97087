"""kaizen_client.testing: the reusable cassette suite and its one record command, end to end."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaizen_client import testing

pytest.importorskip("fastapi")  # recording runs the real server (the ``server`` extra)

KEY = "sk-kaizen-suite-selftest-5e1c0a77"
SUITE = f'''
from pathlib import Path

from kaizen_client import KaizenSyncClient, testing

KEY = "{KEY}"


async def one_call(base_url: str) -> None:
    with KaizenSyncClient(testing.recording_config(base_url, KEY)) as client:
        response = client.optimize_request({{"prompt": [{{"role": "user", "content": "hi"}}]}})
        assert response.result == [{{"role": "user", "content": "hi"}}]


class TestMine(testing.CassetteSuite):
    cassettes = Path(__file__).parent / "cassettes"
    scenarios = [testing.Scenario("selftest_one_call", one_call)]
    secrets = (KEY,)
'''


@pytest.fixture
def suite_file(tmp_path: Path) -> Iterator[Path]:
    package = tmp_path / "suitepkg_selftest"
    package.mkdir()
    (package / "__init__.py").write_text("")
    file = package / "test_mine.py"
    file.write_text(textwrap.dedent(SUITE))
    yield file
    for name in [m for m in sys.modules if m.startswith("suitepkg_selftest")]:
        del sys.modules[name]


@pytest.fixture
def recorded(suite_file: Path) -> Path:
    """The one record command, run on the suite (sync: it runs its own event loop)."""
    assert testing.main(["record", str(suite_file)]) == 0
    return suite_file


async def test_record_then_the_standard_tests_pass(recorded: Path) -> None:
    suite_file = recorded
    cassette = suite_file.parent / "cassettes" / "selftest_one_call.yaml"
    assert cassette.is_file() and KEY not in cassette.read_text(encoding="utf-8")

    (suite,) = testing.load_suites(suite_file)
    assert suite.__name__ == "TestMine"
    tests = suite()
    await tests.test_scenario_replays(suite.scenarios[0])
    tests.test_every_cassette_belongs_to_a_scenario()
    tests.test_cassette_holds_no_key(cassette)
    tests.test_the_scan_catches_a_planted_key(f"- {KEY}")


async def test_the_standard_tests_fail_when_they_should(recorded: Path) -> None:
    suite_file = recorded
    (suite,) = testing.load_suites(suite_file)
    tests = suite()
    cassette = suite_file.parent / "cassettes" / "selftest_one_call.yaml"
    (cassette.parent / "stray.yaml").write_text(cassette.read_text(encoding="utf-8"))
    with pytest.raises(AssertionError):  # a cassette no scenario owns
        tests.test_every_cassette_belongs_to_a_scenario()
    cassette.write_text(cassette.read_text(encoding="utf-8").replace("- <filtered>", f"- {KEY}"))
    with pytest.raises(AssertionError):  # a key in a cassette
        tests.test_cassette_holds_no_key(cassette)
    cassette.unlink()
    with pytest.raises(AssertionError, match=r"no selftest_one_call\.yaml"):
        await tests.test_scenario_replays(suite.scenarios[0])


def test_record_usage_and_a_module_without_suites(tmp_path: Path) -> None:
    assert testing.main([]) == 2
    empty = tmp_path / "test_nothing_here_selftest.py"
    empty.write_text("X = 1\n")
    assert testing.main(["record", str(empty)]) == 1


def test_sample_rows_are_one_table_from_any_offset() -> None:
    rows = testing.sample_rows(3, offset=10)
    assert [row["id"] for row in rows] == [10, 11, 12]
    assert rows[0] == {
        "id": 10,
        "name": "user10",
        "email": "user10@example.test",
        "active": True,
        "score": 0.0,
    }
    assert [row["active"] for row in rows] == [True, False, True]
    assert testing.sample_rows(2) == testing.sample_rows(2)
