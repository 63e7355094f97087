"""Compatibility tests run as a 0.1.4 user would: no KAIZEN_* variables, no sleeping.

If a copy of kaizen-sdk 0.1.4's own ``python/tests/test_client.py`` is placed under
``upstream/`` (see README.md; it is not committed), its one test that 0.1.4 itself fails is
marked xfail here, with the reason, so the file runs unchanged.
"""

from __future__ import annotations

import pytest

#: The 0.1.4 test that fails on 0.1.4 too, and why.
UPSTREAM_XFAIL = {
    "test_prompts_encode_serializes_models": (
        "expects an 'Authorization: Bearer' header that kaizen-client 0.1.4 itself no longer "
        "sends (0.1.4 and this client send x-api-key); it also expects the model's defaults "
        "(auto_detect_json=True) in the body, which 0.1.4 serialised and this client leaves "
        "to the server (tests/client/test_remote.py: only fields that were set are sent)"
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "upstream" not in item.path.parts:
            continue
        reason = UPSTREAM_XFAIL.get(getattr(item, "originalname", item.name))
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(autouse=True)
def _no_kaizen_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAIZEN_BASE_URL", "KAIZEN_API_KEY", "KAIZEN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
