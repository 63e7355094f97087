"""Questions with gold answers, generated deterministically from the data (or read from a file).

Kinds, after the TOON retrieval benchmark: ``lookup`` (a field of the record with a given key),
``multi-hop`` (a field of a nested object of that record, or the length of a nested list),
``count``, ``filter`` (how many records have a field equal to a value), ``range`` (how many /
which records have a number between two bounds), ``date`` (how many / which records have a
date before or after a day), ``aggregate`` (sum / largest of a numeric field), ``existence``
(is there a record with this key; half the answers are false) and ``structure`` (how many
fields a record has and which, its nesting depth, how many records carry an optional field).
The gold answer is computed from the data itself, so a question cannot disagree with its
dataset. List answers are the values in data order separated by commas.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .data import Dataset

KINDS = (
    "lookup",
    "multi-hop",
    "count",
    "filter",
    "range",
    "date",
    "aggregate",
    "existence",
    "structure",
)


@dataclass(frozen=True)
class Question:
    """One question about one dataset, with its normalised gold answer."""

    id: str
    dataset: str
    kind: str
    text: str
    gold: str


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_LIST_COMMA = re.compile(r"\s*,\s*")


def _number(text: str) -> str | None:
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        x = float(text)
    except ValueError:
        return None
    if not math.isfinite(x):
        return None
    if x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return repr(round(x, 6))


def normalise(answer: Any) -> str:
    """An answer (model text or a gold value) in the form exact match compares: numbers in one
    spelling (``1,000.0`` = ``1000``), booleans as true/false (yes/no too), case, surrounding
    quotes, a trailing full stop and runs of whitespace ignored, and a list's commas spaced
    one way (``A1, A2`` = ``a1,a2``)."""
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if answer is None:
        return "null"
    if isinstance(answer, (int, float)):
        return _number(repr(answer)) or str(answer).lower()
    text = " ".join(str(answer).split()).strip().strip("`'\"").strip().rstrip(".").strip()
    text = text.lower()
    if text in ("yes", "true"):
        return "true"
    if text in ("no", "false"):
        return "false"
    return _number(text) or _LIST_COMMA.sub(", ", text)


def spell(value: Any) -> str:
    """A value as it is written inside a question."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def find_records(dataset: Dataset) -> tuple[str, list[dict[str, Any]]] | None:
    """The collection questions are about: a top-level list of objects (named after the
    dataset), the first object-list field of a top-level object (named after the field), or a
    top-level map of objects (named after the dataset, its keys as the field ``key``)."""
    value = dataset.value
    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        return dataset.name, value
    if isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(sub, list) and sub and all(isinstance(r, dict) for r in sub):
                return str(key), sub
        # A keyed map ({"u1": {...}, "u2": {...}}): its keys become the records' "key" field.
        subs = list(value.values())
        if len(subs) >= 2 and all(isinstance(r, dict) and "key" not in r for r in subs):
            return dataset.name, [{"key": k, **r} for k, r in value.items()]
    return None


def _common_fields(records: list[dict[str, Any]]) -> list[str]:
    first = list(records[0])
    return [f for f in first if all(f in r for r in records)]


def _optional_fields(records: list[dict[str, Any]], common: list[str]) -> list[str]:
    """Fields some records have and others lack (semi-uniform data), in first-seen order."""
    seen: dict[str, None] = {}
    for r in records:
        seen.update((f, None) for f in r if f not in common)
    return list(seen)


def _key_field(records: list[dict[str, Any]], fields: list[str]) -> str | None:
    for f in fields:
        values = [r[f] for r in records]
        keyish = all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values)
        if keyish and len({spell(v) for v in values}) == len(values):
            return f
    return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ].*)?$")


def is_date(value: Any) -> bool:
    """An ISO 8601 date or date-time string (``2024-03-05``, ``2024-03-05T10:20:00Z``)."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def depth(value: Any) -> int:
    """Levels of objects and lists: a plain value is 0, ``{"a": 1}`` is 1, ``{"a": [{}]}`` 3."""
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def in_range(value: Any, low: float, high: float) -> bool:
    """The range filter's rule: a number between ``low`` and ``high``, both included."""
    return _is_number(value) and bool(low <= value <= high)


