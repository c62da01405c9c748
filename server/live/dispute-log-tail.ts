// Fans the dispute log out to live subscribers: after every commit one reader fetches the new
// entries once and hands each subscriber those inside its unit. A subscriber first catches up from
// its own cursor (Last-Event-ID), then takes broadcasts; both run on the one JavaScript thread, so the
// hand-over has no gap and no overlap.

import type { DisputeLogEntry, DisputeStore } from '../store/dispute-store';

/** Entries read per query. */
const PAGE = 2_000;

interface Subscriber {
  within: string;
  /** Entries received but not yet taken by the stream, in log order. */
  pending: DisputeLogEntry[];
  wake: (() => void) | null;
}

export class DisputeLogTail {
  private readonly subscribers = new Set<Subscriber>();
  /** Every entry up to here has been handed to the subscribers registered at the time. */
  private broadcastSeq: number;

  constructor(private readonly disputes: DisputeStore) {
    this.broadcastSeq = disputes.lastSeq();
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
          if (entry.placeCode.startsWith(subscriber.within)) {
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
   * until `signal` aborts. Each batch is non-empty; its last entry's seq is the resume point.
   */
  async *stream(within: string, afterSeq: number | null, signal?: AbortSignal): AsyncGenerator<DisputeLogEntry[]> {
    let cursor = afterSeq ?? this.broadcastSeq;
    // Catch up in pages while the backlog is long; the next page is read after the consumer took this one.
    while (cursor < this.broadcastSeq) {
      const page = this.disputes.logAfter(cursor, PAGE, within).filter((entry) => entry.seq <= this.broadcastSeq);
      if (page.length === 0) {
        cursor = this.broadcastSeq;
        break;
      }
      cursor = page[page.length - 1]!.seq;
      if (page.length === PAGE || cursor < this.broadcastSeq) {
        yield page;
        if (signal?.aborted) return;
        continue;
      }
      // The last page: register before handing it over, so nothing committed meanwhile is missed.
      const subscriber: Subscriber = { within, pending: page, wake: null };
      yield* this.follow(subscriber, signal);
      return;
    }
    yield* this.follow({ within, pending: [], wake: null }, signal);
  }

  private async *follow(subscriber: Subscriber, signal?: AbortSignal): AsyncGenerator<DisputeLogEntry[]> {
    this.subscribers.add(subscriber);
    const onAbort = (): void => {
      const wake = subscriber.wake;
      subscriber.wake = null;
      wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal?.aborted) {
        if (subscriber.pending.length > 0) {
          const batch = subscriber.pending;
          subscriber.pending = [];
          yield batch;
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
