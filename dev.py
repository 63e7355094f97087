#!/usr/bin/env python3
"""Kaizen developer entry point: from a fresh clone to a result in one command.

    python3 dev.py demo      offline demo: tokens of JSON vs TOON vs KTOF on sample data
    python3 dev.py test      lint, type-check and run every test suite (args go to pytest)
    python3 dev.py lint      ruff check, ruff format --check and mypy only
    python3 dev.py bench     codec benchmark (python/benchmarks/codec.py), compiled codec
    python3 dev.py fuzz      the hypothesis properties with random seeds and ~20x the examples
                             (--minutes N repeats rounds for N minutes; before a release);
                             `test` runs them derandomized, as CI does, so it cannot flake
    python3 dev.py setup     only create .venv and (re)install the packages

Why a script and not a Makefile or tox: the only thing a fresh machine is promised is
Python 3.10+ and a package index, so this file starts on the standard library alone. Every
command first makes sure ``.venv`` (at the repo root) exists and holds the core package
``python/`` plus every ``integrations/*/`` package that has a pyproject.toml, installed
editable with its ``[test]`` extra, together with each package's ``dev`` dependency group
(PEP 735: ruff, mypy, ...); that install is skipped while no pyproject.toml (or version
file) changed. pyproject files are read with ``tomllib``; Python 3.10 has none, so there
dev.py installs ``tomli`` into ``.venv`` first and parses them with it.

The core is installed as pure Python (``HATCH_BUILD_NO_HOOKS``), so an edited module is what
runs. Wheels ship the KTOF codec compiled with mypyc; ``test`` therefore also builds that
compiled codec (from the same sources, into ``.venv/``) and runs the codec's tests against it,
and ``bench`` measures it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".kaizen-dev-stamp"
CORE = ROOT / "python"
CORE_CONFIG = CORE / "pyproject.toml"  # also the mypy config of packages without their own
RUFF_CONFIG = ROOT / "ruff.toml"  # the one ruff config for the whole repo
INTEGRATIONS = ROOT / "integrations"
DEMO = ROOT / "examples" / "quickstart.py"
BENCH = ROOT / "python" / "benchmarks" / "codec.py"
JS = ROOT / "js"  # the TypeScript SDK (npm package kaizen-client)
# Bump when the install recipe below changes, so existing venvs get reinstalled.
RECIPE_VERSION = "3"
# The PEP 735 dependency group of each package that dev.py installs (the repo's tools).
DEV_GROUP = "dev"
# The first pip that installs dependency groups itself (``pip install --group``).
PIP_WITH_GROUPS = (25, 1)
# Where dev.py keeps the mypyc-compiled codec (one build per source hash).
COMPILED = VENV / "kaizen-compiled"
# A build of other sources untouched this long is removed by the next build.
STALE_BUILD_SECONDS = 6 * 3600
# Directories inside a package dir that are never import packages to type-check.
NOT_PACKAGES = {"tests", "test", "benchmarks", "examples", "docs", "build", "dist"}
# Environment for the test run (LiteLLM must not fetch its model price list from the net).
# Hypothesis: `test` runs the properties derandomized, as CI does (profile "ci" in
# python/tests/conftest.py), so a fresh clone's result does not depend on luck; `fuzz` searches.
TEST_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci"),
}
PYTEST_NO_TESTS = 5


def say(message: str) -> None:
    """Print a progress line at once, so it lands before the subprocess output it precedes."""
    print(f"[dev.py] {message}", flush=True)


def fail(message: str) -> int:
    """Report a failure the reader can act on and return the exit status."""
    print(f"[dev.py] ERROR: {message}", file=sys.stderr, flush=True)
    return 1


# --- pyproject facts (tomllib on 3.11+; tomli, installed into .venv, on 3.10) ----------------

# Run by the venv's interpreter on 3.10: parse each file named in argv with tomli, print JSON.
_TOML_TO_JSON = (
    "import json, sys, tomli\n"
    "docs = [tomli.load(open(p, 'rb')) for p in sys.argv[1:]]\n"
    "print(json.dumps(docs, default=str))"
)
_toml_cache: dict[Path, dict[str, Any]] = {}


def load_tomls(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Parse TOML files with a real parser: ``tomllib`` (3.11+), else ``tomli``.

    dev.py must start on the standard library alone, and 3.10's has no TOML parser; there the
    files are parsed by the venv's interpreter with ``tomli`` (installed first if missing).
    """
    todo = [p for p in dict.fromkeys(paths) if p not in _toml_cache]
    if todo:
        parser = _toml_parser()
        if parser is not None:
            for path in todo:
                with path.open("rb") as handle:
                    _toml_cache[path] = parser.load(handle)
        else:
            for path, data in zip(todo, _load_in_venv(todo), strict=True):
                _toml_cache[path] = data
    return [_toml_cache[p] for p in paths]