def on_date(value: Any, direction: str, day: str) -> bool:
    """The date filter's rule: the value's calendar date (its first ten characters, so a
    time and zone are ignored) strictly ``before`` or ``after`` ``day`` (YYYY-MM-DD)."""
    if not is_date(value):
        return False
    own = str(value)[:10]
    return own < day if direction == "before" else own > day


def join_list(values: list[Any]) -> str:
    """A list answer: the values in data order, separated by commas."""
    return ", ".join(spell(v) for v in values)


LIST_TAIL = ", in data order, separated by commas."
DEPTH_RULE = (
    "counting the record itself as 1 and each object or list nested inside it as one more level"
)
MAX_LISTED = 5
"""A list question is only asked when 1 to this many records match (a long list is a count)."""


def generate_questions(dataset: Dataset, per_kind: int = 2, *, seed: int = 18) -> list[Question]:
    """Up to ``per_kind`` questions of each kind about ``dataset``; the same every run."""
    found = find_records(dataset)
    if found is None:
        return []
    coll, records = found
    value = dataset.value
    keyed_map = isinstance(value, dict) and not isinstance(value.get(coll), list)
    rng = random.Random(f"{seed}:{dataset.name}")
    fields = _common_fields(records)
    key = _key_field(records, fields)
    scalars = [f for f in fields if f != key and all(_is_scalar(r[f]) for r in records)]
    numbers = [f for f in scalars if all(_is_number(r[f]) for r in records)]
    dates = [f for f in scalars if all(is_date(r[f]) for r in records)]
    categories = [
        f
        for f in scalars
        if f not in numbers
        and f not in dates
        and len({spell(r[f]) for r in records}) <= max(2, len(records) // 2)
    ]
    nested = [
        (f, s)
        for f in fields
        if all(isinstance(r[f], dict) for r in records)
        for s in records[0][f]
        if all(s in r[f] and _is_scalar(r[f][s]) for r in records)
    ]
    lists = [f for f in fields if all(isinstance(r[f], list) for r in records)]
    optional = _optional_fields(records, fields)
    out: list[tuple[str, str, Any]] = []
    where = f"the {coll} record whose {key} is"

    def listing(cond: str, matches: list[dict[str, Any]]) -> tuple[str, str] | None:
        """``(question, gold)`` asking for the matching records' keys, when short enough."""
        if key is None or not 1 <= len(matches) <= MAX_LISTED:
            return None
        text = f"List the {key} of every {coll} record whose {cond}{LIST_TAIL}"
        return (text, join_list([r[key] for r in matches]))

    if key is not None:
        for _ in range(per_kind if scalars else 0):
            r, f = rng.choice(records), rng.choice(scalars)
            out.append(("lookup", f"What is the {f} of {where} {spell(r[key])}?", r[f]))
        for _ in range(per_kind if nested else 0):
            r, (f, s) = rng.choice(records), rng.choice(nested)
            out.append(("multi-hop", f"What is the {f}.{s} of {where} {spell(r[key])}?", r[f][s]))
        for _ in range(1 if lists else 0):
            r, f = rng.choice(records), rng.choice(lists)
            text = f"How many entries does the {f} list of {where} {spell(r[key])} have?"
            out.append(("multi-hop", text, len(r[f])))
    out.append(("count", f"How many {coll} records are there?", len(records)))
    for _ in range(per_kind if categories else 0):
        f = rng.choice(categories)
        wanted = spell(rng.choice(records)[f])
        n = sum(spell(r[f]) == wanted for r in records)
        out.append(("filter", f"How many {coll} records have {f} equal to {wanted}?", n))

    def count_or_list(
        kind: str, i: int, field: str, cond: str, matches: list[dict[str, Any]]
    ) -> None:
        """Every other question of a kind lists the matching records (when 1-5 match)."""
        listed = listing(f"{field} is {cond}", matches)
        if i % 2 == 1 and listed is not None:
            out.append((kind, listed[0], listed[1]))
        else:
            out.append((kind, f"How many {coll} records have {field} {cond}?", len(matches)))

    for i in range(per_kind if numbers else 0):
        f = rng.choice(numbers)
        low, high = sorted((rng.choice(records)[f], rng.choice(records)[f]))
        matches = [r for r in records if in_range(r[f], low, high)]
        count_or_list("range", i, f, f"between {spell(low)} and {spell(high)} inclusive", matches)
    for i in range(per_kind if dates else 0):
        f = rng.choice(dates)
        day = str(rng.choice(records)[f])[:10]
        direction = ("before", "after")[i % 2]
        matches = [r for r in records if on_date(r[f], direction, day)]
        count_or_list("date", i, f, f"on a date {direction} {day}", matches)
    for i in range(per_kind if numbers else 0):
        f = rng.choice(numbers)
        if i % 2 == 0:
            total = round(sum(r[f] for r in records), 2)
            out.append(("aggregate", f"What is the sum of {f} over all {coll} records?", total))
        else:
            out.append(
                (
                    "aggregate",
                    f"What is the largest {f} among the {coll} records?",
                    max(r[f] for r in records),
                )
            )
    if key is not None:
        for i in range(per_kind):
            if i % 2 == 0:
                v: Any = rng.choice(records)[key]
            else:
                v = (
                    f"{spell(records[0][key])}-missing"
                    if isinstance(records[0][key], str)
                    else (max(r[key] for r in records) + 1000)
                )
            exists = any(spell(r[key]) == spell(v) for r in records)
            out.append(
                ("existence", f"Is there any {coll} record whose {key} is {spell(v)}?", exists)
            )
        out.extend(_structure(rng, records, coll, key, optional, keyed_map, per_kind))
    return [
        Question(f"{dataset.name}-{i:03d}", dataset.name, kind, text, normalise(gold))
        for i, (kind, text, gold) in enumerate(out)
    ]


def _structure(
    rng: random.Random,
    records: list[dict[str, Any]],
    coll: str,
    key: str,
    optional: list[str],
    keyed_map: bool,
    per_kind: int,
) -> list[tuple[str, str, Any]]:
    """Questions about the shape, not the values: how many fields a record has and which,
    how deeply it nests, how many records carry an optional field. (A keyed map's records
    get their ``key`` from the map, so their own fields are not asked about.)"""
    variants = ["depth"] if keyed_map else ["count", "names", "depth"]
    if optional:
        variants.insert(1, "optional")
    out: list[tuple[str, str, Any]] = []
    for i in range(per_kind):
        r = rng.choice(records)
        where = f"the {coll} record whose {key} is {spell(r[key])}"
        variant = variants[i % len(variants)]
        if variant == "count":
            out.append(("structure", f"How many fields does {where} have?", len(r)))
        elif variant == "names":
            text = f"Which fields does {where} have? List their names{LIST_TAIL}"
            out.append(("structure", text, join_list(list(r))))
        elif variant == "optional":
            f = rng.choice(optional)
            n = sum(f in rec for rec in records)
            out.append(("structure", f"How many {coll} records have a field named {f}?", n))
        else:
            text = f"What is the nesting depth of {where}, {DEPTH_RULE}?"
            out.append(("structure", text, depth(r)))
    return out


def load_questions(path: str, datasets: list[Dataset]) -> list[Question]:
    """A user's questions: a JSON list (or JSON lines) of ``{"question", "answer"}`` objects,
    with ``"dataset"`` (required when there is more than one) and an optional ``"kind"``."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        rows = json.loads(text)
    except json.JSONDecodeError:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    names = {d.name for d in datasets}
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or "question" not in row or "answer" not in row:
            raise ValueError(f'{path}: entry {i} needs "question" and "answer"')
        name = row.get("dataset") or (datasets[0].name if len(datasets) == 1 else None)
        if name not in names:
            raise ValueError(f"{path}: entry {i}: dataset {name!r} is not one of {sorted(names)}")
        kind = str(row.get("kind", "custom"))
        out.append(
            Question(f"q-{i:03d}", str(name), kind, str(row["question"]), normalise(row["answer"]))
        )
    return out
