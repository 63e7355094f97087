"""The layering of docs/architecture.md, enforced: every import in kaizen_client and in the
framework packages points down (or sideways within a layer), never up.

Each module's imports are read with ``ast`` (top-level, inside functions and under
``TYPE_CHECKING`` alike: all are dependencies), resolved to the module they name, and checked:

* a module of layer N imports only modules of layers <= N (``LAYERS`` below, lowest first);
* the framework packages (``FRAMEWORK_PACKAGES``) import only the core's public API
  (``PUBLIC_API``), and not each other;
* third-party imports per layer (``THIRD_PARTY``): none in the engine (the codec: only the
  tokenizer tables), pydantic in the service, httpx/anyio/pydantic in the clients and the
  integration core (no framework, no provider SDK), and the server stack (FastAPI, Starlette,
  uvicorn) in the server alone;
* every module belongs to a layer, so a new module has to be placed (here and in the doc).

Known violations are listed in ``KNOWN_VIOLATIONS`` with the reason they are tolerated; the
test fails on any other, and on an entry that no longer happens (so the list only shrinks).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "python"

# The layers, lowest first: (name, module prefixes). A module belongs to the layer of its
# longest matching prefix; a package is matched as ``<package>.__init__``, so its __init__ can
# sit in another layer than its other modules. Keep in step with docs/architecture.md.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("codec", ("kaizen_client.ktof", "kaizen_client.tokens", "kaizen_client._version")),
    ("engine", ("kaizen_client.engine",)),
    ("service", ("kaizen_client.service", "kaizen_client.models", "kaizen_client.idempotency")),
    (
        "clients",
        (
            # The package root is the public facade over the client layer (and the models).
            "kaizen_client.__init__",
            "kaizen_client.client",
            "kaizen_client._base_client",
            "kaizen_client._transports",
            "kaizen_client._retry",
            "kaizen_client._logging",
            "kaizen_client._legacy",
            "kaizen_client.config",
            "kaizen_client.errors",
            "kaizen_client.exceptions",
            "kaizen_client.decorators",
        ),
    ),
    (
        "integration core",
        (
            "kaizen_client.integrations.__init__",
            "kaizen_client.integrations.settings",
            "kaizen_client.integrations.backend",
            "kaizen_client.integrations.run",
            "kaizen_client.integrations.savings",
            "kaizen_client.integrations.replies",
            "kaizen_client.integrations.streams",
            "kaizen_client.integrations.texts",
        ),
    ),
    (
        "framework and provider packages",
        (
            "langchain_kaizen",
            "kaizen_litellm",
            "llama_index.postprocessor.kaizen",
            # The provider adapters (openai, anthropic, ... and their shared _provider): every
            # other module of kaizen_client.integrations.
            "kaizen_client.integrations",
        ),
    ),
    (
        "server",
        (
            "kaizen_client.server",
            "kaizen_client.cli",
            "kaizen_client.testing",
            "kaizen_client.integrations.fake_providers",  # test tooling, like testing
            "kaizen_client.evaluation",  # `kaizen eval`: the harness over LiteLLM, and its fake
        ),
    ),
]
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}

# Where each framework package's code lives (import name -> directory).
FRAMEWORK_PACKAGES = {
    "langchain_kaizen": REPO / "integrations" / "langchain" / "langchain_kaizen",
    "kaizen_litellm": REPO / "integrations" / "litellm" / "kaizen_litellm",
    "llama_index.postprocessor.kaizen": (
        REPO / "integrations" / "llamaindex" / "llama_index" / "postprocessor" / "kaizen"
    ),
}

# What a framework package may import from the core: public packages and modules, by their
# own name (not their submodules, which are free to move).
PUBLIC_API = frozenset(
    {
        "kaizen_client",
        "kaizen_client.ktof",
        "kaizen_client.tokens",
        "kaizen_client.engine",
        "kaizen_client.models",
        "kaizen_client.config",
        "kaizen_client.errors",
        "kaizen_client.client",
        "kaizen_client.integrations",
    }
)

# Third-party packages a layer may import (None: no restriction). The engine stays pure.
SERVER_STACK = frozenset({"fastapi", "starlette", "uvicorn"})
THIRD_PARTY: dict[str, frozenset[str] | None] = {
    "codec": frozenset({"bpe_openai"}),
    "engine": frozenset(),
    "service": frozenset({"pydantic", "pydantic_core"}),
    "clients": frozenset({"httpx", "anyio", "pydantic", "pydantic_core"}),
    # No framework and no provider SDK: those belong to the packages and adapters above.
    "integration core": frozenset({"httpx", "anyio", "pydantic", "pydantic_core"}),
    "framework and provider packages": None,
    "server": None,
}

# (importer, imported) -> why it is tolerated for now. Each entry is a known violation to
# remove; the test fails once it no longer occurs.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to a module (or a third-party top name)."""

    importer: str
    target: str
    line: int


def module_files() -> dict[str, Path]:
    """Every module of kaizen_client and of the framework packages, by dotted name."""
    found: dict[str, Path] = {}
    roots = {"kaizen_client": CORE / "kaizen_client", **FRAMEWORK_PACKAGES}
    for package, directory in roots.items():
        for path in sorted(directory.rglob("*.py")):
            parts = path.relative_to(directory).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__") if parts[-1] == "__init__" else name] = path
    return found


