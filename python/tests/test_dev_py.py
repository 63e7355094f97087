"""dev.py's reading of the pyproject files: the facts it installs, lints and tests by.

dev.py reads pyproject.toml with a real TOML parser (no hand-written reader or regex); these
tests pin what it takes from them, on the repository's own files and on small made-up ones.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kaizen_dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


dev = _load_dev()


def test_the_core_comes_first_and_every_integration_is_found() -> None:
    packages = dev.discover_packages()
    assert packages[0].is_core
    found = {pkg.rel for pkg in packages}
    expected = {
        p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("integrations/*/pyproject.toml")
    }
    assert found == {"python"} | expected


def test_each_package_declares_a_test_extra_a_dev_group_and_its_version_file() -> None:
    for pkg in dev.discover_packages():
        assert "test" in pkg.extras, pkg.rel
        assert dev.DEV_GROUP in pkg.groups, pkg.rel
        assert pkg.version_file is not None and pkg.version_file.is_file(), pkg.rel
        assert pkg.has_mypy_config and pkg.mypy_names_targets, pkg.rel


def test_install_args_put_the_core_first_and_add_the_dev_groups() -> None:
    packages = dev.discover_packages()
    args = dev.install_args(list(reversed(packages)), pip_groups=True)
    assert args[:3] == ["install", "-e", "./python[test]"]
    groups = [args[i + 1] for i, arg in enumerate(args) if arg == "--group"]
    assert groups[0] == "./python/pyproject.toml:dev"
    assert sorted(groups) == sorted(f"./{pkg.rel}/pyproject.toml:dev" for pkg in packages)


def test_without_pip_groups_the_group_requirements_are_passed_once_each() -> None:
    args = dev.install_args(dev.discover_packages(), pip_groups=False)
    assert "--group" not in args
    requirements = [a for a in args if not a.startswith(("-", "./")) and a != "install"]
    assert len(requirements) == len(set(requirements))
    names = {r.split(">")[0].split(";")[0].strip() for r in requirements}
    assert {"ruff", "mypy", "schemathesis"} <= names


def test_group_requirements_follow_include_group() -> None:
    data: dict[str, Any] = {
        "dependency-groups": {
            "lint": ["ruff>=0.5"],
            "dev": [{"include-group": "lint"}, "mypy"],
        }
    }
    assert dev.group_requirements(data, "dev") == ["ruff>=0.5", "mypy"]


@pytest.mark.parametrize(
    "groups",
    [{"dev": [{"include-group": "dev"}]}, {"dev": [{"include-group": "missing"}]}],
)
def test_a_group_that_includes_itself_or_a_missing_group_is_an_error(
    groups: dict[str, Any],
) -> None:
    with pytest.raises(SystemExit):
        dev.group_requirements({"dependency-groups": groups}, "dev")


def test_package_facts_come_from_the_parsed_file() -> None:
    data = {
        "project": {"optional-dependencies": {"test": [], "server": []}},
        "dependency-groups": {"dev": []},
        "tool": {"mypy": {"strict": True}, "hatch": {"version": {"path": "pkg/_version.py"}}},
    }
    pkg = dev.package_from(ROOT / "integrations" / "example", data)
    assert pkg.extras == {"test", "server"}
    assert pkg.groups == {"dev"}
    assert pkg.has_mypy_config and not pkg.mypy_names_targets
    assert pkg.version_file == ROOT / "integrations" / "example" / "pkg" / "_version.py"
    bare = dev.package_from(ROOT / "integrations" / "example", {})
    assert not bare.extras and not bare.groups and not bare.has_mypy_config
    assert bare.version_file is None


def test_compiled_modules_are_the_mypyc_hook_list() -> None:
    modules = dev.compiled_modules()
    assert modules and all(m.startswith("kaizen_client/ktof/") for m in modules)
    assert all((ROOT / "python" / m).is_file() for m in modules)


def test_a_version_bump_changes_the_install_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    (tmp_path / "pkg").mkdir()
    version = tmp_path / "pkg" / "_version.py"
    (tmp_path / "pkg" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    version.write_text('__version__ = "1.0.0"\n')
    hatch = {"tool": {"hatch": {"version": {"path": "_version.py"}}}}
    pkg = dev.package_from(tmp_path / "pkg", hatch)
    before = dev.install_fingerprint([pkg], ["install"])
    version.write_text('__version__ = "1.0.1"\n')
    assert dev.install_fingerprint([pkg], ["install"]) != before


def test_the_typescript_sdk_is_installed_from_its_lockfile_and_fully_checked() -> None:
    """`dev.py test` runs the JS SDK from its committed lockfile (`npm ci`, never `npm install`)
    and through the one script that lints, type-checks, builds and tests it."""
    import json

    steps = dev.js_steps()
    assert [cmd[1:] for _, cmd, _ in steps] == [["ci", "--no-audit", "--no-fund"], ["run", "check"]]
    assert all(cwd == ROOT / "js" for _, _, cwd in steps)
    assert (ROOT / "js" / "package-lock.json").is_file()
    scripts = json.loads((ROOT / "js" / "package.json").read_text())["scripts"]
    check = scripts["check"].split(" && ")
    assert check == ["npm run lint", "npm run typecheck", "npm run build", "npm test"]
