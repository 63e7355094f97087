"""The sync and async clients expose the same operations with the same signatures."""

from __future__ import annotations

import inspect

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.models import ROUTES


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_")
    }


def test_same_public_methods_and_signatures() -> None:
    sync, async_ = _public(KaizenSyncClient), _public(KaizenClient)
    assert set(sync) == set(async_)
    assert set(ROUTES) <= set(sync)  # every API operation is a method
    for name in ROUTES:
        assert str(sync[name]) == str(async_[name]), name
        assert inspect.iscoroutinefunction(getattr(KaizenClient, name))
        assert not inspect.iscoroutinefunction(getattr(KaizenSyncClient, name))
