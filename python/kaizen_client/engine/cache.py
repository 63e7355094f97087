"""A small thread-safe LRU cache so repeated agent turns skip re-encoding the same JSON.

``functools.lru_cache`` cannot be resized at run time or shared between two kinds of key,
so this keeps an ``OrderedDict`` behind a lock. Values are computed outside the lock: two
threads missing the same key at once both compute it, which is harmless because the
engine is deterministic.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

DEFAULT_CACHE_SIZE = 1024
"""Entries kept by the engine's shared cache (strings and fragments together)."""

MAX_CACHED_CHARS = 1_000_000
"""Texts longer than this are not cached, so one huge prompt cannot pin much memory."""


class LRUCache:
    """Bounded mapping that forgets the least recently used entry first."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE) -> None:
        if maxsize < 0:
            raise ValueError("maxsize must be >= 0")
        self._maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def maxsize(self) -> int:
        return self._maxsize

    def get(self, key: Hashable) -> Any | None:
        """The cached value (marked as recently used), or ``None``."""
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Remember ``value``, evicting the oldest entries beyond ``maxsize``."""
        if self._maxsize == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)

    def resize(self, maxsize: int) -> None:
        """Change the bound at run time; shrinking evicts the oldest entries."""
        if maxsize < 0:
            raise ValueError("maxsize must be >= 0")
        with self._lock:
            self._maxsize = maxsize
            while len(self._data) > maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = 0
            self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


ENGINE_CACHE = LRUCache()
"""The cache shared by all calls of :func:`kaizen_client.engine.compress_messages`."""


def configure_cache(maxsize: int) -> None:
    """Set how many entries the engine keeps (0 disables caching)."""
    ENGINE_CACHE.resize(maxsize)


def clear_cache() -> None:
    """Forget every cached result (tests and benchmarks use this for cold runs)."""
    ENGINE_CACHE.clear()
