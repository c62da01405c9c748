// Per-client token buckets (capacity `burst`, refilled at `perSecond`), for writes and for the reads that
// start work in the pool: one client cannot take the server from the others.

export interface RateLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets untouched this long are dropped (a client that went away). */
const IDLE_MS = 10 * 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweptMs = 0;

  constructor(
    readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens for `client`; returns 0 when allowed, else the seconds to wait. */
  take(client: string, cost = 1): number {
    const now = this.clock();
    if (now - this.sweptMs > IDLE_MS) this.sweep(now);
    let bucket = this.buckets.get(client);
    if (!bucket) {
      bucket = { tokens: this.limit.burst, updatedMs: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.limit.perSecond);
    bucket.updatedMs = now;
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.ceil((cost - bucket.tokens) / this.limit.perSecond);
  }

  private sweep(now: number): void {
    this.sweptMs = now;
    for (const [client, bucket] of this.buckets) if (now - bucket.updatedMs > IDLE_MS) this.buckets.delete(client);
  }
}

/**
 * Limits from an environment value "perSecond/burst" (e.g. "20/40"), "off", or the default when unset.
 * Throws naming the variable when the value is malformed.
 */
export function parseRateLimit(name: string, text: string | undefined, fallback: RateLimit): RateLimit | null {
  if (text === undefined || text === '') return fallback;
  if (text === 'off') return null;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text.trim());
  if (!match || !(Number(match[1]) > 0) || !(Number(match[2]) >= 1)) throw new Error(`${name}: expected "perSecond/burst" (e.g. 20/40) or "off", got "${text}"`);
  return { perSecond: Number(match[1]), burst: Number(match[2]) };
}
