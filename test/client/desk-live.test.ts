// A desk's loaded queue pages after live entries (client/src/modes/desk/desk-live.ts): steps move their
// cases at once, cases leaving the page's column leave it, counts follow when nothing is filtered, new
// reports take their place in the deadline order when the page's filters take them.

import { describe, expect, it } from 'vitest';
import { RecentLiveEntries, applyLiveEntries, isFromLive, withLaterEntries } from '../../client/src/modes/desk/desk-live';
import type { DeskQueueInput, DeskQueuePage, DeskQueueRow, LiveLogEntry } from '../../client/src/api-types';
import type { DisputeStatus, HandlingLevel } from '../../server/domain/dispute-workflow';

const row = (id: number, state: DisputeStatus, version: number, level: HandlingLevel = 'grid'): DeskQueueRow =>
  ({ id, state, version, level, type: 'neighbour', source: 'patrol', severity: 'general', placeCode: '210103005003001', deadlineAt: 1e12 + id, msLeft: 1, overdue: false }) as DeskQueueRow;

const page = (cases: DeskQueueRow[], counts: Partial<DeskQueuePage['counts']> = {}): DeskQueuePage =>
  ({ counts: { new: 0, assigned: 0, inHand: 0, awaitingFeedback: 0, awaitingReview: 0, overdue: 0, ...counts }, cases, nextCursor: null, asOfSeq: AS_OF }) as DeskQueuePage;

/** The log entry the pages were read at; entries after it are news. */
const AS_OF = 1000;
let nextSeq = AS_OF;
const entry = (disputeId: number, step: number, fromStatus: DisputeStatus | null, toStatus: DisputeStatus, handlingLevel: HandlingLevel = 'grid', seq = ++nextSeq): LiveLogEntry =>
  ({ seq, disputeId, step, action: 'assign', fromStatus, toStatus, at: 0, handlingLevel, placeCode: '210103005003001', lngLat: [123.4, 41.8], type: 'neighbour', severity: 'general' }) as LiveLogEntry;

const ALL: DeskQueueInput = { within: '210103005', limit: 50 };