MODULES = module_files()
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def resolve(name: str) -> str:
    """The module ``name`` refers to: itself if it is one of ours, else its longest module
    prefix (``kaizen_client.ktof.decode`` -> ``kaizen_client.ktof``); a third-party or
    standard-library name becomes its top-level package."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return parts[0]


def imports_of(module: str, path: Path) -> Iterator[Import]:
    """Every import in ``path``, resolved (relative imports against ``module``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if module in PACKAGES else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, resolve(alias.name), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule; ``from pkg import name``
                # depends on pkg itself (its __init__ defines the name).
                yield Import(module, resolve(f"{source}.{alias.name}"), node.lineno)


def layer_of(module: str) -> str | None:
    """The layer of one of our modules (``None``: not placed in any layer)."""
    key = f"{module}.__init__" if module in PACKAGES else module
    best: tuple[int, str] | None = None
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            matches = key == prefix or key.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), name)
    return best[1] if best else None


def framework_package(module: str) -> str | None:
    """The framework package ``module`` belongs to, if any."""
    for package in FRAMEWORK_PACKAGES:
        if module == package or module.startswith(package + "."):
            return package
    return None


def violations() -> dict[tuple[str, str], str]:
    """Every import that breaks a rule, as (importer, imported) -> the rule and the line."""
    found: dict[tuple[str, str], str] = {}
    for module, path in MODULES.items():
        layer = layer_of(module)
        if layer is None:
            continue  # reported by test_every_module_has_a_layer
        allowed_third_party = THIRD_PARTY[layer]
        for imp in imports_of(module, path):
            shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
            where = f"{shown}:{imp.line}"
            if imp.target in MODULES:
                target_layer = layer_of(imp.target)
                if target_layer is not None and RANK[target_layer] > RANK[layer]:
                    found[(module, imp.target)] = (
                        f"{where}: {layer} layer imports the higher {target_layer} layer"
                    )
                own = framework_package(module)
                other = framework_package(imp.target)
                if own and other and own != other:
                    found[(module, imp.target)] = f"{where}: one framework package imports another"
                if own and imp.target.startswith("kaizen_client") and imp.target not in PUBLIC_API:
                    found[(module, imp.target)] = (
                        f"{where}: framework package imports {imp.target}, "
                        "which is not the core's public API"
                    )
            elif imp.target not in sys.stdlib_module_names and imp.target != "__future__":
                if layer != "server" and imp.target in SERVER_STACK:
                    found[(module, imp.target)] = f"{where}: imports the server stack"
                if allowed_third_party is not None and imp.target not in allowed_third_party:
                    found[(module, imp.target)] = (
                        f"{where}: the {layer} layer imports the third-party {imp.target}"
                    )
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(module for module in MODULES if layer_of(module) is None)
    assert not unplaced, (
        f"modules in no layer: {unplaced}; place them in LAYERS (python/tests/test_layering.py) "
        "and in docs/architecture.md"
    )


def test_every_framework_package_is_checked() -> None:
    directories = {path.parent for path in REPO.glob("integrations/*/pyproject.toml")}
    covered = {
        directory
        for directory in directories
        if any(path.is_relative_to(directory) for path in FRAMEWORK_PACKAGES.values())
    }
    assert covered == directories, f"integration packages not checked: {directories - covered}"
    assert all(path.is_dir() for path in FRAMEWORK_PACKAGES.values())


def test_imports_follow_the_layering() -> None:
    found = violations()
    new = {key: why for key, why in found.items() if key not in KNOWN_VIOLATIONS}
    assert not new, "imports that break docs/architecture.md:\n" + "\n".join(sorted(new.values()))


def test_known_violations_still_happen() -> None:
    found = violations()
    stale = sorted(key for key in KNOWN_VIOLATIONS if key not in found)
    assert not stale, f"fixed, so remove from KNOWN_VIOLATIONS: {stale}"


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        # A relative import from a package's __init__ and from a plain module.
        ("from .cache import ENGINE_CACHE\n", "kaizen_client.engine", "kaizen_client.engine.cache"),
        ("from ..ktof import decode\n", "kaizen_client.engine.gating", "kaizen_client.ktof"),
        # A name defined in the package root depends on the root; a submodule does not.
        ("from .. import __version__\n", "kaizen_client.engine.messages", "kaizen_client"),
        ("from .. import ktof\n", "kaizen_client.engine.messages", "kaizen_client.ktof"),
        ("import httpx.transports\n", "kaizen_client.client", "httpx"),
    ],
)
def test_imports_are_resolved_to_the_module_they_name(
    tmp_path: Path, source: str, module: str, expected: str
) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert [imp.target for imp in imports_of(module, path)] == [expected]


def test_an_upward_import_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine importing the package root (for __version__) is the arrow the issue removed.
    path = tmp_path / "probe.py"
    path.write_text("from .. import __version__\nimport httpx\n", encoding="utf-8")
    monkeypatch.setitem(MODULES, "kaizen_client.engine.probe", path)
    found = violations()
    assert ("kaizen_client.engine.probe", "kaizen_client") in found
    assert ("kaizen_client.engine.probe", "httpx") in found
