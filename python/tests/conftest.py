"""Hypothesis profiles for every core test suite: CI cannot flake, ``dev.py fuzz`` can search.

* ``ci``: chosen when the ``CI`` environment variable is set (GitHub Actions and most CI systems
  set ``CI=true``). ``derandomize=True`` makes every run try the same examples, so a green
  commit stays green, and ``database=None`` keeps the example database out of the checkout.
* ``dev`` (local default): random seeds, Hypothesis's example database (``.hypothesis/``,
  git-ignored) so that a failure found once replays first on the next run; no deadline,
  because a loaded 2-core laptop would otherwise fail on timing, not on behaviour.
* ``fuzz``: what ``python3 dev.py fuzz`` selects: random seeds, many more examples for tests
  that do not fix their own budget, the example database kept so anything found replays.

``HYPOTHESIS_PROFILE=<name>`` overrides the choice. Tests that pin ``max_examples`` keep it;
the codec's tests scale theirs with ``KTOF_HYPOTHESIS_SCALE`` (which ``dev.py fuzz`` raises).
Every failure a fuzz run finds becomes an ``@example`` on the property it broke.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

# Built on Hypothesis's own defaults, not on whatever profile Hypothesis chose at import time
# (it selects a derandomized profile of its own when it sees a ``CI`` variable, even empty).
_BASE = settings.get_profile("default")

settings.register_profile(
    "ci",
    _BASE,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
settings.register_profile("dev", _BASE, deadline=None)
settings.register_profile(
    "fuzz",
    _BASE,
    derandomize=False,
    max_examples=20_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)


def _profile_name(environ: dict[str, str]) -> str:
    """``HYPOTHESIS_PROFILE`` if set; else ``ci`` when ``CI`` is set (not empty/0/false/no)."""
    chosen = environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    ci = environ.get("CI", "").strip().lower()
    return "ci" if ci not in {"", "0", "false", "no"} else "dev"


settings.load_profile(_profile_name(dict(os.environ)))
