// The dispute log tail after the log under it was replaced (an import or undo of the disputes layer): an
// open stream gets one resync with the new log's present and then the new log's entries; a cursor ahead
// of the log (from a log since replaced, e.g. before an undo) resyncs instead of waiting for entries that
// will never come.

import { describe, expect, it } from 'vitest';
import { DisputeLogTail, type LogBatch } from '../../../server/live/dispute-log-tail';
import type { DisputeLogEntry, DisputeStore } from '../../../server/store/dispute-store';

/** A dispute log of seqs (every entry placed in `place`), with only what the tail reads. */
function fakeLog(seqs: number[], place = '210103005001001') {
  const entries = (): DisputeLogEntry[] => seqs.map((seq) => ({ seq, placeCode: place, otherSideCode: null }) as unknown as DisputeLogEntry);
  const store = {
    logAfter: (seq: number, limit: number) => entries().filter((entry) => entry.seq > seq).slice(0, limit),
    lastSeq: () => (seqs.length === 0 ? 0 : seqs[seqs.length - 1]!),
  } as unknown as DisputeStore;
  return { store, append: (seq: number) => seqs.push(seq) };
}

/** The next batch of a stream. */
async function next(stream: AsyncGenerator<LogBatch>): Promise<LogBatch> {
  const { value, done } = await stream.next();
  if (done) throw new Error('the stream ended');
  return value;
}

describe('DisputeLogTail.restart', () => {
  it('tells an open stream to resync at the new log\'s present, then follows the new log', async () => {
    const old = fakeLog([1, 2, 3]);
    const tail = new DisputeLogTail(old.store);
    const controller = new AbortController();
    const stream = tail.stream('2101', null, controller.signal);
    const first = next(stream);
    old.append(4);
    tail.notify();
    expect(await first).toEqual({ entries: [expect.objectContaining({ seq: 4 })], resync: false, seq: 4 });

    const replaced = fakeLog([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const resync = next(stream);
    tail.restart(replaced.store);
    expect(await resync).toEqual({ entries: [], resync: true, seq: 10 });

    const after = next(stream);
    replaced.append(11);
    tail.notify();
    expect((await after).entries.map((entry) => entry.seq)).toEqual([11]);
    controller.abort();
    await stream.return(undefined);
    expect(tail.subscriberCount).toBe(0);
  });

  it('resyncs a cursor ahead of the log (the log was replaced by a shorter one)', async () => {
    const tail = new DisputeLogTail(fakeLog([1, 2, 3]).store);
    const controller = new AbortController();
    const stream = tail.stream('2101', 50, controller.signal);
    expect(await next(stream)).toEqual({ entries: [], resync: true, seq: 3 });
    controller.abort();
    await stream.return(undefined);
  });
});
