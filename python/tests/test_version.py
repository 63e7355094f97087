"""One version, one place: the installed metadata is ``kaizen_client.__version__``.

hatch reads the version from ``kaizen_client/_version.py`` at build time ([tool.hatch.version]);
this fails if the two drift apart, e.g. a pyproject.toml that states its own version again, or
``_version.py`` bumped without reinstalling (an editable install keeps the version it was
installed with; ``python3 dev.py setup`` refreshes it).
"""

from __future__ import annotations

import importlib.metadata
import re

import kaizen_client
from kaizen_client import _version


def test_the_installed_metadata_carries_the_package_version() -> None:
    assert importlib.metadata.version("kaizen-client") == kaizen_client.__version__


def test_the_package_version_comes_from_version_py() -> None:
    assert kaizen_client.__version__ == _version.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.dev\d+)?", _version.__version__)
