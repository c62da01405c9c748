// The grid worker's outbox of case reports: each report gets its idempotency key when it is submitted
// and keeps it through every retry (the server answers a repeated key with the first case, so a report
// is created once however often its answer is lost); retries back off exponentially with jitter, a
// refusal (4xx) stops them, and the list is kept in storage so a reload resumes where it stopped.
// Pure: storage, sending, keys, clock and timers are passed in.

import type { DisputeSource, DisputeType } from '../../../../server/domain/dispute-categories';
import type { DisputeSeverity } from '../../../../server/domain/dispute-workflow';

/** What events.report takes, without the idempotency key (the outbox adds it). */
export interface ReportBody {
  /** [lng, lat] in degrees, WGS84. */
  lngLat: [number, number];
  type: DisputeType;
  source: DisputeSource;
  severity: DisputeSeverity;
  summary?: string;
  parties: { name: string; phone?: string; role?: string }[];
}

/** What events.report answers. */
export interface ReportResult {
  id: number;
  seq: number;
  version: number;
  placeCode: string;
  status: string;
}

/**
 * One report in the outbox:
 * - `pending`: waiting for its next attempt (`nextAttemptAt`, ms since epoch);
 * - `sent`: the server answered with a case (`result`); the body is dropped (it holds personal data);
 * - `failed`: refused by the server (`error`: its message); not retried.
 * A report being sent is `pending` in storage: a page that closes mid-request resends it with its key.
 */
export interface OutboxItem {
  key: string;
  /** Null once sent. */
  body: ReportBody | null;
  /** ms since epoch, when submitted. */
  createdAt: number;
  state: 'pending' | 'sent' | 'failed';
  /** Attempts made so far. */
  attempts: number;
  nextAttemptAt: number;
  /** The last failure's message (a retryable one for pending items, the refusal for failed ones). */
  error: string | null;
  /** The refusal's tRPC code (FORBIDDEN, BAD_REQUEST …) for failed items. */
  errorCode: string | null;
  /** The type, kept after the body is dropped, to name a sent report. */
  type: DisputeType;
  result: ReportResult | null;
  /** ms since epoch, when the server's answer arrived. */
  sentAt: number | null;
}

export interface OutboxStorage {
  load(): OutboxItem[];
  save(items: readonly OutboxItem[]): void;
}

/** Why a send failed: worth another try (network, 5xx, 408, 429, 401) or refused for good (other 4xx). */
export interface SendFailure {
  retry: boolean;
  message: string;
  code: string | null;
}

export interface OutboxOptions {
  storage: OutboxStorage;
  send: (body: ReportBody, key: string, signal: AbortSignal) => Promise<ReportResult>;
  /** A new idempotency key (8–100 of [A-Za-z0-9_-]: crypto.randomUUID() qualifies). */
  newKey: () => string;
  now?: () => number;
  /** In [0, 1): the jitter of the backoff. */
  random?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** An attempt still unanswered after this is aborted and retried. */
  attemptTimeoutMs?: number;
  /** Sent reports kept to show their case ids. */
  keepSent?: number;
}

/**
 * The delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most `maxMs`, times a jitter
 * factor in [0.5, 1) so that phones coming back online together do not retry in step.
 */
