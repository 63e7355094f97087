"""kaizen_client.tokens must give tiktoken's exact counts, offline, and route models honestly."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import string
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tiktoken
from hypothesis import given, settings
from hypothesis import strategies as st
from tiktoken import registry as tiktoken_registry

from kaizen_client import tokens
from kaizen_client.tokens import (
    TokenizerInfo,
    boundary_at,
    certain_boundary,
    count_tokens,
    count_tokens_batch,
    count_tokens_upto,
    encoding_for_model,
    last_certain_boundary,
    space_delta,
    space_head,
    tokenizer_info,
)

ENCODINGS = ("o200k_base", "cl100k_base")
MODEL_FOR = {"o200k_base": "gpt-4o", "cl100k_base": "gpt-4"}

_RECORDS = [
    {"id": i, "name": f"user{i}", "email": f"u{i}@example.com", "active": i % 2 == 0}
    for i in range(40)
]

CORPUS: list[str] = [
    "",
    "a",
    " ",
    "hello world",
    "Hello, World!",
    "The quick brown fox jumps over the lazy dog.",
    "don't won't I'll we've they're she'd IT'S",
    json.dumps(_RECORDS),
    json.dumps(_RECORDS, indent=2),
    "users[3]{id,name,role}:\n  1,Alice,admin\n  2,Bob,user\n  3,Carol,user\n",
    "naïve café résumé Ünïcödé — “quotes” ‘single’ …",
    "emoji: 😀👍🏽👨‍👩‍👧‍👦 🇯🇵 ✨🚀",
    "日本語のテキストと中文文本和한국어 텍스트",
    "Здравствуй, мир! Γειά σου Κόσμε! مرحبا بالعالم שלום עולם",
    "    leading spaces",
    "trailing spaces    ",
    "a    b\t\t\tc\n\n\n\nd\r\n\r\ne",
    "\n",
    "\n\n  \n\t\n",
    "   \n   x",
    "<|endoftext|>",
    "before <|endoftext|> after <|endofprompt|> <|fim_prefix|>",
    "1234567890 3.14159 -42 1e10 0x1F 100,000",
    "path/to/file.py:12:34 https://example.com/a/b?c=d&e=f#g",
    "}\n/ comment\n}\n\n//x\nfoo",
    "x" * 5000,
    "word " * 3000,
    "🙂" * 500,
    "".join(chr(c) for c in range(32, 0x250)),
    "\u0301\u0302 combining marks on nothing",
    "tab\tseparated\tvalues\t\n1\t2\t3",
]

LONE_SURROGATES = ["\ud800", "abc\udfffdef", "\ud83d"]

BPE_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


@pytest.fixture(scope="module")
def tiktoken_offline(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], tiktoken.Encoding]]:
    """tiktoken, made to load its BPE files from bpe-openai's embedded copies, not the net.

    tiktoken reads ``$TIKTOKEN_CACHE_DIR/sha1(url)`` before downloading, and the gunzipped
    bpe-openai files have the sha256 tiktoken expects, so this exercises tiktoken unchanged.
    """
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    spec = importlib.util.find_spec("bpe_openai")  # locate without importing it
    assert spec is not None and spec.origin is not None
    data = Path(spec.origin).parent / "data"
    for name in ENCODINGS:
        raw = gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes())
        key = hashlib.sha1(BPE_URL.format(name=name).encode()).hexdigest()
        (cache / key).write_bytes(raw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        # Force a load from our cache dir even if another test already built an encoding.
        mp.setattr(tiktoken_registry, "ENCODINGS", {})
        yield tiktoken_registry.get_encoding


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_matches_tiktoken_on_corpus(
    encoding: str, tiktoken_offline: Callable[[str], tiktoken.Encoding]
) -> None:
    enc = tiktoken_offline(encoding)
    model = MODEL_FOR[encoding]
    for text in CORPUS + LONE_SURROGATES:
        expected = len(enc.encode_ordinary(text))
        assert count_tokens(text, model) == expected, repr(text[:60])
    expected_batch = [len(t) for t in enc.encode_ordinary_batch(CORPUS)]
    assert count_tokens_batch(CORPUS, model) == expected_batch


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_matches_tiktoken_beyond_bpe_openai_public_limits(
    encoding: str, tiktoken_offline: Callable[[str], tiktoken.Encoding]
) -> None:
    """bpe-openai's encode_ordinary refuses 1M+ chars; a long prompt must still count."""
    enc = tiktoken_offline(encoding)
    text = json.dumps(_RECORDS * 700, indent=1)
    assert len(text) > 1_000_000
    expected = len(enc.encode_ordinary(text))
    assert count_tokens(text, MODEL_FOR[encoding]) == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_matches_tiktoken_on_random_text(
    text: str, tiktoken_offline: Callable[[str], tiktoken.Encoding]
) -> None:
    for encoding in ENCODINGS:
        enc = tiktoken_offline(encoding)
        expected = len(enc.encode_ordinary(text))
        assert count_tokens(text, MODEL_FOR[encoding]) == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_public_api_fallback_matches_tiktoken(
    encoding: str,
    tiktoken_offline: Callable[[str], tiktoken.Encoding],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If bpe-openai's native module disappears, the public-API path must agree too."""
    monkeypatch.setattr(tokens, "_NATIVE_MODULE", "bpe_openai._no_such_module")
    counter = tokens._load_encoder(encoding)
    enc = tiktoken_offline(encoding)
    long_text = json.dumps(_RECORDS * 700, indent=1)  # > 1M chars: exercises _safe_split
    for text in [*CORPUS, *LONE_SURROGATES, long_text]:
        if not text:
            continue
        try:
            got = counter(text)
        except UnicodeEncodeError:
            got = counter(tokens._scrub(text))
        assert got == len(enc.encode_ordinary(text)), repr(text[:60])


def _upto_expected(text: str, limit: int, model: str) -> int | None:
    n = count_tokens(text, model)
    return n if n <= limit else None


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_count_upto_is_the_count_within_the_limit(encoding: str) -> None:
    """At, just under and just over each text's count, and far from it on both sides."""
    model = MODEL_FOR[encoding]
    for text in CORPUS + LONE_SURROGATES:
        n = count_tokens(text, model)
        for limit in sorted({-1, 0, 1, n // 2, n - 1, n, n + 1, 10 * n + 10}):
            got = count_tokens_upto(text, limit, model)
            assert got == _upto_expected(text, limit, model), (repr(text[:40]), limit, n)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), slack=st.integers(min_value=-3, max_value=3))
def test_count_upto_on_random_text(text: str, slack: int) -> None:
    for encoding in ENCODINGS:
        model = MODEL_FOR[encoding]
        limit = count_tokens(text, model) + slack
        assert count_tokens_upto(text, limit, model) == _upto_expected(text, limit, model)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_count_upto_public_api_fallback(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the native module the limited counter compares the full count instead."""
    monkeypatch.setattr(tokens, "_NATIVE_MODULE", "bpe_openai._no_such_module")
    limited = tokens._load_limited(encoding)
    model = MODEL_FOR[encoding]
    for text in [t for t in CORPUS if t]:
        n = count_tokens(text, model)
        assert (limited(text, n), limited(text, n - 1)) == (n, None), repr(text[:40])


def test_count_upto_routes_models_like_count_tokens() -> None:
    text = "日本語のテキスト"  # 6 tokens in o200k, 8 in cl100k
    assert count_tokens_upto(text, 6, "gpt-4o") == 6
    assert count_tokens_upto(text, 6, "gpt-4") is None
    assert count_tokens_upto(text, 8, "azure/gpt-4") == 8
    assert count_tokens_upto(text, 6, "claude-3-5-sonnet") == 6  # the o200k estimate


# Table rows as the codec writes them, and texts around the boundary rule's edges.
ROWS = [
    "1000,SKU-0000,Widget 0,1,3.5,false",
    '"a b: c",1,x',
    "-5,x",
    "-0.5e-7|y",
    "true,1",
    ",,x",
    "evt_0400,2025-01-06T08:00:00.971Z,http_request",
    "Émile Zola,3",
    "naïve,1",
    "日本語abc,1",
    "it's,1",
    "Don't stop,1",
    "ABCdef,GHI",
    "user_7512: Zoe Eriksen,zoe@x.test,admin",
    "/api/v1,2",
    "#tag,1",
    "a" * 300 + ",1",
    "x\ud800y,1",
    "abc",
    " x,1",
    "\tx,1",
    "",
    "🙂,1",
    "a'b,1",
]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_space_delta_is_the_count_difference(encoding: str) -> None:
    model = MODEL_FOR[encoding]
    found = 0
    for row in ROWS + CORPUS:
        delta = space_delta(row, model)
        if delta is None:
            continue
        found += 1
        assert count_tokens(" " + row, model) == count_tokens(row, model) + delta, repr(row[:40])
    assert found >= 20
    for text in ("abc", " x,1", "\tx,1", ""):
        assert space_delta(text, model) is None


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_indenting_a_row_costs_the_pad_run_and_the_space_delta(encoding: str) -> None:
    """What auto mode derives: ``count(pad + row + "\n") == count(pad[:-1]) + count(row +
    "\n") + space_delta(row)`` (the pad's last space is the one the delta accounts for)."""
    model = MODEL_FOR[encoding]
    for row in ROWS:
        delta = space_delta(row, model)
        if delta is None:
            continue
        for width in range(1, 9):
            pad = " " * width
            indented = count_tokens(pad + row + "\n", model)
            derived = count_tokens(pad[:-1], model) + count_tokens(row + "\n", model) + delta
            assert indented == derived, (repr(row[:40]), width)


def test_space_head() -> None:
    assert space_head("1000,SKU") == ""  # a space never joins digits
    assert space_head("evt_0400,1") == "evt"
    assert space_head("Emeka Tanaka,x") == "Emeka Tanaka"
    assert space_head('"a b",1') == '"a b'
    assert [space_head(t) for t in ("", " x,1", "\u00a0x,1", "abc")] == [None] * 4


def test_certain_boundary_punctuation_class() -> None:
    """The regex's ranges are exactly ASCII punctuation without the apostrophe."""
    for ch in map(chr, range(128)):
        expected = ch in string.punctuation and ch != "'"
        assert (certain_boundary("a" + ch) == 1) == expected, repr(ch)
        assert certain_boundary(ch + ",") == (1 if ch.isascii() and ch.isalnum() else -1)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="aZ09 ,.:'/{}\u00e9\n", max_size=30), stop=st.integers(-2, 32))
def test_last_certain_boundary_is_the_last_boundary_after_stop(text: str, stop: int) -> None:
    found = [i for i in range(len(text)) if i > stop and boundary_at(text, i)]
    assert last_certain_boundary(text, stop) == (found[-1] if found else -1)


def test_last_certain_boundary_examples() -> None:
    assert last_certain_boundary("a,b,c") == 3
    assert last_certain_boundary("a,b,c", 3) == -1
    assert last_certain_boundary("it's") == -1  # not at the apostrophe
    assert last_certain_boundary("https://x.io/a/b") == 14
    assert last_certain_boundary("") == -1


def test_certain_boundary_splits_counts_whatever_comes_before() -> None:
    assert certain_boundary("1000,SKU") == 4
    assert certain_boundary("it's,1") == 4  # not at the apostrophe
    assert certain_boundary(",,x") == -1  # no letter or digit before punctuation
    assert certain_boundary("abc") == -1
    for encoding in ENCODINGS:
        model = MODEL_FOR[encoding]
        for row in ROWS:
            i = certain_boundary(row)
            if i < 0:
                continue
            for prefix in ("", " ", "  ", "x", "-", "\n", "ab'", "é"):
                whole = count_tokens(prefix + row, model)
                assert whole == count_tokens(prefix + row[:i], model) + count_tokens(
                    row[i:], model
                ), (repr(row[:40]), prefix)


_ROW_CELLS = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["true", "false", "null", '"q, x"', "a-b", "x_y", "It's", "A.B", "/p"]),
)


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(_ROW_CELLS, min_size=1, max_size=6),
    delimiter=st.sampled_from([",", "|", "\t"]),
    width=st.integers(min_value=1, max_value=8),
)
def test_space_delta_on_random_rows(cells: list[str], delimiter: str, width: int) -> None:
    row = delimiter.join(cells)
    pad = " " * width
    for encoding in ENCODINGS:
        model = MODEL_FOR[encoding]
        delta = space_delta(row, model)
        if delta is None or "\n" in row or "\r" in row:
            continue
        assert count_tokens(" " + row, model) == count_tokens(row, model) + delta
        indented = count_tokens(pad + row + "\n", model)
        assert indented == count_tokens(pad[:-1], model) + count_tokens(row + "\n", model) + delta


