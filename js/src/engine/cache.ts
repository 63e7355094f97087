/**
 * A small LRU cache so repeated agent turns skip re-encoding the same JSON (Python's
 * `engine/cache.py`). A `Map` iterates in insertion order, so re-inserting a key on each hit
 * keeps the least recently used entry first. JavaScript runs one call at a time per thread,
 * so no lock is needed.
 */

/** Entries kept by the engine's shared cache (strings and fragments together). */
export const DEFAULT_CACHE_SIZE = 1024;
/** Texts longer than this are not cached, so one huge prompt cannot pin much memory. */
export const MAX_CACHED_CHARS = 1_000_000;

export class LRUCache<V> {
  readonly #data = new Map<string, V>();
  #maxsize: number;
  hits = 0;
  misses = 0;

  constructor(maxsize = DEFAULT_CACHE_SIZE) {
    if (maxsize < 0) throw new RangeError("maxsize must be >= 0");
    this.#maxsize = maxsize;
  }

  get maxsize(): number {
    return this.#maxsize;
  }

  get size(): number {
    return this.#data.size;
  }

  /** The cached value (marked as recently used), or undefined. */
  get(key: string): V | undefined {
    const value = this.#data.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.#data.delete(key);
    this.#data.set(key, value);
    this.hits++;
    return value;
  }

  /** Remember `value`, evicting the oldest entries beyond `maxsize`. */
  put(key: string, value: V): void {
    if (this.#maxsize === 0) return;
    this.#data.delete(key);
    this.#data.set(key, value);
    this.#evict();
  }

  /** Change the bound at run time; shrinking evicts the oldest entries. */
  resize(maxsize: number): void {
    if (maxsize < 0) throw new RangeError("maxsize must be >= 0");
    this.#maxsize = maxsize;
    this.#evict();
  }

  clear(): void {
    this.#data.clear();
    this.hits = 0;
    this.misses = 0;
  }

  #evict(): void {
    while (this.#data.size > this.#maxsize) {
      const oldest = this.#data.keys().next();
      if (oldest.done === true) return;
      this.#data.delete(oldest.value);
    }
  }
}

/** The cache shared by all calls of `compressMessages`. */
export const ENGINE_CACHE = new LRUCache<unknown>();

/** Set how many entries the engine keeps (0 disables caching). */
export function configureCache(maxsize: number): void {
  ENGINE_CACHE.resize(maxsize);
}

/** Forget every cached result (tests and benchmarks use this for cold runs). */
export function clearCache(): void {
  ENGINE_CACHE.clear();
}