def _toml_parser() -> Any:
    """``tomllib`` (3.11+) or a ``tomli`` this interpreter already has, else None."""
    for name in ("tomllib", "tomli"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    return None


def load_toml(path: Path) -> dict[str, Any]:
    """One TOML file, parsed (see :func:`load_tomls`)."""
    return load_tomls([path])[0]


def _load_in_venv(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Parse ``paths`` with tomli inside .venv (Python 3.10), installing tomli there if needed."""
    python = venv_python()
    if not python.exists():
        raise SystemExit(fail("no .venv/ yet to parse pyproject.toml files in (dev.py bug)"))
    probe = [str(python), "-c", "import tomli"]
    if subprocess.call(probe, stderr=subprocess.DEVNULL, env=tool_env()) != 0:
        say("Python 3.10 has no tomllib: installing tomli into .venv/ to read pyproject.toml")
        if run([python, "-m", "pip", "install", "tomli>=1.1"]) != 0:
            raise SystemExit(fail("could not install tomli into .venv/ (see above)"))
    done = subprocess.run(
        [str(python), "-c", _TOML_TO_JSON, *map(str, paths)],
        capture_output=True,
        text=True,
        env=tool_env(),
    )
    if done.returncode != 0:
        names = ", ".join(p.relative_to(ROOT).as_posix() for p in paths)
        raise SystemExit(fail(f"could not parse {names}:\n{done.stderr.strip()}"))
    docs: list[dict[str, Any]] = json.loads(done.stdout)
    return docs


@dataclass(frozen=True)
class Package:
    """A directory with a pyproject.toml that dev.py installs, type-checks and tests."""

    path: Path
    extras: frozenset[str]
    groups: frozenset[str]
    has_mypy_config: bool
    # Whether [tool.mypy] itself names what to check (``packages`` or ``files``).
    mypy_names_targets: bool
    # The file hatch reads the version from ([tool.hatch.version] path), if any.
    version_file: Path | None

    @property
    def rel(self) -> str:
        """POSIX path relative to the repo root, e.g. ``integrations/langchain``."""
        return self.path.relative_to(ROOT).as_posix()

    @property
    def is_core(self) -> bool:
        """The core ``kaizen-client`` package, whose tests must exist."""
        return self.path == CORE


def package_from(path: Path, data: dict[str, Any]) -> Package:
    """What dev.py needs from the parsed ``path/pyproject.toml``."""
    tool = data.get("tool", {})
    mypy = tool.get("mypy")
    version_path = tool.get("hatch", {}).get("version", {}).get("path")
    return Package(
        path=path,
        extras=frozenset(data.get("project", {}).get("optional-dependencies", {})),
        groups=frozenset(data.get("dependency-groups", {})),
        has_mypy_config=mypy is not None,
        mypy_names_targets=bool(mypy and ("packages" in mypy or "files" in mypy)),
        version_file=path / version_path if version_path else None,
    )


def read_package(path: Path) -> Package:
    """Read what dev.py needs from ``path/pyproject.toml``."""
    return package_from(path, load_toml(path / "pyproject.toml"))


def discover_packages() -> list[Package]:
    """The core package first, then every integrations/*/ with a pyproject.toml, sorted."""
    dirs = [CORE]
    if INTEGRATIONS.is_dir():
        dirs += sorted(d for d in INTEGRATIONS.iterdir() if (d / "pyproject.toml").is_file())
    docs = load_tomls([d / "pyproject.toml" for d in dirs])  # one tomli run on 3.10
    return [package_from(d, data) for d, data in zip(dirs, docs, strict=True)]


# --- the virtual environment -----------------------------------------------------------------


def venv_python() -> Path:
    """The venv's interpreter (POSIX or Windows layout)."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def compiled_modules() -> list[str]:
    """The modules the wheel compiles, read from the core pyproject (one source of truth)."""
    hooks = load_toml(CORE_CONFIG)["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]
    modules: list[str] = hooks["mypyc"]["include"]
    return modules


def build_compiled() -> Path | None:
    """Compile the codec with mypyc into .venv/ (reused while its sources are unchanged).

    Returns the directory to put first on PYTHONPATH, or None (with a message) on failure.
    """
    modules = compiled_modules()
    digest = hashlib.sha256(sys.version.encode())
    digest.update("\n".join(modules).encode())  # which modules are compiled, not only sources
    for path in sorted((CORE / "kaizen_client").rglob("*.py")):
        digest.update(path.relative_to(CORE).as_posix().encode() + path.read_bytes())
    target = COMPILED / digest.hexdigest()[:16]
    marker = target / ".built"
    if marker.is_file():
        say(f"compiled codec is up to date ({target.relative_to(ROOT).as_posix()}/)")
        return target
    import shutil
    import time

    # Builds of other sources: drop the stale ones only, so runs from several checkouts that
    # share this venv (git worktrees) never delete a build another run is using.
    for old in COMPILED.glob("*") if COMPILED.is_dir() else ():
        if old != target and time.time() - old.stat().st_mtime > STALE_BUILD_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)  # a build that never finished
    shutil.copytree(CORE / "kaizen_client", target / "kaizen_client")
    say(f"compiling the codec with mypyc: {len(modules)} modules")
    mypyc = venv_python().parent / "mypyc"
    with open(target / "build.log", "w") as log:
        status = subprocess.call(
            [str(mypyc), *modules], cwd=target, env=tool_env(), stdout=log, stderr=log
        )
    if status != 0:
        say((target / "build.log").read_text()[-3000:])
        fail("mypyc could not compile the codec (log above)")
        return None
    marker.write_text("ok\n")
    return target


def tool_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for child processes: the venv first on PATH, quiet pip, plus ``extra``."""
    env = dict(os.environ)
    bindir = str(venv_python().parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(VENV)
    env.pop("PYTHONHOME", None)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    env.setdefault("PIP_ROOT_USER_ACTION", "ignore")  # CI runs as root
    env.setdefault("PYTHONUTF8", "1")
    env.update(extra or {})
    return env


def run(cmd: Sequence[str | Path], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> int:
    """Run ``cmd``, echoing it first; return its exit status."""
    shown = shlex.join(str(c) for c in cmd).replace(str(ROOT) + os.sep, "")
    where = "" if cwd == ROOT else f"  (in {cwd.relative_to(ROOT).as_posix()}/)"
    say(f"$ {shown}{where}")
    return subprocess.call([str(c) for c in cmd], cwd=cwd, env=env or tool_env())


def install_args(packages: Sequence[Package], *, pip_groups: bool) -> list[str]:
    """pip arguments: every package editable (the core first, so the integrations' pin on
    ``kaizen-client`` is met by the local one), with its [test] extra if declared, plus each
    package's ``dev`` dependency group: by ``--group`` when pip has it, else as requirements.
    """
    ordered = sorted(packages, key=lambda pkg: not pkg.is_core)  # stable: core, then the rest
    args = ["install"]
    for pkg in ordered:
        spec = f"./{pkg.rel}[test]" if "test" in pkg.extras else f"./{pkg.rel}"
        args += ["-e", spec]
    requirements: list[str] = []
    for pkg in ordered:
        if DEV_GROUP not in pkg.groups:
            continue
        if pip_groups:
            args += ["--group", f"./{pkg.rel}/pyproject.toml:{DEV_GROUP}"]
        else:
            requirements += group_requirements(load_toml(pkg.path / "pyproject.toml"), DEV_GROUP)
    return args + list(dict.fromkeys(requirements))  # a tool several groups name: once


def group_requirements(data: dict[str, Any], name: str, seen: tuple[str, ...] = ()) -> list[str]:
    """The requirements of dependency group ``name`` (PEP 735), following ``include-group``.

    Only for a pip older than 25.1, which cannot read dependency groups itself.
    """
    groups: dict[str, list[Any]] = data.get("dependency-groups", {})
    if name in seen or name not in groups:
        raise SystemExit(fail(f"dependency group {name!r} is missing or includes itself"))
    found: list[str] = []
    for item in groups[name]:
        if isinstance(item, str):
            found.append(item)
        else:
            found += group_requirements(data, item["include-group"], (*seen, name))
    return found


def pip_has_groups(python: Path) -> bool:
    """Whether the venv's pip installs dependency groups (``--group``, pip 25.1+)."""
    done = subprocess.run(
        [str(python), "-m", "pip", "--version"], capture_output=True, text=True, env=tool_env()
    )
    words = done.stdout.split()  # "pip 26.3 from ... (python 3.11)"
    if done.returncode != 0 or len(words) < 2:
        return False
    version = tuple(int(part) for part in words[1].split(".")[:2] if part.isdigit())
    return version >= PIP_WITH_GROUPS


def install_fingerprint(packages: Sequence[Package], args: Sequence[str]) -> str:
    """Hash of everything the install depends on: each pyproject.toml, each version file
    (an editable install's metadata keeps the version it was installed with) and the pip
    command.
    """
    digest = hashlib.sha256(f"{RECIPE_VERSION}\n{sys.version}\n{args}\n".encode())
    for pkg in packages:
        digest.update(f"\n{pkg.rel}\n".encode())
        digest.update((pkg.path / "pyproject.toml").read_bytes())
        if pkg.version_file is not None and pkg.version_file.is_file():
            digest.update(pkg.version_file.read_bytes())
    return digest.hexdigest()


def ensure_venv(*, force_install: bool = False) -> int:
    """Create .venv if missing and install the packages if any pyproject.toml changed."""
    if sys.version_info < MIN_PYTHON:
        return fail(f"Python {'.'.join(map(str, MIN_PYTHON))}+ is required; this is {sys.version}")
    python = venv_python()
    if not python.exists():
        version = sys.version.split()[0]
        say(f"creating virtual environment {VENV.name}/ with {sys.executable} ({version})")
        status = subprocess.call([sys.executable, "-m", "venv", "--upgrade-deps", str(VENV)])
        if status != 0 or not python.exists():
            return fail(
                "could not create .venv. On Debian/Ubuntu install the venv module first "
                "(apt-get install python3-venv), then re-run."
            )
    packages = discover_packages()
    # The fingerprint leaves pip's version out, so an up-to-date venv costs no pip call.
    fingerprint = install_fingerprint(packages, install_args(packages, pip_groups=True))
    if not force_install and STAMP.is_file() and STAMP.read_text().strip() == fingerprint:
        say(f"{VENV.name}/ is up to date ({len(packages)} package(s); no pyproject.toml changed)")
        return 0
    say("installing into .venv/: " + ", ".join(pkg.rel for pkg in packages))
    args = install_args(packages, pip_groups=pip_has_groups(python))
    # Pure-Python editable install: the mypyc hook would put compiled modules next to the
    # sources, where they would shadow later edits.
    status = run([python, "-m", "pip", *args], env=tool_env({"HATCH_BUILD_NO_HOOKS": "true"}))
    if status != 0:
        STAMP.unlink(missing_ok=True)
        return fail("pip install failed (see above); nothing else was run")
    STAMP.write_text(fingerprint + "\n")
    return 0


# --- commands --------------------------------------------------------------------------------


def mypy_targets(pkg: Package) -> list[str]:
    """Import packages inside ``pkg`` (flat or src/ layout), as paths relative to it."""
    found: list[str] = []
    for base in (pkg.path, pkg.path / "src"):
        if base.is_dir():
            for child in sorted(base.iterdir()):
                if child.name not in NOT_PACKAGES and (child / "__init__.py").is_file():
                    found.append(child.relative_to(pkg.path).as_posix())
    return found


def lint_steps(packages: Sequence[Package]) -> list[tuple[str, list[str | Path], Path]]:
    """ruff over the whole repo with the one repo config (ruff.toml), then mypy per package."""
    python = venv_python()
    config = ["--config", str(RUFF_CONFIG)]  # named, so a stray [tool.ruff] cannot override it
    steps: list[tuple[str, list[str | Path], Path]] = [
        ("ruff check", [python, "-m", "ruff", "check", *config, "."], ROOT),
        ("ruff format --check", [python, "-m", "ruff", "format", "--check", *config, "."], ROOT),
    ]
    for pkg in packages:
        targets = mypy_targets(pkg)
        if not targets and pkg.mypy_names_targets:
            # A namespace package (llama_index.*) has no top-level __init__.py: its own
            # [tool.mypy] packages/files setting says what to check.
            cfg = str(pkg.path / "pyproject.toml")
            steps.append(
                (f"mypy {pkg.rel}", [python, "-m", "mypy", "--config-file", cfg], pkg.path)
            )
            continue
        if not targets:
            say(f"note: {pkg.rel} has no import package yet; mypy skipped there")
            continue
        mypy_config = pkg.path / "pyproject.toml" if pkg.has_mypy_config else CORE_CONFIG
        cmd: list[str | Path] = [python, "-m", "mypy", "--config-file", str(mypy_config)]
        if not pkg.has_mypy_config:
            cmd.append("--strict")
        steps.append((f"mypy {pkg.rel}", [*cmd, *targets], pkg.path))
    return steps


def run_steps(
    steps: Sequence[tuple[str, list[str | Path], Path]], results: list[tuple[str, str]]
) -> None:
    """Run every step (no fail-fast: one run shows every problem), recording outcomes."""
    for name, cmd, cwd in steps:
        say(f"==> {name}")
        status = run(cmd, cwd=cwd)
        results.append((name, "ok" if status == 0 else f"FAILED (exit {status})"))


def summarize(results: Sequence[tuple[str, str]], problems: Sequence[str] = ()) -> int:
    """Print one line per step and return 0 only if every step passed."""
    print(flush=True)
    say("summary:")
    for name, outcome in results:
        print(f"    {outcome:<22} {name}", flush=True)
    for problem in problems:
        print(f"    FAILED                 {problem}", flush=True)
    failed = bool(problems) or any(
        not outcome.startswith(("ok", "no tests")) for _, outcome in results
    )
    say("FAILED" if failed else "all passed")
    return 1 if failed else 0


def cmd_lint(_args: Sequence[str]) -> int:
    """ruff check, ruff format --check and mypy, without tests."""
    results: list[tuple[str, str]] = []
    run_steps(lint_steps(discover_packages()), results)
    return summarize(results)


def cmd_test(args: Sequence[str]) -> int:
    """Lint, type-check, then pytest each package's tests/; ``args`` go to every pytest."""
    packages = discover_packages()
    results: list[tuple[str, str]] = []
    problems: list[str] = []
    run_steps(lint_steps(packages), results)
    env = tool_env(TEST_ENV)
    ran_any = False
    for pkg in packages:
        name = f"pytest {pkg.rel}/tests"
        if not (pkg.path / "tests").is_dir():
            if pkg.is_core:
                problems.append(f"{name}: the core package has no tests/ directory")
            else:
                say(f"note: {pkg.rel} has no tests/ yet; skipped")
                results.append((name, "no tests (skipped)"))
            continue
        say(f"==> {name}")
        status = run([venv_python(), "-m", "pytest", "tests", *args], cwd=pkg.path, env=env)
        ran_any = ran_any or status != PYTEST_NO_TESTS
        if status == 0:
            results.append((name, "ok"))
        elif status == PYTEST_NO_TESTS and (args or not pkg.is_core):
            # A -k/-m filter can leave a package with nothing selected; that alone is fine.
            say(f"note: no tests collected/selected in {pkg.rel}")
            results.append((name, "no tests selected"))
        else:
            results.append((name, f"FAILED (exit {status})"))
    if not ran_any:
        problems.append("no tests ran anywhere (pytest collected nothing in every package)")
    test_compiled(args, results)
    test_js(results)
    return summarize(results, problems)


def js_steps() -> list[tuple[str, list[str | Path], Path]]:
    """The TypeScript SDK's steps: a clean ``npm ci`` from the lockfile, then lint, type check,
    build and tests (``npm run check``). Its tests call the Python encoder (the cross-language
    contract), so they are told which interpreter is the venv's."""
    npm = "npm.cmd" if os.name == "nt" else "npm"
    return [
        ("npm ci (js)", [npm, "ci", "--no-audit", "--no-fund"], JS),
        ("npm run check (js: eslint, tsc, build, vitest)", [npm, "run", "check"], JS),
    ]


def test_js(results: list[tuple[str, str]]) -> None:
    """Run the TypeScript SDK's checks when js/ exists; no Node.js is a failure, not a skip."""
    if not (JS / "package.json").is_file():
        return
    import shutil

    if shutil.which("npm") is None:
        results.append(("js", "FAILED (npm not found: install Node.js >= 20)"))
        return
    env = tool_env({**TEST_ENV, "KAIZEN_PYTHON": str(venv_python())})
    for name, cmd, cwd in js_steps():
        say(f"==> {name}")
        status = run(cmd, cwd=cwd, env=env)
        results.append((name, "ok" if status == 0 else f"FAILED (exit {status})"))
        if status != 0:
            return


def test_compiled(args: Sequence[str], results: list[tuple[str, str]]) -> None:
    """Run the codec's tests again against the mypyc-compiled build that wheels ship."""
    name = "pytest python/tests/ktof (mypyc-compiled codec)"
    say(f"==> {name}")
    build = build_compiled()
    if build is None:
        results.append((name, "FAILED (build)"))
        return
    # Run from the build directory: it is sys.path[0] there, ahead of the editable source.
    env = tool_env(TEST_ENV)
    probe = "import kaizen_client.ktof.decoder as m, sys; sys.exit(not m.__file__.endswith('.so'))"
    if run([venv_python(), "-c", probe], cwd=build, env=env) != 0:
        results.append((name, "FAILED (compiled modules not loaded)"))
        return
    tests = CORE / "tests" / "ktof"
    status = run(
        [venv_python(), "-m", "pytest", tests, "-p", "no:cacheprovider", *args], cwd=build, env=env
    )
    if status == 0 or (status == PYTEST_NO_TESTS and args):
        results.append((name, "ok" if status == 0 else "no tests selected"))
    else:
        results.append((name, f"FAILED (exit {status})"))


def cmd_bench(args: Sequence[str]) -> int:
    """The codec benchmark, measuring the compiled codec that wheels ship."""
    build = build_compiled()
    if build is None:
        return 1
    if not BENCH.is_file():
        return fail(f"{BENCH.relative_to(ROOT).as_posix()} does not exist yet")
    say("==> codec benchmark (mypyc-compiled codec)")
    return run([venv_python(), BENCH, *args], env=tool_env({"PYTHONPATH": str(build)}))


BENCH_EXTERNAL = ROOT / "python" / "benchmarks" / "external" / "bench.py"


def cmd_bench_external(args: Sequence[str]) -> int:
    """The codec benchmark on the external corpus (real JSON), compiled codec as shipped."""
    build = build_compiled()
    if build is None:
        return 1
    say("==> external-corpus benchmark (mypyc-compiled codec)")
    return run([venv_python(), BENCH_EXTERNAL, *args], env=tool_env({"PYTHONPATH": str(build)}))


FUZZ_TESTS = CORE / "tests" / "ktof"
FUZZ_SCALE = "20"
# Hypothesis statistics line: "- 100 passing, 0 failing, and 0 invalid test cases".
_FUZZ_COUNT = r"(\d+) passing, (\d+) failing, and (\d+) invalid"


def cmd_fuzz(args: Sequence[str]) -> int:
    """The codec's hypothesis properties with random seeds and many more examples.

    ``python3 dev.py test`` (and CI, where ``CI=true`` selects the derandomized ``ci`` profile of
    python/tests/conftest.py) always tries the same examples, so it cannot flake; this command is
    where new failures are searched for: the ``fuzz`` profile (fresh random seeds, the example
    database kept so a failure replays) and ``KTOF_HYPOTHESIS_SCALE`` (default 20) times each
    test's budget. ``--minutes N`` repeats rounds until N minutes have passed; ``--scale K``
    changes the budget; other args go to pytest (e.g. ``-k token`` or more test paths). Every
    failure found belongs in the suite as an ``@example``. Prints the examples tried.
    """
    rest = list(args)
    minutes = 0.0
    scale = FUZZ_SCALE
    for flag in ("--minutes", "--scale"):
        if flag in rest:
            at = rest.index(flag)
            if at + 1 >= len(rest):
                return fail(f"{flag} needs a value")
            value = rest[at + 1]
            del rest[at : at + 2]
            try:
                number = float(value)
            except ValueError:
                return fail(f"{flag} needs a number, not {value!r}")
            if flag == "--minutes":
                minutes = number
            else:
                scale = value
    import re
    import time

    env = tool_env({**TEST_ENV, "HYPOTHESIS_PROFILE": "fuzz", "KTOF_HYPOTHESIS_SCALE": scale})
    env.pop("CI", None)
    paths = [a for a in rest if not a.startswith("-") and (CORE / a.split("::")[0]).exists()]
    targets = [] if paths else [str(FUZZ_TESTS)]
    cmd = [str(venv_python()), "-m", "pytest", *targets, "-q", "-p", "no:randomly"]
    cmd += ["--hypothesis-show-statistics", *rest]
    started = time.monotonic()
    rounds = examples = 0
    while True:
        rounds += 1
        say(f"==> fuzz round {rounds}: {shlex.join(cmd)}")
        proc = subprocess.Popen(
            cmd, cwd=CORE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            found = re.search(_FUZZ_COUNT, line)
            if found:
                examples += sum(int(found.group(i)) for i in (1, 2, 3))
        status = proc.wait()
        elapsed = time.monotonic() - started
        say(f"fuzz: {rounds} round(s), {examples} examples tried, {elapsed / 60:.1f} min")
        if status != 0:
            return fail(f"fuzz round {rounds} failed (exit {status}): add the example above")
        if elapsed >= minutes * 60:
            return 0


def run_script(script: Path, args: Sequence[str], what: str) -> int:
    """Run a repo script with the venv's interpreter, passing ``args`` through."""
    if not script.is_file():
        return fail(f"{script.relative_to(ROOT).as_posix()} does not exist yet ({what})")
    say(f"==> {what}")
    return run([venv_python(), script, *args])


COMMANDS: dict[str, tuple[Callable[[Sequence[str]], int], str]] = {
    "demo": (
        lambda a: run_script(DEMO, a, "offline demo: tokens for JSON vs TOON vs KTOF"),
        "offline demo (examples/quickstart.py)",
    ),
    "test": (cmd_test, "ruff, mypy, then pytest over python/tests and integrations/*/tests"),
    "lint": (cmd_lint, "ruff check, ruff format --check, mypy"),
    "bench": (cmd_bench, "codec benchmark (python/benchmarks/codec.py), compiled codec"),
    "bench-external": (
        cmd_bench_external,
        "codec benchmark on real JSON (python/benchmarks/external), compiled codec",
    ),
    "fuzz": (cmd_fuzz, "hypothesis properties, random seeds, 20x examples [--minutes N]"),
    "setup": (lambda a: 0, "only create .venv/ and reinstall the packages"),
}


def usage() -> str:
    """The command list, for -h and for mistakes."""
    lines = ["usage: python3 dev.py COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<7} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += [
        "",
        "Extra ARGS go to pytest for `test` (e.g. -k tokens) and to the script otherwise.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Dispatch ``argv`` (without the program name) to a command after preparing .venv."""
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], list(argv[1:])
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if name not in COMMANDS:
        print(usage(), file=sys.stderr)
        return fail(f"unknown command {name!r}")
    status = ensure_venv(force_install=name == "setup")
    if status != 0:
        return status
    handler, _ = COMMANDS[name]
    return handler(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