def test_safe_split_cuts_only_after_the_last_newline_before_content() -> None:
    text = "ab\n  cd\n/ef\n \n gh\nij"
    cuts = [i for i in range(1, len(text)) if text[i - 1] == "\n" and tokens._is_cut_point(text, i)]
    assert cuts == [3, 14, 18]  # not before "/" (o200k) nor inside " \n " (a newline follows)
    assert tokens._safe_split(text, 16) == ["ab\n  cd\n/ef\n \n", " gh\nij"]
    assert tokens._safe_split(text, 14) == ["ab\n", "  cd\n/ef\n \n", " gh\nij"]
    assert tokens._safe_split("x" * 10, 4) == ["xxxx", "xxxx", "xx"]  # no cut point: hard cut
    assert not tokens._is_cut_point("a\n  ", 2)  # trailing whitespace: cl100k's \s++$


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_cut_point_is_exact(
    encoding: str, tiktoken_offline: Callable[[str], tiktoken.Encoding]
) -> None:
    """Counts of the two sides of every cut point add up to the whole text's count."""
    enc = tiktoken_offline(encoding)
    chunks = ["x", "}", ",", "/", "//", " ", "  ", "\t", "\n", "\r\n", "\n\n", " \n ", "é", "1"]
    text = "".join(chunks[(i * 7 + i // 3) % len(chunks)] for i in range(1500))
    cuts = [i for i in range(1, len(text)) if text[i - 1] == "\n" and tokens._is_cut_point(text, i)]
    assert len(cuts) > 20
    total = len(enc.encode_ordinary(text))
    for i in cuts:
        left = len(enc.encode_ordinary(text[:i]))
        right = len(enc.encode_ordinary(text[i:]))
        assert left + right == total, (i, text[i - 5 : i + 5])


# Verified once with tiktoken 0.14 (encode_ordinary), hard-coded so a regression is obvious.
KNOWN_COUNTS = [
    ("hello world", "o200k_base", 2),
    ("hello world", "cl100k_base", 2),
    ("The quick brown fox jumps over the lazy dog.", "o200k_base", 10),
    ("The quick brown fox jumps over the lazy dog.", "cl100k_base", 10),
    ("<|endoftext|>", "o200k_base", 7),
    ("<|endoftext|>", "cl100k_base", 7),
    ('{"id": 1, "name": "Alice"}', "o200k_base", 12),
    ('{"id": 1, "name": "Alice"}', "cl100k_base", 12),
    ("日本語のテキスト", "o200k_base", 6),
    ("日本語のテキスト", "cl100k_base", 8),
]


@pytest.mark.parametrize(("text", "encoding", "expected"), KNOWN_COUNTS)
def test_known_counts(text: str, encoding: str, expected: int) -> None:
    assert count_tokens(text, MODEL_FOR[encoding]) == expected


@pytest.mark.parametrize(
    ("model", "encoding", "exact"),
    [
        ("gpt-4o", "o200k_base", True),
        ("gpt-4o-mini", "o200k_base", True),
        ("gpt-4o-2024-08-06", "o200k_base", True),
        ("chatgpt-4o-latest", "o200k_base", True),
        ("gpt-4.1-nano", "o200k_base", True),
        ("gpt-5", "o200k_base", True),
        ("gpt-5-mini", "o200k_base", True),
        ("o1", "o200k_base", True),
        ("o3-mini", "o200k_base", True),
        ("o4-mini", "o200k_base", True),
        ("gpt-4", "cl100k_base", True),
        ("gpt-4-turbo", "cl100k_base", True),
        ("gpt-4-32k", "cl100k_base", True),
        ("gpt-3.5-turbo", "cl100k_base", True),
        ("gpt-35-turbo", "cl100k_base", True),
        ("text-embedding-3-small", "cl100k_base", True),
        ("text-embedding-ada-002", "cl100k_base", True),
        ("openai/gpt-4o-mini", "o200k_base", True),
        ("azure/gpt-4", "cl100k_base", True),
        ("openrouter/openai/gpt-4o", "o200k_base", True),
        ("ft:gpt-4o-mini-2024-07-18:org::abc", "o200k_base", True),
        ("GPT-4o", "o200k_base", True),
        ("claude-3-5-sonnet", "o200k_base", False),
        ("anthropic/claude-3-opus-20240229", "o200k_base", False),
        ("gemini-1.5-pro", "o200k_base", False),
        ("llama-3.1-70b", "o200k_base", False),
        ("mistral-large", "o200k_base", False),
        ("totally-unknown-model", "o200k_base", False),
        ("", "o200k_base", False),
    ],
)
def test_model_routing(model: str, encoding: str, exact: bool) -> None:
    info = tokenizer_info(model)
    assert isinstance(info, TokenizerInfo)
    assert (info.model, info.encoding, info.exact) == (model, encoding, exact)
    assert encoding_for_model(model) == encoding
    assert count_tokens("hello world", model) == 2  # never raises, whatever the name


def test_estimates_say_why() -> None:
    assert "Anthropic" in tokenizer_info("claude-3-5-sonnet").note
    assert "Google" in tokenizer_info("gemini-2.0-flash").note
    assert "exact" in tokenizer_info("gpt-4o").note


def test_empty_string_is_zero() -> None:
    assert count_tokens("") == 0
    assert count_tokens("", "claude-3-5-sonnet") == 0
    assert count_tokens_batch([]) == []
    assert count_tokens_batch(["", "hello world", ""]) == [0, 2, 0]


def test_default_model_is_gpt_4o() -> None:
    assert tokens.DEFAULT_MODEL == "gpt-4o"
    assert count_tokens("日本語のテキスト") == 6


def test_import_is_lazy() -> None:
    """Importing the module must not load ~1s of BPE data; the codec imports it eagerly."""
    code = (
        "import sys, kaizen_client.tokens as t\n"
        "assert not [m for m in sys.modules if m.startswith('bpe_openai')], 'eager load'\n"
        "t.tokenizer_info('gpt-4'); t.encoding_for_model('claude-3')\n"
        "assert not [m for m in sys.modules if m.startswith('bpe_openai')], 'routing loads'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)