describe('applyLiveEntries', () => {
  it('moves a dispatched case out of the new column and its count with it', () => {
    const pages = [page([row(1, 'reported', 1), row(2, 'reported', 1)], { new: 2, assigned: 5 })];
    const next = applyLiveEntries(pages, { ...ALL, column: 'new' }, [entry(1, 1, 'reported', 'assigned')]);
    expect(next[0]!.cases.map((c) => c.id)).toEqual([2]);
    expect(next[0]!.counts).toMatchObject({ new: 1, assigned: 6 });
  });

  it('keeps a moved case on the every-open-case page with its new status, level and version', () => {
    const pages = [page([row(1, 'accepted', 3), row(2, 'reported', 1)], { inHand: 1, new: 1 })];
    const next = applyLiveEntries(pages, ALL, [entry(1, 3, 'accepted', 'assigned', 'community')]);
    expect(next[0]!.cases[0]).toMatchObject({ id: 1, state: 'assigned', level: 'community', version: 4 });
    expect(next[0]!.cases[1]).toBe(pages[0]!.cases[1]);
    expect(next[0]!.counts).toMatchObject({ inHand: 0, assigned: 1, new: 1 });
  });

  it('drops a closed case, takes the latest of several steps, and ignores steps the page already has', () => {
    const pages = [page([row(1, 'feedback', 5), row(2, 'reviewed', 6)], { awaitingReview: 2 })];
    // Case 2's step 4 came before the page was read (its version 6 already has it).
    const next = applyLiveEntries(pages, ALL, [entry(2, 4, 'handled', 'feedback', 'grid', AS_OF - 3), entry(1, 5, 'feedback', 'reviewed'), entry(1, 6, 'reviewed', 'closed')]);
    expect(next[0]!.cases.map((c) => c.id)).toEqual([2]);
    expect(next[0]!.cases[0]).toBe(pages[0]!.cases[1]);
    // Counts follow every step of the batch: feedback → reviewed stays in its column, reviewed → closed leaves.
    expect(next[0]!.counts.awaitingReview).toBe(1);
  });

  it('answers the same pages when nothing on them changed', () => {
    const pages = [page([row(1, 'assigned', 2)], { assigned: 1 })];
    expect(applyLiveEntries(pages, ALL, [])).toBe(pages);
    expect(applyLiveEntries(pages, ALL, [entry(1, 1, 'reported', 'assigned', 'grid', AS_OF)])).toBe(pages);
    expect(applyLiveEntries(pages, { ...ALL, types: ['neighbour'] }, [entry(9, 1, 'reported', 'assigned')])).toBe(pages);
    expect(applyLiveEntries(pages, { ...ALL, line: 'street:210103005|210103006' }, [entry(9, 1, 'reported', 'assigned')])).toBe(pages);
  });

  it('counts a new report in the new column of an unfiltered queue, not of a filtered one; an escalation leaves a level filter', () => {
    const pages = [page([row(1, 'assigned', 2)], { new: 3, assigned: 1 })];
    expect(applyLiveEntries(pages, ALL, [entry(7, 0, null, 'reported')])[0]!.counts.new).toBe(4);
    const gridOnly = { ...ALL, levels: ['grid'] as HandlingLevel[] };
    const escalated = applyLiveEntries(pages, gridOnly, [entry(1, 2, 'assigned', 'assigned', 'community'), entry(7, 0, null, 'reported')]);
    expect(escalated[0]!.cases).toEqual([]);
    expect(escalated[0]!.counts).toEqual(pages[0]!.counts);
  });

  it('counts a batch once even when it arrives again', () => {
    const pages = [page([], { new: 3 })];
    const batch = [entry(8, 0, null, 'reported')];
    const once = applyLiveEntries(pages, ALL, batch);
    expect(once[0]!.counts.new).toBe(4);
    expect(applyLiveEntries(once, ALL, batch)).toBe(once);
  });

  it('records the step\'s action on the row: an escalation marks it, the next step unmarks it', () => {
    const pages = [page([{ ...row(1, 'accepted', 3), lastAction: 'accept' }], { inHand: 1 })];
    const up = applyLiveEntries(pages, ALL, [{ ...entry(1, 3, 'accepted', 'assigned', 'community'), action: 'escalate' }]);
    expect(up[0]!.cases[0]).toMatchObject({ state: 'assigned', level: 'community', lastAction: 'escalate' });
    const taken = applyLiveEntries(up, ALL, [{ ...entry(1, 4, 'assigned', 'accepted', 'community'), action: 'accept' }]);
    expect(taken[0]!.cases[0]).toMatchObject({ state: 'accepted', lastAction: 'accept' });
  });

  it('keeps an overdue case that moves on the overdue page', () => {
    const pages = [page([row(1, 'assigned', 2)], { assigned: 1, overdue: 1 })];
    const next = applyLiveEntries(pages, { ...ALL, column: 'overdue' }, [entry(1, 2, 'assigned', 'accepted')]);
    expect(next[0]!.cases[0]).toMatchObject({ id: 1, state: 'accepted', version: 3 });
  });

  describe('new reports', () => {
    const NOW = 1e12;
    const report = (disputeId: number, dueAt: number, extra: Partial<LiveLogEntry> = {}): LiveLogEntry =>
      ({
        ...entry(disputeId, 0, null, 'reported'),
        action: 'report',
        at: NOW - 1000,
        dueAt,
        source: 'hotline',
        placeName: '第三网格',
        otherSideCode: null,
        ...extra,
      }) as LiveLogEntry;
    const ids = (pages: readonly DeskQueuePage[]) => pages.map((p) => p.cases.map((c) => c.id));

    it('puts a report in its place in the deadline order, as a row the re-read will complete', () => {
      const pages = [page([row(1, 'reported', 1), row(2, 'assigned', 2), row(3, 'reported', 1)], { new: 2, assigned: 1 })];
      const next = applyLiveEntries(pages, ALL, [report(9, 1e12 + 2.5)], NOW);
      expect(ids(next)).toEqual([[1, 2, 9, 3]]);
      const added = next[0]!.cases[2]!;
      expect(added).toMatchObject({ id: 9, state: 'reported', level: 'grid', version: 1, source: 'hotline', placeName: '第三网格', deadlineAt: 1e12 + 2.5, msLeft: 2.5, overdue: false, lastAction: 'report', summary: null });
      expect(isFromLive(added)).toBe(true);
      expect(isFromLive(next[0]!.cases[0]!)).toBe(false);
      expect(next[0]!.counts.new).toBe(3);
      // Ties on the deadline go by id; the last place when no page follows.
      expect(ids(applyLiveEntries(pages, ALL, [report(0, 1e12 + 1)], NOW))).toEqual([[0, 1, 2, 3]]);
      expect(ids(applyLiveEntries(pages, ALL, [report(9, 2e12)], NOW))).toEqual([[1, 2, 3, 9]]);
    });

    it('leaves a report whose place lies beyond the loaded pages to the pages that follow, counting it', () => {
      const first = { ...page([row(1, 'reported', 1), row(2, 'reported', 1)], { new: 2 }), nextCursor: 'x' };
      const second = { ...page([row(3, 'reported', 1), row(4, 'reported', 1)]), nextCursor: 'y' };
      const later = applyLiveEntries([first, second], ALL, [report(9, 2e12)], NOW);
      expect(ids(later)).toEqual([[1, 2], [3, 4]]);
      expect(later[0]!.counts.new).toBe(3);
      // Inside the loaded pages it goes into the page holding its place.
      expect(ids(applyLiveEntries([first, second], ALL, [report(9, 1e12 + 3.5)], NOW))).toEqual([[1, 2], [3, 9, 4]]);
    });

    it('puts a report only on pages whose column and filters take it', () => {
      const pages = [page([row(1, 'reported', 1), row(2, 'reported', 1)])];
      const take = (input: DeskQueueInput, entry: LiveLogEntry) => ids(applyLiveEntries(pages, input, [entry], NOW))[0]!.includes(entry.disputeId);
      expect(take({ ...ALL, column: 'new' }, report(9, 1e12 + 5))).toBe(true);
      expect(take({ ...ALL, column: 'assigned' }, report(9, 1e12 + 5))).toBe(false);
      expect(take({ ...ALL, column: 'overdue' }, report(9, 1e12 + 5))).toBe(false);
      expect(take({ ...ALL, column: 'overdue' }, report(9, NOW - 5))).toBe(true);
      expect(take({ ...ALL, types: ['neighbour'] }, report(9, 1e12 + 5))).toBe(true);
      expect(take({ ...ALL, types: ['land'] }, report(9, 1e12 + 5))).toBe(false);
      expect(take({ ...ALL, sources: ['patrol'] }, report(9, 1e12 + 5))).toBe(false);
      expect(take({ ...ALL, levels: ['street'] }, report(9, 1e12 + 5))).toBe(false);
      expect(take({ ...ALL, grid: '210103005003001' }, report(9, 1e12 + 5))).toBe(true);
      expect(take({ ...ALL, grid: '210103005003002' }, report(9, 1e12 + 5))).toBe(false);
      // A line filter needs the server (which side of which line): the re-read adds it.
      expect(take({ ...ALL, line: 'L1' }, report(9, 1e12 + 5))).toBe(false);
    });

    it('never shows a case twice: one the page has, one the page was read after, one that moved on in the batch', () => {
      const pages = [page([row(1, 'reported', 1), row(9, 'reported', 1)])];
      expect(ids(applyLiveEntries(pages, ALL, [report(9, 1e12 + 5)], NOW))).toEqual([[1, 9]]);
      expect(ids(applyLiveEntries(pages, ALL, [report(8, 1e12 + 5, { seq: AS_OF })], NOW))).toEqual([[1, 9]]);
      const moved = applyLiveEntries(pages, { ...ALL, column: 'new' }, [report(7, 1e12 + 5), entry(7, 1, 'reported', 'assigned')], NOW);
      expect(ids(moved)).toEqual([[1, 9]]);
    });
  });

  describe('a page read while entries arrived', () => {
    it('keeps the steps after its asOfSeq applied, and puts new reports on a first page only', () => {
      const read = page([row(1, 'reported', 1), row(2, 'reported', 1)], { new: 2 });
      const dispatched = { ...entry(1, 1, 'reported', 'assigned'), seq: AS_OF + 5 };
      const already = { ...entry(2, 1, 'reported', 'assigned'), seq: AS_OF - 1 };
      const reported = { ...entry(9, 0, null, 'reported'), action: 'report', seq: AS_OF + 6, dueAt: 1e12 + 1.5, source: 'patrol', placeName: null, otherSideCode: null } as LiveLogEntry;
      const first = withLaterEntries(read, ALL, [already, dispatched, reported], true, 1e12);
      expect(first.cases.map((c) => [c.id, c.state])).toEqual([[1, 'assigned'], [9, 'reported'], [2, 'reported']]);
      expect(first.asOfSeq).toBe(AS_OF + 6);
      const later = withLaterEntries(read, ALL, [already, dispatched, reported], false, 1e12);
      expect(later.cases.map((c) => [c.id, c.state])).toEqual([[1, 'assigned'], [2, 'reported']]);
      expect(withLaterEntries(read, ALL, [already], true)).toBe(read);
    });

    it('keeps one unit\'s entries for a while: another unit\'s stream starts afresh, old entries go', () => {
      const recent = new RecentLiveEntries(1000);
      recent.add('2101', [entry(1, 1, 'reported', 'assigned')], 0);
      recent.add('2101', [entry(2, 1, 'reported', 'assigned')], 600);
      expect(recent.of('2101').map((e) => e.disputeId)).toEqual([1, 2]);
      expect(recent.of('2102')).toEqual([]);
      recent.add('2101', [entry(3, 1, 'reported', 'assigned')], 1500);
      expect(recent.of('2101').map((e) => e.disputeId)).toEqual([2, 3]);
      recent.add('2102', [entry(4, 1, 'reported', 'assigned')], 1600);
      expect(recent.of('2101')).toEqual([]);
      expect(recent.of('2102').map((e) => e.disputeId)).toEqual([4]);
    });
  });
});
