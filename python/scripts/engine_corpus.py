"""Python's engine over chat messages built from the cross-language corpus, as JSON lines.

The TypeScript engine's differential test (``js/test/engine/corpus.test.ts``) runs this
script and must produce the same compressed messages and reports for every case. The cases
are built deterministically from the committed corpus (``shared/fixtures/cross/*.json``,
thousands of seeded documents): each document is placed in a message in one of five ways
(the whole content pretty-printed, embedded in prose, in a ``json`` fence, as JSON lines
when it is a list of objects, as an Anthropic ``tool_result``), with the document's codec
options as engine options. Output: one JSON object per line, ``{"name", "model",
"options", "messages", "expected_messages", "expected_report"}``.

Usage: ``python python/scripts/engine_corpus.py [LIMIT]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kaizen_client.engine import CompressionOptions, compress_messages

CROSS = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "cross"


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _messages(index: int, value: Any) -> list[dict[str, Any]]:
    style = index % 5
    if style == 0:
        content: Any = _dumps(value, 2)
    elif style == 1:
        content = f"Here is the data: {_dumps(value)} - summarise it."
    elif style == 2:
        content = f"Data:\n```json\n{_dumps(value, 2)}\n```\nThanks."
    elif style == 3 and _records(value):
        content = "\n".join(_dumps(v) for v in value)
    else:
        content = [{"type": "tool_result", "tool_use_id": f"t{index}", "content": _dumps(value, 2)}]
    return [
        {"role": "system", "content": "Answer from the data."},
        {"role": "user", "content": content},
    ]


def _options(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    options: dict[str, Any] = {}
    if "mode" in spec:
        options["mode"] = spec["mode"]
    if "delimiter" in spec:
        options["delimiter"] = spec["delimiter"]
    if "indentSize" in spec:
        options["indent"] = spec["indentSize"]
    return spec.get("model", "gpt-4o"), options


def cases(limit: int | None = None) -> Any:
    index = 0
    for path in sorted(CROSS.glob("*.json")):
        for doc in json.loads(path.read_text(encoding="utf-8"))["documents"]:
            if limit is not None and index >= limit:
                return
            model, options = _options(doc["options"])
            messages = _messages(index, doc["input"])
            out, report = compress_messages(
                messages, model=model, options=CompressionOptions(**options)
            )
            yield {
                "name": doc["name"],
                "model": model,
                "options": options,
                "messages": messages,
                "expected_messages": out,
                "expected_report": report.to_dict(),
            }
            index += 1


def main(argv: list[str]) -> int:
    limit = int(argv[1]) if len(argv) > 1 else None
    write = sys.stdout.write
    for case in cases(limit):
        write(json.dumps(case, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
