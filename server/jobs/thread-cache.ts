// The one cache of a thread's intermediate results (per-kind network costs, study areas, siting
// sessions …): least recently used entries go first once the byte budget is spent (lru-cache, maxSize).

import { LRUCache } from 'lru-cache';

/** Default budget of a thread's cache, bytes. */
export const DEFAULT_THREAD_CACHE_BYTES = 192 * 1024 * 1024;

interface Entry {
  value: unknown;
  bytes: number;
}

export class ThreadCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(readonly maxBytes: number = DEFAULT_THREAD_CACHE_BYTES) {
    this.entries = new LRUCache<string, Entry>({ maxSize: maxBytes, sizeCalculation: (entry) => Math.max(1, entry.bytes) });
  }

  /**
   * The value under `key`, computed (and kept) on a miss. `bytesOf` estimates what the value holds; a
   * value larger than the whole budget is returned but not kept. Keys carry the data version.
   */
  memo<T>(key: string, compute: () => T, bytesOf: (value: T) => number): T {
    const hit = this.entries.get(key);
    if (hit) return hit.value as T;
    const value = compute();
    const bytes = Math.ceil(bytesOf(value));
    if (bytes <= this.maxBytes) this.entries.set(key, { value, bytes });
    return value;
  }

  /** The value under `key` if cached (marks it recently used). */
  get<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  set<T>(key: string, value: T, bytes: number): void {
    if (bytes <= this.maxBytes) this.entries.set(key, { value, bytes: Math.ceil(bytes) });
  }

  /** Bytes held and entries. */
  get usage(): { bytes: number; entries: number } {
    return { bytes: this.entries.calculatedSize, entries: this.entries.size };
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Rough bytes of a JSON-like value (strings 2 bytes a character, numbers 8, typed arrays their length). */
export function estimateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 8;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (ArrayBuffer.isView(value)) return value.byteLength + 64;
  if (depth > 64) return 64;
  if (Array.isArray(value)) {
    let total = 16;
    for (const item of value) total += estimateBytes(item, depth + 1);
    return total;
  }
  if (value instanceof Map) {
    let total = 64;
    for (const [key, item] of value) total += estimateBytes(key, depth + 1) + estimateBytes(item, depth + 1);
    return total;
  }
  if (typeof value === 'object') {
    let total = 32;
    for (const [key, item] of Object.entries(value)) total += 2 * key.length + estimateBytes(item, depth + 1);
    return total;
  }
  return 8;
}
