"""The format instructions that ask a model to answer in TOON.

Output tokens are the expensive ones; TOON answers are shorter than JSON for lists of
records, and any TOON 4.0 text is valid KTOF, so the parser reads it exactly.
"""

from __future__ import annotations

import json
from typing import Any

from kaizen_client.ktof import encode

_EXAMPLE = {
    "status": "ok",
    "tags": ["a", "b"],
    "items": [
        {"id": 1, "name": "Ada", "price": 9.5},
        {"id": 2, "name": "Bob", "price": 3.25},
    ],
}

_RULES = """\
Answer with TOON (Token-Oriented Object Notation), a compact, indentation-based form of JSON:
- one `key: value` per line; a nested object is `key:` followed by its fields indented by 2 spaces;
- a list of plain values: `key[N]: v1,v2,...` where N is the number of values;
- a list of objects with the same keys is a table: `key[N]{{field1,field2,...}}:` and then one
  row per object, indented by 2 spaces, with the values separated by commas;
- quote a string ("like this") only if it contains a comma or colon, has leading or trailing
  spaces, is empty, or would otherwise read as a number, true, false or null.
Example:
```toon
{example}
```
Put the whole answer in one ```toon fenced block, with nothing else in the block."""

_SCHEMA = """
The data must follow this JSON schema (write it as TOON, not JSON):
{schema}"""


def format_instructions(schema: dict[str, Any] | None = None) -> str:
    """Instructions for a prompt; ``schema`` (a JSON schema) is appended when given."""
    text = _RULES.format(example=encode(_EXAMPLE, mode="toon"))
    if schema is not None:
        reduced = {k: v for k, v in schema.items() if k not in ("title", "type")}
        text += _SCHEMA.format(schema=json.dumps(reduced, ensure_ascii=False))
    return text
