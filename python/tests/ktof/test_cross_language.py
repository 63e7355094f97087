"""The Python side of the cross-language contract (docs/sdk-contract.md).

``shared/fixtures/cross/`` (seeded inputs with the Python encoder's texts) and
``shared/fixtures/tokens/counts.json`` (token counts) are what every other SDK is tested
against (the TypeScript tests in ``js/test/contract``). Here Python must still produce exactly the
committed bytes, so a change of Python's output alone fails; regenerate with
``python/scripts/make_cross_vectors.py`` after a deliberate format change, and the other SDKs'
tests then fail until they follow.

When Node.js and the built TypeScript package (``js/dist``) are present, the TypeScript encoder
is also run over the corpus and Python decodes its texts (skipped otherwise, with the reason).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kaizen_client.ktof import decode, encode

from .conftest import REPO_ROOT, assert_same_json

SCRIPT = REPO_ROOT / "python" / "scripts" / "make_cross_vectors.py"
CROSS_DIR = REPO_ROOT / "shared" / "fixtures" / "cross"
JS_DIST = REPO_ROOT / "js" / "dist" / "esm" / "ktof" / "index.js"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_cross_vectors", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_cross_vectors", module)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def _committed(path: Path) -> str:
    assert path.is_file(), f"{path} is missing: run {SCRIPT.relative_to(REPO_ROOT)}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("index", range(GEN.FILES), ids=lambda i: f"corpus-{i:02d}")
def test_python_still_writes_the_committed_corpus(index: int) -> None:
    path = CROSS_DIR / f"corpus-{index:02d}.json"
    fresh = GEN.render(GEN.corpus_file(index), "documents")
    committed = _committed(path)
    if fresh != committed:
        fresh_docs = json.loads(fresh)["documents"]
        old_docs = json.loads(committed)["documents"]
        diffs = [
            f"{new['name']}: committed {old['expected']!r}, now {new['expected']!r}"
            for new, old in zip(fresh_docs, old_docs, strict=False)
            if new != old
        ]
        pytest.fail(
            f"{path.name}: Python's output changed for {len(diffs)} documents (regenerate with "
            f"{SCRIPT.name} if intended, then port the change to every SDK):\n"
            + "\n".join(diffs[:5])
        )


def test_python_still_counts_the_committed_tokens() -> None:
    assert GEN.render(GEN.token_vectors(), "texts") == _committed(GEN.TOKENS_FILE), (
        f"token counts or routing changed: regenerate with {SCRIPT.name} and check the JS counter"
    )


def test_corpus_size_and_round_trip() -> None:
    """Thousands of documents; every auto-mode text decodes to exactly its input."""
    total = 0
    for path in sorted(CROSS_DIR.glob("corpus-*.json")):
        for doc in json.loads(_committed(path))["documents"]:
            total += 1
            indent = doc["options"].get("indentSize", 2)
            back = decode(doc["expected"], indent=indent)
            assert_same_json(back, doc["decoded"], exact_types=True, context=doc["name"])
            if doc["options"].get("mode", "auto") == "auto":
                assert_same_json(back, doc["input"], exact_types=True, context=doc["name"])
    assert total >= 3000


_NODE_ENCODE = """
import { readFileSync } from "node:fs";
const { encode, parseJsonDocument } = await import(process.argv[1]);
const get = (o, k) => (o instanceof Map ? o.get(k) : o[k]);
const out = [];
for (const path of process.argv.slice(2)) {
  const data = parseJsonDocument(readFileSync(path, "utf8"), { exact: true });
  for (const doc of get(data, "documents")) {
    const o = get(doc, "options");
    out.push(encode(get(doc, "input"), {
      mode: get(o, "mode") ?? "auto", model: get(o, "model") ?? "gpt-4o",
      delimiter: get(o, "delimiter") ?? ",", indent: get(o, "indentSize") ?? 2,
    }));
  }
}
process.stdout.write(JSON.stringify(out));
"""


def test_python_decodes_typescript_output() -> None:
    node = shutil.which("node")
    if node is None or not JS_DIST.is_file():
        pytest.skip(
            f"needs node and the built TypeScript package ({JS_DIST}: cd js && npm run build)"
        )
    paths = sorted(CROSS_DIR.glob("corpus-*.json"))
    result = subprocess.run(
        [node, "--input-type=module", "-e", _NODE_ENCODE, JS_DIST.as_uri(), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    texts = json.loads(result.stdout)
    docs = [doc for path in paths for doc in json.loads(_committed(path))["documents"]]
    assert len(texts) == len(docs)
    mismatches = 0
    for text, doc in zip(texts, docs, strict=True):
        kwargs = GEN._encode_kwargs(doc["options"])
        if text != encode(doc["input"], **kwargs):
            mismatches += 1
        back = decode(text, indent=kwargs["indent"])
        assert_same_json(back, doc["decoded"], exact_types=True, context=doc["name"])
    assert mismatches == 0, f"{mismatches} of {len(docs)} TypeScript texts differ from Python's"
