"""Generate the cross-language contract corpus: shared/fixtures/cross/ and shared/fixtures/tokens/.

Every SDK must write exactly the bytes the Python encoder writes for these inputs and read them
back to the same value (docs/sdk-contract.md). The inputs come from a seeded generator (stable
across Python versions: only ``random.Random`` methods with documented reproducibility are used),
the expected texts from ``kaizen_client.ktof.encode``. ``python/tests/ktof/test_cross_language.py``
regenerates everything in memory and fails when the committed files differ, so a change of
Python's output alone fails CI; the TypeScript tests (``js/test/contract``) fail when TypeScript
differs from the committed bytes.

Run after a deliberate codec change, then review the diff:
``.venv/bin/python python/scripts/make_cross_vectors.py``
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from kaizen_client.ktof import decode, encode
from kaizen_client.tokens import count_tokens, tokenizer_info

ROOT = Path(__file__).resolve().parents[2]
CROSS_DIR = ROOT / "shared" / "fixtures" / "cross"
TOKENS_FILE = ROOT / "shared" / "fixtures" / "tokens" / "counts.json"

SEED = 20261130
DOCUMENTS_PER_FILE = 500
FILES = 6
MODELS = ("gpt-4o", "gpt-4")

TRICKY_STRINGS = [
    "",
    " ",
    "  lead",
    "trail ",
    "a b",
    "-",
    "- x",
    "-5",
    "#tag",
    "a#b",
    "true",
    "false",
    "null",
    "True",
    "[]",
    "[1]",
    "{}",
    "{x",
    "a:b",
    "key: value",
    "http://x.test/a?b=c,d",
    "2025-01-06T08:00:00Z",
    "02134",
    "0",
    "1",
    "-0",
    "1.5",
    "1e5",
    "1E5",
    "+1",
    ".5",
    "5.",
    "0x1F",
    "NaN",
    "Infinity",
    'say "hi"',
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "cr\rhere",
    "bell\x07",
    "nul\x00",
    "del\x7f",
    "bs\b",
    "ff\f",
    "a,b",
    "a|b",
    "a\tb",
    "comma,",
    "|pipe",
    "café",
    "naïve",
    "中文",
    "日本語テキスト",
    "emoji 😀",
    "👍🏽",
    "مرحبا",
    "ключ",
    "   ",
    "/slash",
    "//",
    "a/b",
    "\\u0041",
    "x" * 40,
    "1234567890" * 3,
    "a  b   c",
    "?",
    "!",
    "@user",
    "$5.00",
    "100%",
    "<tag>",
    "`code`",
]
TRICKY_KEYS = [
    "id",
    "name",
    "a",
    "b",
    "value",
    "user_id",
    "a.b",
    "a b",
    "",
    " k",
    "k ",
    "#k",
    "k#",
    "-k",
    "1",
    "0",
    "10",
    "007",
    "-1",
    "1.5",
    "true",
    "null",
    "[k]",
    "k:v",
    'q"k',
    "k\\",
    "中",
    "😀",
    "__proto__",
    "constructor",
    "toString",
    "/path",
    "key,with,commas",
    "k|p",
    "k\tt",
    "é",
    "\x01ctl",
    "UPPER",
    "camelCase",
    "snake_case_key",
    "x" * 30,
]
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "Oslo",
    "Rome",
    "Lima",
    "Kyiv",
    "Ada",
    "Bob",
    "Cy",
    "Dee",
    "open",
    "closed",
    "pending",
    "shipped",
    "red",
    "green",
    "blue",
    "user",
    "admin",
    "guest",
]
ALPHABET = (
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 ,:|-#"\\[]{}\t\né中😀\x01/._\ufeff\x85\u00a0'
)
SPECIAL_FLOATS = [
    0.0,
    -0.0,
    3.0,
    1.0,
    -1.0,
    0.5,
    0.1,
    0.2,
    1e16,
    1e15,
    1e-7,
    1e-6,
    1e-5,
    1.5e-5,
    1e-4,
    1e21,
    1e20,
    1e300,
    -1e300,
    5e-324,
    1.7976931348623157e308,
    123456789.125,
    2.0**53,
    2.0**53 + 2,
    9007199254740993.0,
    1e22,
    0.30000000000000004,
    100.0,
    -2.5,
    3.14159,
    6.02214076e23,
]
SPECIAL_INTS = [
    0,
    1,
    -1,
    7,
    42,
    100,
    -273,
    2**31,
    2**53 - 1,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**63,
    10**21,
    10**21 + 1,
    -(10**25),
    12345678901234567890123,
    10**40 + 7,
]


class Gen:
    """Seeded value generator: one instance per corpus file."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def string(self) -> str:
        r = self.r
        pick = r.random()
        if pick < 0.35:
            return r.choice(TRICKY_STRINGS)
        if pick < 0.7:
            return r.choice(WORDS) + ("" if r.random() < 0.5 else f" {r.choice(WORDS)}")
        if pick < 0.8:
            return f"{r.choice(WORDS)}-{r.randrange(1000)}"
        return "".join(r.choice(ALPHABET) for _ in range(r.randrange(1, 12)))

    def key(self) -> str:
        r = self.r
        if r.random() < 0.3:
            return r.choice(TRICKY_KEYS)
        return r.choice(WORDS).lower() + ("" if r.random() < 0.6 else f"_{r.randrange(10)}")

    def number(self) -> int | float:
        r = self.r
        pick = r.random()
        if pick < 0.3:
            return r.randrange(-50, 1000)
        if pick < 0.45:
            return r.choice(SPECIAL_INTS)
        if pick < 0.65:
            return r.choice(SPECIAL_FLOATS)
        if pick < 0.85:
            return round(r.uniform(-1000, 1000), r.randrange(0, 4))
        return r.random() * 10.0 ** r.randrange(-12, 25)

    def scalar(self) -> Any:
        r = self.r
        pick = r.random()
        if pick < 0.4:
            return self.string()
        if pick < 0.8:
            return self.number()
        if pick < 0.9:
            return r.random() < 0.5
        return None

    def keys(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            key = self.key()
            if key not in out:
                out.append(key)
        return out

    def record(self, keys: list[str], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in keys:
            pick = self.r.random()
            if depth < 2 and pick < 0.08:
                out[key] = self.obj(depth + 1, self.r.randrange(1, 4))
            elif depth < 2 and pick < 0.14:
                out[key] = [self.scalar() for _ in range(self.r.randrange(0, 4))]
            else:
                out[key] = self.scalar()
        return out

    def records(self, depth: int) -> list[Any]:
        """Uniform-ish records: tables, optional keys, nested groups, JSON columns."""
        r = self.r
        keys = self.keys(r.randrange(1, 6))
        nested = self.keys(r.randrange(1, 3)) if r.random() < 0.3 else None
        rows: list[Any] = []
        for i in range(r.randrange(1, 9)):
            row = self.record(keys, depth)
            if i and r.random() < 0.25:
                row.pop(r.choice(keys[1:] or keys), None)
            if r.random() < 0.1 and i:
                items = list(row.items())
                r.shuffle(items)
                row = dict(items)
            if nested is not None:
                row["sub"] = {k: self.scalar() for k in nested}
            if r.random() < 0.15:
                row["items"] = [
                    {"sku": self.string(), "qty": r.randrange(5)} for _ in range(r.randrange(3))
                ]
            rows.append(row or {"id": i})
        return rows

    def obj(self, depth: int, width: int) -> dict[str, Any]:
        return {key: self.any(depth + 1) for key in self.keys(width)}

    def any(self, depth: int) -> Any:
        r = self.r
        if depth >= 4:
            return self.scalar()
        pick = r.random()
        if pick < 0.35:
            return self.scalar()
        if pick < 0.55:
            return self.obj(depth, r.randrange(0, 5))
        if pick < 0.7:
            return [self.scalar() for _ in range(r.randrange(0, 6))]
        if pick < 0.82:
            return self.records(depth)
        if pick < 0.9:
            return [self.any(depth + 1) for _ in range(r.randrange(0, 4))]
        keys = self.keys(r.randrange(2, 5))
        return {self.key() + str(i): self.record(keys, depth + 1) for i in range(r.randrange(2, 6))}

    def catalog(self) -> list[Any]:
        """Records with whole floats (KTOF float columns) and small config-like objects
        (flow values with bare keys and strings), the shapes issue 16 added constructs for."""
        r = self.r
        rows: list[Any] = []
        for _ in range(r.randrange(2, 9)):
            row: dict[str, Any] = {"sku": f"{r.choice(WORDS)}-{r.randrange(100)}"}
            row["price"] = (
                float(r.randrange(1, 500)) if r.random() < 0.7 else r.randrange(1, 99) / 4
            )
            if r.random() < 0.8:
                row["rating"] = r.choice([4.0, 4.5, 5.0, 3.0, -0.0, None])
            if r.random() < 0.5:
                row["opts"] = {
                    "lib": [r.choice(["es2023", "dom", "a b", "1.5", "x:y"])],
                    "on": r.random() < 0.5,
                }
            rows.append(row)
        return rows

    def document(self) -> Any:
        r = self.r
        if r.random() < 0.1:
            return self.catalog() if r.random() < 0.6 else {"items": self.catalog(), "total": 1.0}
        pick = r.random()
        if pick < 0.3:
            return self.records(0)
        if pick < 0.55:
            return self.obj(0, r.randrange(1, 7))
        if pick < 0.65:
            keys = self.keys(r.randrange(1, 5))
            return {f"{self.key()}{i}": self.record(keys, 1) for i in range(r.randrange(2, 7))}
        if pick < 0.72:
            return [
                [self.scalar() for _ in range(r.randrange(0, 4))] for _ in range(r.randrange(1, 5))
            ]
        if pick < 0.78:
            return self.scalar()
        if pick < 0.8:
            return r.choice([{}, [], {"a": {}}, {"a": []}, [{}], [[]], [{}, {}]])
        return self.any(0)

    def options(self) -> dict[str, Any]:
        r = self.r
        options: dict[str, Any] = {}
        if r.random() < 0.3:
            options["mode"] = "toon"
        if r.random() < 0.25:
            options["model"] = "gpt-4"
        pick = r.random()
        if pick < 0.15:
            options["delimiter"] = "\t"
        elif pick < 0.3:
            options["delimiter"] = "|"
        if r.random() < 0.15:
            options["indentSize"] = 4
        return options


def _encode_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    return {
        "mode": options.get("mode", "auto"),
        "model": options.get("model", "gpt-4o"),
        "delimiter": options.get("delimiter", ","),
        "indent": options.get("indentSize", 2),
    }


def corpus_file(index: int) -> dict[str, Any]:
    """The ``index``-th corpus file: seeded inputs with Python's texts and decoded values."""
    gen = Gen(SEED + index)
    documents: list[dict[str, Any]] = []
    for n in range(DOCUMENTS_PER_FILE):
        value = gen.document()
        options = gen.options()
        kwargs = _encode_kwargs(options)
        text = encode(value, **kwargs)
        doc: dict[str, Any] = {"name": f"cross-{index}-{n}", "input": value, "options": options}
        doc["expected"] = text
        # What decode returns for the text (type-exact): the input itself in auto mode, TOON's
        # reading (3.0 -> 3, -0.0 -> 0) in toon mode.
        doc["decoded"] = decode(text, indent=kwargs["indent"])
        documents.append(doc)
    return {
        "version": 1,
        "generator": "python/scripts/make_cross_vectors.py",
        "seed": SEED + index,
        "documents": documents,
    }


TOKEN_MODELS = ("gpt-4o", "gpt-4", "claude-3-5-sonnet", "o3-mini", "azure/gpt-35-turbo")
ROUTING_MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "GPT-4O",
    "openai/gpt-4.1",
    "ft:gpt-4o:org::id",
    "gpt-4",
    "gpt-4-turbo",
    "gpt-3.5-turbo",
    "gpt-35-turbo",
    "o1",
    "o1-mini",
    "o3",
    "o4-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-oss-20b",
    "chatgpt-4o-latest",
    "text-embedding-3-small",
    "text-embedding-ada-002",
    "davinci-002",
    "claude-3-5-sonnet",
    "anthropic/claude-x",
    "gemini-2.0",
    "llama-3",
    "mistral-large",
    "unknown-model",
    "",
)


def token_texts() -> list[str]:
    """Texts whose counts both SDKs must agree on: unicode, emoji, digits, whitespace runs."""
    r = random.Random(SEED)
    texts = [
        "",
        " ",
        "\n",
        "\n\n\n",
        "   \n  ",
        "\t\t",
        "hello world",
        "Hello, World!",
        "a:1\n",
        "a: 1\n",
        "12345678901234567890123",
        "3.14159265358979",
        "1e-7",
        "0.30000000000000004",
        "-0.0",
        "<|endoftext|>",
        "<|im_start|>user<|im_end|>",
        "<|fim_prefix|>x",
        "café naïve",
        "中文字符",
        "日本語のテキスト",
        "😀😃😄 emoji 👍🏽👨‍👩‍👧",
        "مرحبا بالعالم",
        "ключ: значение",
        "x" * 200,
        " " * 37 + "x",
        "\n" * 5 + "/a",
        "]\n/path",
        '{"a":1,"b":[1,2,3]}',
        ' {"a":1}',
        ' {";/":1}',
        "[3]{id,name}:\n  1,Ada\n  2,Bob\n  3,Cy",
        "tab\there",
        "mixed \r\n endings\r\n",
        "   leading and trailing   ",
        "a" * 1000 + "\n" + "b" * 1000,
        "0" * 300,
        "1234567890" * 40,
        "\x00\x01\x02\x7f",
        "\u200b\u200d\ufeff",
        "ﬁ ligature",
        "Ä" * 30,
        "🙂" * 50,
        # Where JavaScript's \s and gpt-tokenizer's byte lookup differ from tiktoken's:
        "\ufeff",
        "\ufeffusing System;",
        "a\ufeff#b",
        "\ufeff\ufeff\n",
        "x\x85y",
        "\x85\x85 z",
        "a\u00a0b",
        "\u3000\u3000x",
        "\u2028\u2029",
        "\u1680 \u180e",
        "\x1c\x1d\x1e\x1f",
        "\x0b\x0c",
    ]
    alphabet = "abc XYZ 019 ,:;|-#\"\\[]{}\t\n é 中 😀 \u0301 /._'!?\ufeff\x85\u00a0"
    for _ in range(150):
        texts.append("".join(r.choice(alphabet) for _ in range(r.randrange(1, 80))))
    return texts


def token_vectors() -> dict[str, Any]:
    texts = token_texts()
    counts = {model: [count_tokens(text, model) for text in texts] for model in TOKEN_MODELS}
    routing = []
    for model in ROUTING_MODELS:
        info = tokenizer_info(model)
        routing.append({"model": model, "encoding": info.encoding, "exact": info.exact})
    return {
        "version": 1,
        "generator": "python/scripts/make_cross_vectors.py",
        "texts": texts,
        "counts": counts,
        "routing": routing,
    }


def render(data: dict[str, Any], list_key: str) -> str:
    """JSON with one list entry per line, so diffs of regenerated files stay readable."""
    head = {k: v for k, v in data.items() if k != list_key}
    lines = [json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in data[list_key]]
    body = ",\n".join(lines)
    prefix = json.dumps(head, ensure_ascii=False, indent=None)[:-1]
    return f'{prefix}, "{list_key}": [\n{body}\n]}}\n'


def expected_files() -> dict[Path, str]:
    files = {
        CROSS_DIR / f"corpus-{i:02d}.json": render(corpus_file(i), "documents")
        for i in range(FILES)
    }
    files[TOKENS_FILE] = render(token_vectors(), "texts")
    return files


def main() -> int:
    for path, text in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
