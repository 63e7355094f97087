"""Every distribution ships the repository's licence text (MIT asks for it in every copy).

A package's pyproject can only name files inside its own directory (PEP 639), so each package
directory holds a copy of the root LICENSE; this keeps the copies identical to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INTEGRATIONS = sorted(p.parent for p in REPO.glob("integrations/*/pyproject.toml"))
PACKAGE_DIRS = [REPO / "python", *INTEGRATIONS]


@pytest.mark.parametrize("package", PACKAGE_DIRS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_each_package_ships_the_repository_licence(package: Path) -> None:
    licence = package / "LICENSE"
    assert licence.is_file(), f"{licence} is missing: copy the repository's LICENSE there"
    assert licence.read_bytes() == (REPO / "LICENSE").read_bytes(), (
        f"{licence} differs from LICENSE"
    )
    pyproject = (package / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license-files = ["LICENSE"]' in pyproject