export function backoffDelayMs(attempts: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

/**
 * What a failed events.report call means for the outbox, read from a tRPC client error's `data`
 * ({ code, httpStatus }): no answer (network, timeout, a proxy's non-JSON page) and 5xx, 408 and 429
 * are retried; 401 too (the session ended: the report waits for the same user to log in again); any
 * other 4xx is the server refusing this report, which no retry mends.
 */
export function sendFailureOf(error: unknown): SendFailure {
  const message = error instanceof Error ? error.message : String(error);
  const data: unknown = typeof error === 'object' && error !== null ? (error as { data?: unknown }).data : undefined;
  const status = typeof data === 'object' && data !== null ? (data as { httpStatus?: unknown }).httpStatus : undefined;
  const code = typeof data === 'object' && data !== null ? (data as { code?: unknown }).code : undefined;
  const codeText = typeof code === 'string' ? code : null;
  if (typeof status !== 'number') return { retry: true, message, code: codeText };
  const retry = status >= 500 || status === 408 || status === 429 || status === 401;
  return { retry, message, code: codeText };
}

type Listener = (items: readonly OutboxItem[]) => void;

const STATE_RANK: Readonly<Record<OutboxItem['state'], number>> = { pending: 0, failed: 1, sent: 2 };

/** Whether `a` is further along than `b` (the same report as two pages hold it). */
function isFurther(a: OutboxItem, b: OutboxItem): boolean {
  if (STATE_RANK[a.state] !== STATE_RANK[b.state]) return STATE_RANK[a.state] > STATE_RANK[b.state];
  return a.attempts > b.attempts;
}

export class ReportOutbox {
  private items: OutboxItem[];
  private readonly inFlight = new Map<string, AbortController>();
  private timer: unknown = null;
  private disposed = false;
  private readonly listeners = new Set<Listener>();
  private readonly options: Required<OutboxOptions>;

  constructor(options: OutboxOptions) {
    this.options = {
      now: () => Date.now(),
      random: Math.random,
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      attemptTimeoutMs: 20_000,
      keepSent: 10,
      ...options,
    };
    this.items = this.options.storage.load();
  }

  /** The reports, oldest first. */
  list(): readonly OutboxItem[] {
    return this.items;
  }

  /** Whether an attempt of this report is on its way now. */
  isSending(key: string): boolean {
    return this.inFlight.has(key);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a report under a new key, stores it, and sends it at once; answers the key. */
  submit(body: ReportBody): string {
    const now = this.options.now();
    const key = this.options.newKey();
    this.items = [
      ...this.items,
      { key, body, createdAt: now, state: 'pending', attempts: 0, nextAttemptAt: now, error: null, errorCode: null, type: body.type, result: null, sentAt: null },
    ];
    this.commit();
    this.flush();
    return key;
  }

  /** Sends every pending report that is due and not already on its way; schedules the next due one. */
  flush(): void {
    if (this.disposed) return;
    const now = this.options.now();
    for (const item of this.items) {
      if (item.state === 'pending' && item.nextAttemptAt <= now && !this.inFlight.has(item.key)) this.attempt(item);
    }
    this.schedule();
  }

  /** Makes every pending report due now (the network came back, or the user asked) and sends them. */
  retryNow(): void {
    const now = this.options.now();
    this.update((item) => (item.state === 'pending' && !this.inFlight.has(item.key) ? { ...item, nextAttemptAt: now } : item));
    this.flush();
  }

  /** Removes a report (a failed one the user gave up, or took back into the form); not one on its way. */
  remove(key: string): OutboxItem | null {
    if (this.inFlight.has(key)) return null;
    const found = this.items.find((item) => item.key === key) ?? null;
    if (!found) return null;
    this.items = this.items.filter((item) => item.key !== key);
    this.commit();
    return found;
  }

  /**
   * Takes in the list another page of the same browser stored (a second tab): reports it added join, and
   * of a report both hold the further one wins (sent over failed over pending, then more attempts). Nothing
   * is stored when nothing changed, so two pages do not answer each other for ever.
   */
  adopt(stored: readonly OutboxItem[]): void {
    if (this.disposed) return;
    const byKey = new Map(this.items.map((item) => [item.key, item]));
    let changed = false;
    for (const other of stored) {
      const own = byKey.get(other.key);
      if (own && !isFurther(other, own)) continue;
      // One of this page's attempts on its way keeps its report; its answer settles it.
      if (own && this.inFlight.has(own.key) && other.state === 'pending') continue;
      byKey.set(other.key, other);
      changed = true;
    }
    if (!changed) return;
    this.items = [...byKey.values()].sort((a, b) => a.createdAt - b.createdAt);
    this.commit();
    this.flush();
  }

  /** Stops timers and attempts; answers arriving later change nothing (nor storage: the user may have logged out). */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.options.clearTimer(this.timer);
    this.timer = null;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.listeners.clear();
  }

  private attempt(item: OutboxItem): void {
    const body = item.body;
    if (!body) return;
    const controller = new AbortController();
    this.inFlight.set(item.key, controller);
    this.update((current) => (current.key === item.key ? { ...current, attempts: current.attempts + 1 } : current));
    const timeout = this.options.setTimer(() => controller.abort(), this.options.attemptTimeoutMs);
    let sending: Promise<ReportResult>;
    try {
      sending = this.options.send(body, item.key, controller.signal);
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(
      (result) => this.settle(item.key, controller, timeout, { result }),
      (error: unknown) => this.settle(item.key, controller, timeout, { failure: sendFailureOf(error) }),
    );
  }

  private settle(key: string, controller: AbortController, timeout: unknown, outcome: { result: ReportResult } | { failure: SendFailure }): void {
    this.options.clearTimer(timeout);
    if (this.disposed || this.inFlight.get(key) !== controller) return;
    this.inFlight.delete(key);
    const now = this.options.now();
    this.update((item) => {
      if (item.key !== key) return item;
      if ('result' in outcome) return { ...item, state: 'sent', body: null, result: outcome.result, sentAt: now, error: null, errorCode: null };
      const { failure } = outcome;
      if (!failure.retry) return { ...item, state: 'failed', error: failure.message, errorCode: failure.code };
      const delay = backoffDelayMs(item.attempts, this.options.baseDelayMs, this.options.maxDelayMs, this.options.random());
      return { ...item, nextAttemptAt: now + delay, error: failure.message, errorCode: failure.code };
    });
    this.flush();
  }

  /** One timer, for the earliest pending report not on its way. */
  private schedule(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer);
    this.timer = null;
    if (this.disposed) return;
    let next = Infinity;
    for (const item of this.items) {
      if (item.state === 'pending' && !this.inFlight.has(item.key)) next = Math.min(next, item.nextAttemptAt);
    }
    if (next === Infinity) return;
    this.timer = this.options.setTimer(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(0, next - this.options.now()),
    );
  }

  private update(change: (item: OutboxItem) => OutboxItem): void {
    this.items = this.items.map(change);
    this.commit();
  }

  /** Stores the list (sent reports beyond the newest `keepSent` forgotten) and tells the listeners. */
  private commit(): void {
    if (this.disposed) return;
    const sent = this.items.filter((item) => item.state === 'sent');
    if (sent.length > this.options.keepSent) {
      const dropped = new Set(sent.slice(0, sent.length - this.options.keepSent).map((item) => item.key));
      this.items = this.items.filter((item) => !dropped.has(item.key));
    }
    this.options.storage.save(this.items);
    for (const listener of this.listeners) listener(this.items);
  }
}
