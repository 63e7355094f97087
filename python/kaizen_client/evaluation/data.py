"""Datasets to ask about: the user's JSON (a file, a directory, JSON lines) or built-in samples.

The samples are small and generated from a fixed seed, so the same questions come out on
every machine and a run costs a few cents, not dollars.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Dataset:
    """One named JSON value the questions are asked about."""

    name: str
    value: Any


def _load_file(path: Path) -> Dataset:
    text = path.read_text(encoding="utf-8")
    try:
        value: Any = json.loads(text)
    except json.JSONDecodeError as first:
        if path.suffix not in (".jsonl", ".ndjson"):
            raise ValueError(f"{path}: not JSON (line {first.lineno}: {first.msg})") from None
        value = None
    if value is None or path.suffix in (".jsonl", ".ndjson"):
        rows = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{number}: not a JSON line ({err.msg})") from None
        value = rows
    return Dataset(path.stem, value)


def load_datasets(paths: list[str]) -> list[Dataset]:
    """Every JSON/JSON-lines file named, directories expanded (sorted, so runs repeat)."""
    found: list[Dataset] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl", ".ndjson"))
            if not files:
                raise ValueError(f"{path}: no .json/.jsonl files in this directory")
            found.extend(_load_file(p) for p in files)
        elif path.is_file():
            found.append(_load_file(path))
        else:
            raise ValueError(f"{path}: no such file or directory")
    return found


_FIRST = ["Ada", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
_LAST = ["Kim", "Okafor", "Silva", "Novak", "Berg", "Ito", "Roy", "Lund", "Moreau", "Diaz"]
_DEPTS = ["sales", "engineering", "support", "finance"]
_CITIES = ["Lisbon", "Osaka", "Lagos", "Oslo", "Quito", "Perth"]
_SKUS = ["desk", "lamp", "chair", "cable", "monitor", "mug"]


def _employees(rng: random.Random, n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": 100 + i,
            "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            "department": rng.choice(_DEPTS),
            "salary": rng.randrange(40, 160) * 1000,
            "active": rng.random() < 0.8,
            "hired": f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        for i in range(n)
    ]


def _orders(rng: random.Random, n: int) -> dict[str, Any]:
    orders = []
    for i in range(n):
        items = [
            {"sku": rng.choice(_SKUS), "qty": rng.randint(1, 5)} for _ in range(rng.randint(1, 3))
        ]
        order: dict[str, Any] = {
            "order_id": f"A{1000 + i}",
            "placed_at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(0, 23):02d}:{rng.choice(['05', '20', '45'])}:00Z",
            "customer": {"name": rng.choice(_FIRST), "city": rng.choice(_CITIES)},
            "total": round(rng.uniform(10, 500), 2),
            "status": rng.choice(["paid", "shipped", "refunded"]),
            "items": items,
        }
        if rng.random() < 0.3:  # an optional field: semi-uniform records, as real exports are
            order["coupon"] = rng.choice(["SPRING10", "VIP", "WELCOME5"])
        orders.append(order)
    return {"orders": orders}


def sample_datasets(size: int = 20, *, seed: int = 18) -> list[Dataset]:
    """The built-in samples, ``size`` records each: flat records with a hiring date
    (employees) and nested ones with a timestamp and an optional field (orders)."""
    rng = random.Random(seed)
    return [Dataset("employees", _employees(rng, size)), Dataset("orders", _orders(rng, size))]
