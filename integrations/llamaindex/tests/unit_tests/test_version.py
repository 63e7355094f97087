"""One version, one place: the installed metadata matches the package's ``__version__``.

hatch reads the version of llama-index-postprocessor-kaizen from ``_version.py`` at build time
([tool.hatch.version]); this fails if the two drift apart (a pyproject.toml stating its own
version again, or ``_version.py`` bumped without reinstalling: ``python3 dev.py setup``).
"""

from __future__ import annotations

import importlib.metadata

import llama_index.postprocessor.kaizen as package
from llama_index.postprocessor.kaizen import _version


def test_the_installed_metadata_carries_the_package_version() -> None:
    assert importlib.metadata.version("llama-index-postprocessor-kaizen") == package.__version__


def test_the_package_version_comes_from_version_py() -> None:
    assert package.__version__ == _version.__version__
