"""The engine's LRU cache: bounded, resizable, safe to share between threads."""

from __future__ import annotations

import threading

import pytest

from kaizen_client.engine.cache import LRUCache


def test_evicts_least_recently_used() -> None:
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_resize_and_disable() -> None:
    cache = LRUCache(4)
    for i in range(4):
        cache.put(i, i)
    cache.resize(1)
    assert len(cache) == 1 and cache.get(3) == 3
    cache.resize(0)
    cache.put("x", 1)
    assert len(cache) == 0
    with pytest.raises(ValueError):
        cache.resize(-1)
    with pytest.raises(ValueError):
        LRUCache(-1)


def test_threads_share_it_safely() -> None:
    cache = LRUCache(64)

    def work(offset: int) -> None:
        for i in range(2_000):
            key = (offset + i) % 100
            if cache.get(key) is None:
                cache.put(key, key)

    threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 64
    assert cache.hits + cache.misses == 16_000
