"""Input-token prices for turning tokens saved into dollars, from LiteLLM's price map.

Kaizen ships no prices of its own (they change, and a guess shown as a fact is worse than
nothing). When LiteLLM is installed, its bundled ``model_prices_and_context_window_backup.json``
(the map ``litellm.model_cost`` starts from) is read as a file, without importing LiteLLM
and without the network; a model it does not list, or no LiteLLM, gives ``None``.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

PRICE_FILE = "model_prices_and_context_window_backup.json"
SOURCE = "LiteLLM price map (model_prices_and_context_window_backup.json)"


@functools.lru_cache(maxsize=1)
def _price_map() -> dict[str, Any]:
    try:
        spec = importlib.util.find_spec("litellm")
    except (ImportError, ValueError):
        return {}
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / PRICE_FILE
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
    return {}


def input_price(model: str, provider: str | None = None) -> float | None:
    """US dollars per input token of ``model`` (tried bare and as ``provider/model``)."""
    prices = _price_map()
    for name in (model, f"{provider}/{model}" if provider else None):
        entry = prices.get(name) if name else None
        price = entry.get("input_cost_per_token") if isinstance(entry, dict) else None
        if isinstance(price, (int, float)):
            return float(price)
    return None


__all__ = ["SOURCE", "input_price"]
