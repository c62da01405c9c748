// Fans the dispute log out to live subscribers: after every commit one reader fetches the new
// entries once and hands each subscriber those inside its unit. A subscriber first catches up from
// its own cursor (Last-Event-ID), page by page, then takes broadcasts; both run on the one JavaScript
// thread, so the hand-over has no gap and no overlap. A cursor further back than the replay window is
// not replayed: the subscriber is told to reload its figures and continues from the present.

import type { DisputeLogEntry, DisputeLogScope, DisputeStore } from '../store/dispute-store';

/** Entries read per query. */
const PAGE = 2_000;

/** Entries a resumed subscriber may be behind at most (about a day of the busiest demo feed). */
export const MAX_REPLAY_ENTRIES = 20_000;

/** What a subscriber receives: entries in commit order, or (resync) word that its cursor was too old. */
export interface LogBatch {
  entries: DisputeLogEntry[];
  /** Set once, first, when the cursor lay beyond the replay window: reload, then entries follow from the present. */
  resync: boolean;
  /** The resume point: the last entry's seq, or the present at a resync. */
  seq: number;
}

/** Whether a log entry is inside a scope: placed inside the unit, or (visibleIn) also across a boundary line from it. */
export function entryInScope(entry: Pick<DisputeLogEntry, 'placeCode' | 'otherSideCode'>, scope: DisputeLogScope): boolean {
  if (typeof scope === 'string') return entry.placeCode.startsWith(scope);
  return entry.placeCode.startsWith(scope.visibleIn) || (entry.otherSideCode !== null && entry.otherSideCode.startsWith(scope.visibleIn));
}

interface Subscriber {
  scope: DisputeLogScope;
  /** Entries received but not yet taken by the stream, in log order. */
  pending: DisputeLogEntry[];
  /** Set by restart(): the log was replaced, the stream says so (resync) and goes on from the new present. */
  resync: boolean;
  wake: (() => void) | null;
}

export class DisputeLogTail {
  private readonly subscribers = new Set<Subscriber>();
  /** Every entry up to here has been handed to the subscribers registered at the time. */
  private broadcastSeq: number;

  constructor(private disputes: DisputeStore) {
    this.broadcastSeq = disputes.lastSeq();
  }

  /**
   * After the dispute log was replaced (an import or undo of the disputes layer): follows `disputes`
   * from its present, and every open stream gets a resync (reload your figures) with the new resume
   * point instead of entries whose sequence numbers belong to the old log.
   */
  restart(disputes: DisputeStore): void {
    this.disputes = disputes;
    this.broadcastSeq = disputes.lastSeq();
    for (const subscriber of this.subscribers) {
      subscriber.pending = [];
      subscriber.resync = true;
      const wake = subscriber.wake;
      subscriber.wake = null;
      wake?.();
    }
  }

  /** Call after a commit appended to the log. */
  notify(): void {
    for (;;) {
      const entries = this.disputes.logAfter(this.broadcastSeq, PAGE);
      if (entries.length === 0) return;
      this.broadcastSeq = entries[entries.length - 1]!.seq;
      for (const subscriber of this.subscribers) {
        let added = false;
        for (const entry of entries) {
          if (entryInScope(entry, subscriber.scope)) {
            subscriber.pending.push(entry);
            added = true;
          }
        }
        if (added && subscriber.wake) {
          const wake = subscriber.wake;
          subscriber.wake = null;
          wake();
        }
      }
      if (entries.length < PAGE) return;
    }
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Batches of log entries inside `within` after `afterSeq` (null: from the present), in commit order,
   * until `signal` aborts. `within` is a unit code (entries placed inside it) or `{ visibleIn }` (entries
   * placed inside that unit or across a boundary line from it, as an officer of the unit sees them). A
   * cursor more than `maxReplay` entries back gets one resync batch instead of the replay. Each other
   * batch is non-empty; its last entry's seq is the resume point.
   */
  async *stream(within: DisputeLogScope, afterSeq: number | null, signal?: AbortSignal, maxReplay = MAX_REPLAY_ENTRIES): AsyncGenerator<LogBatch> {
    let cursor = afterSeq ?? this.broadcastSeq;
    // A cursor ahead of the log comes from a log since replaced: it cannot be resumed either.
    if (this.broadcastSeq - cursor > maxReplay || cursor > this.broadcastSeq) {
      cursor = this.broadcastSeq;
      yield { entries: [], resync: true, seq: cursor };
      if (signal?.aborted) return;
    }
    // Catch up in pages while the backlog is long; the next page is read after the consumer took this one.
    while (cursor < this.broadcastSeq) {
      const page = this.disputes.logAfter(cursor, PAGE, within).filter((entry) => entry.seq <= this.broadcastSeq);
      if (page.length === 0) break;
      cursor = page[page.length - 1]!.seq;
      if (page.length === PAGE || cursor < this.broadcastSeq) {
        yield { entries: page, resync: false, seq: cursor };
        if (signal?.aborted) return;
        // Let other requests run between pages of a long catch-up.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // The last page: register before handing it over, so nothing committed meanwhile is missed.
      const subscriber: Subscriber = { scope: within, pending: page, resync: false, wake: null };
      yield* this.follow(subscriber, signal);
      return;
    }
    yield* this.follow({ scope: within, pending: [], resync: false, wake: null }, signal);
  }

  private async *follow(subscriber: Subscriber, signal?: AbortSignal): AsyncGenerator<LogBatch> {
    this.subscribers.add(subscriber);
    const onAbort = (): void => {
      const wake = subscriber.wake;
      subscriber.wake = null;
      wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal?.aborted) {
        if (subscriber.resync) {
          subscriber.resync = false;
          yield { entries: [], resync: true, seq: this.broadcastSeq };
          continue;
        }
        if (subscriber.pending.length > 0) {
          const batch = subscriber.pending;
          subscriber.pending = [];
          yield { entries: batch, resync: false, seq: batch[batch.length - 1]!.seq };
          continue;
        }
        await new Promise<void>((resolve) => {
          subscriber.wake = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.subscribers.delete(subscriber);
    }
  }
}
