"""The external corpus's manifest is well-formed, and the external benchmark's pure parts work.

The corpus itself is downloaded from PyPI/npm (``benchmarks/external/corpus.py``), so CI does
not build it: the tests that read documents run only when the cache already exists. Nothing
is timed here; the figures are printed by ``benchmarks/external/bench.py``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

_PYTHON_DIR = str(Path(__file__).resolve().parents[1])
if _PYTHON_DIR not in sys.path:  # ``benchmarks`` lives next to ``kaizen_client``, not in it
    sys.path.insert(0, _PYTHON_DIR)

from benchmarks.external import bench, corpus, manifest  # noqa: E402

EXACT_VERSION = re.compile(r"^\d+(\.\d+)+$")  # a pin, not a range


# --------------------------------------------------------------------------- manifest


def test_manifest_has_enough_documents_of_four_shapes() -> None:
    shapes = Counter(e.shape for e in manifest.ENTRIES)
    assert len(manifest.ENTRIES) >= 100
    assert set(shapes) == set(manifest.SHAPES) and len(shapes) >= 4
    assert min(shapes.values()) >= 15, shapes


def test_every_entry_is_pinned_licensed_and_unique() -> None:
    names = [e.name for e in manifest.ENTRIES]
    assert len(names) == len(set(names))
    for entry in manifest.ENTRIES:
        pkg = entry.package
        assert pkg in manifest.PACKAGES, entry.name
        assert EXACT_VERSION.match(pkg.version), (entry.name, pkg.version)
        assert re.fullmatch(r"[0-9a-f]{64}", pkg.sha256), pkg.name
        assert pkg.registry in ("npm", "pypi")
        assert (entry.licence or pkg.licence).strip(), entry.name
        assert entry.shape in manifest.SHAPES
        assert entry.name.startswith(pkg.key + "/")
        assert entry.rows is None or entry.rows > 0
        assert entry.pointer == "" or entry.pointer.startswith("/")
    keys = [p.key for p in manifest.PACKAGES]
    assert len(keys) == len(set(keys))


def test_pins_cover_exactly_the_manifest() -> None:
    pins = corpus.load_pins()
    assert set(pins) == {e.name for e in manifest.ENTRIES}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in pins.values())


# --------------------------------------------------------------------------- corpus helpers


def test_pointer_follows_rfc6901_escapes() -> None:
    doc = {"paths": {"/repos/{o}": {"get": 1}}, "a~b": [10, 20]}
    assert corpus.resolve_pointer(doc, "") is doc
    assert corpus.resolve_pointer(doc, "/paths/~1repos~1{o}/get") == 1
    assert corpus.resolve_pointer(doc, "/a~0b/1") == 20
    with pytest.raises(KeyError):
        corpus.resolve_pointer(doc, "/missing")
    with pytest.raises(ValueError):
        corpus.resolve_pointer(doc, "paths")


def test_select_caps_lists_and_objects_in_order() -> None:
    assert corpus.select({"x": [1, 2, 3]}, "/x", 2) == [1, 2]
    capped = corpus.select({"b": 1, "a": 2, "c": 3}, rows=2)
    assert list(capped) == ["b", "a"]
    with pytest.raises(ValueError):
        corpus.select("text", rows=1)


def test_jsonc_comments_and_trailing_commas_are_dropped_outside_strings() -> None:
    text = '{\n  // a comment\n  "url": "http://x/*y*/", /* block */ "a": [1, 2,],\n}'
    assert json.loads(corpus.strip_json_comments(text)) == {"url": "http://x/*y*/", "a": [1, 2]}
    assert corpus.strip_json_comments('{"q": "say \\"//\\""}') == '{"q": "say \\"//\\""}'


def test_documents_are_encoded_canonically() -> None:
    value = {"b": 1.0, "a": "日本", "n": -0.0, "big": 2**70}
    data = corpus.encode_document(value)
    assert data == '{"b":1.0,"a":"日本","n":-0.0,"big":1180591620717411303424}'.encode()
    assert corpus.encode_document(json.loads(data)) == data
    with pytest.raises(ValueError):
        corpus.encode_document({"x": float("nan")})


# --------------------------------------------------------------------------- benchmark helpers


@pytest.mark.parametrize(
    ("expected", "got", "needle"),
    [
        ({"x": 1.0}, {"x": 1}, "/x: 1.0 -> 1"),
        ({"x": -0.0}, {"x": 0.0}, "/x: -0.0 -> 0.0"),
        ({"x": True}, {"x": 1}, "/x: true -> 1"),
        ({"b": 1, "a": 2}, {"a": 2, "b": 1}, "key order"),
        ({"a": 1, "b": 2}, {"a": 1}, "keys lost"),
        ([1, 2], [1], "2 items -> 1"),
        ([{"s": "x"}], [{"s": "y"}], '/0/s: "x" -> "y"'),
        (2**70, float(2**70), "->"),
    ],
)
def test_first_difference_names_what_changed(expected: Any, got: Any, needle: str) -> None:
    diff = bench.first_difference(expected, got)
    assert diff is not None and needle in diff, diff


def test_first_difference_accepts_type_exact_copies() -> None:
    value = {"a": [1, 1.0, -0.0, None, True, "s", {"n": float("nan")}], "b": {}}
    assert bench.first_difference(value, json.loads(json.dumps(value))) is None


def test_round_trip_distinguishes_lossy_broken_and_failing_codecs() -> None:
    floats_to_ints = bench.Codec(
        "lossy", json.dumps, lambda s: json.loads(s, parse_float=lambda f: int(float(f)))
    )
    drops = bench.Codec("drops", json.dumps, lambda s: {})
    raises = bench.Codec("raises", json.dumps, lambda s: 1 / 0)
    assert bench.round_trip(bench.codecs()[0], {"x": 2.0}) == bench.EXACT
    assert bench.round_trip(floats_to_ints, {"x": 2.0}).startswith("≈ /x: 2.0 -> 2")
    assert bench.round_trip(drops, {"x": 2.0}).startswith("✗")
    assert bench.round_trip(raises, {"x": 2.0}).startswith("err ZeroDivisionError")


def _result(name: str, tokens: dict[str, int], bad: tuple[str, ...] = ()) -> bench.DocResult:
    return bench.DocResult(
        name,
        "table",
        1000,
        tokens=dict(tokens),
        round_trip={c: ("≈ lost" if c in bad else bench.EXACT) for c in tokens},
        encode_s={c: 0.001 for c in tokens},
    )


CODECS = ["json", "tson", "ktof auto"]


def test_summarize_counts_only_type_exact_codecs_and_ties() -> None:
    results = [
        _result("d1", {"json": 100, "tson": 80, "ktof auto": 70}),  # ktof alone fewest
        _result("d2", {"json": 100, "tson": 90, "ktof auto": 90}),  # tie: both fewest
        _result("d3", {"json": 100, "tson": 50, "ktof auto": 100}, bad=("tson",)),  # tson lossy
        _result("d4", {"json": 100, "tson": 60, "ktof auto": 95}),  # tson fewest
    ]
    s = bench.summarize(results, CODECS)
    assert s.documents == 4
    assert s.tokens == {"json": 400, "tson": 280, "ktof auto": 355}
    assert s.ratio["ktof auto"] == pytest.approx(355 / 400)
    assert s.fewest == {"json": 1, "tson": 2, "ktof auto": 3}
    assert s.ktof_fewest_share == pytest.approx(0.75)
    assert s.ktof_strict_wins == 1
    assert s.failures == {"json": 0, "tson": 1, "ktof auto": 0}
    assert s.median_saving == pytest.approx(statistics_median([0.30, 0.10, 0.0, 0.05]))
    assert (s.worst_ratio, s.worst_document) == (1.0, "d3")
    assert s.mbps["json"] == pytest.approx(4000 / 0.004 / 1e6)


def statistics_median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return (ordered[mid - 1] + ordered[mid]) / 2 if len(ordered) % 2 == 0 else ordered[mid]


def test_a_failed_encode_makes_the_total_unknown_not_smaller() -> None:
    ok = _result("ok", {"json": 100, "tson": 80, "ktof auto": 70})
    failed = _result("failed", {"json": 100, "ktof auto": 70})
    failed.tokens["tson"] = None
    failed.round_trip["tson"] = "err ValueError"
    s = bench.summarize([ok, failed], CODECS)
    assert s.tokens["tson"] is None and s.ratio["tson"] is None
    assert s.failures["tson"] == 1


def test_tables_render_every_codec_and_document() -> None:
    results = [
        _result("d1", {"json": 100, "tson": 80, "ktof auto": 70}),
        _result("d2", {"json": 100, "tson": 50, "ktof auto": 90}, bad=("tson",)),
    ]
    table = bench.shape_table(bench.summarize(results, CODECS), CODECS)
    assert len(table.splitlines()) == 2 + len(CODECS)
    assert "| ktof auto | 160 | 0.800 | 2 | 0 |" in table
    per_doc = bench.per_document_table(results, CODECS)
    assert "| d2 | table | 1.0 | 100 | 0.500 ✗ | 0.900 | ktof auto |" in per_doc
    lines = bench.summary_lines(bench.summarize(results, CODECS))
    assert any("2/2 documents = 100.0%" in line for line in lines)


def test_measure_document_on_a_tiny_sample_without_timing() -> None:
    codecs = [c for c in bench.codecs() if c.name in ("json", "json pretty", "ktof auto")]
    value = [{"id": 1, "price": 2.0, "tags": ["a"]}, {"id": 2, "price": 3.5, "tags": []}]
    res = bench.measure_document("tiny", "table", value, codecs, speed=False)
    assert set(res.tokens) == {"json", "json pretty", "ktof auto"}
    assert all(isinstance(t, int) and t > 0 for t in res.tokens.values())
    assert res.tokens["json pretty"] > res.tokens["json"]
    assert res.round_trip == {c: bench.EXACT for c in res.tokens}
    assert res.encode_s == {c: None for c in res.tokens}


def test_probes_are_json_values() -> None:
    for label, value in bench.PROBES:
        assert json.loads(json.dumps(value)) == value, label


# --------------------------------------------------------------------------- the built corpus

needs_cache = pytest.mark.skipif(
    not corpus.cache_ready(), reason="external corpus not built (benchmarks/external/corpus.py)"
)


@needs_cache
def test_built_corpus_matches_pins_sizes_and_shapes() -> None:
    docs = corpus.load_corpus()
    pins = corpus.load_pins()
    assert [d.name for d in docs] == [e.name for e in manifest.ENTRIES]
    for doc in docs:
        data = corpus.encode_document(doc.value)
        assert corpus.hashlib.sha256(data).hexdigest() == pins[doc.name] == doc.provenance.sha256
        assert len(data) == doc.provenance.size <= corpus.MAX_DOCUMENT_BYTES, doc.name
    limited = corpus.load_corpus(shapes=["table"], limit=2)
    assert [d.shape for d in limited] == ["table", "table"]


def test_replace_block_rewrites_only_between_markers() -> None:
    text = "intro\n<!-- m -->\nold\n<!-- /m -->\noutro\n"
    assert bench.replace_block(text, "m", "new\n") == "intro\n<!-- m -->\nnew\n<!-- /m -->\noutro\n"
    with pytest.raises(ValueError):
        bench.replace_block(text, "other", "x")


def test_docs_blocks_cover_readme_and_docs_page() -> None:
    results = [
        _result("d1", {"json": 100, "tson": 80, "ktof auto": 70}),
        _result("d2", {"json": 100, "tson": 50, "ktof auto": 90}, bad=("tson",)),
    ]
    summaries = {"table": bench.summarize(results, CODECS), "all": bench.summarize(results, CODECS)}
    codecs = [bench.Codec(name, json.dumps, json.loads) for name in CODECS]
    blocks = bench.docs_blocks(results, summaries, codecs, "Measured now.")
    assert {marker for _, marker in blocks} == {
        "external-bench",
        "external-bench:results",
        "external-bench:per-document",
    }
    readme = blocks[(bench.README, "external-bench")]
    assert readme.startswith("**On 2 real JSON documents, KTOF auto writes 0.800x")
    assert "best other" not in readme  # tson is not type-exact on d2: not a lossless rival
    lossless = [_result("d3", {"json": 100, "tson": 60, "ktof auto": 70})]
    assert "the best other codec type-exact on all of them, tson, writes 0.600x" in bench.headline(
        bench.summarize(lossless, CODECS)
    )
    assert "#### table (2 documents)" in readme and "- KTOF auto aggregate: 0.800" in readme
    for path, marker in blocks:  # the committed files carry every marker
        assert f"<!-- {marker} -->" in path.read_text()


def test_gap_table_ranks_documents_where_another_exact_codec_wins() -> None:
    results = [
        _result("small-gap", {"json": 100, "tson": 80, "ktof auto": 85}),
        _result("ktof-wins", {"json": 100, "tson": 90, "ktof auto": 70}),
        _result("big-gap", {"json": 100, "tson": 50, "ktof auto": 90}),
        _result("lossy-rival", {"json": 100, "tson": 10, "ktof auto": 90}, bad=("tson",)),
    ]
    table = bench.gap_table(results)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split(" | ")[0] for row in rows] == ["| big-gap", "| small-gap"]
    assert "| big-gap | table | 100 | 90 | tson 50 | 40 | 44.4% |" in table
    assert "2 documents where another type-exact codec is smaller, by 45 tokens." in table
