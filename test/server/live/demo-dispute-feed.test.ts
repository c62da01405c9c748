// The demonstration live feed on a copy of the test database: it catches up at the history's rate,
// keeps adding cases and steps, stays consistent with the step log, resumes after a restart without
// repeating anything, and is deterministic for the same windows.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startDemoDisputeFeed } from '../../../server/live/demo-dispute-feed';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { MS_PER_DAY } from '../../../server/domain/china-time';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-feed-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function copyDatabase(name: string): string {
  const path = join(dir, name);
  copyFileSync(inject('databasePath'), path);
  return path;
}

/** Runs a feed on `path` from the data's "now" + `offsetMs`, then optional ticks; returns the store's figures. */
async function runFeed(path: string, offsetMs: number, ticksMs: number[] = []) {
  const store = new SqliteStore(path, { writable: true });
  const nowMs = store.health().demo!.nowMs;
  let clock = nowMs + offsetMs;
  const appended: number[] = [];
  const feed = startDemoDisputeFeed({ store, ratePerMinute: 6, now: () => clock, onAppend: (seq) => appended.push(seq) });
  await feed.ready;
  const newCases: number[] = [];
  for (const step of ticksMs) {
    clock += step;
    newCases.push(feed.tick());
  }
  feed.stop();
  store.close();
  return { nowMs, appended, newCases };
}

function readDatabase(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      cases: db.prepare('SELECT count(*) AS n, max(id) AS maxId FROM dispute').get() as { n: number; maxId: number },
      cursor: JSON.parse(
        (db.prepare("SELECT value FROM meta WHERE key = 'live_cursor'").get() as { value: string } | undefined)?.value ?? 'null',
      ) as { untilMs: number } | null,
      badVersions: (db.prepare('SELECT count(*) AS n FROM dispute d WHERE version <> (SELECT count(*) FROM dispute_step s WHERE s.dispute_id = d.id)').get() as { n: number }).n,
      badStatus: (
        db
          .prepare('SELECT count(*) AS n FROM dispute d WHERE status <> (SELECT to_status FROM dispute_step s WHERE s.dispute_id = d.id ORDER BY step DESC LIMIT 1)')
          .get() as { n: number }
      ).n,
      duplicateSteps: (db.prepare('SELECT count(*) AS n FROM (SELECT dispute_id, step FROM dispute_step GROUP BY dispute_id, step HAVING count(*) > 1)').get() as { n: number }).n,
      after: (since: number) => db.prepare('SELECT count(*) AS n FROM dispute WHERE reported_at >= ?').get(since) as { n: number },
      rows: (since: number) =>
        JSON.stringify(db.prepare('SELECT * FROM dispute WHERE reported_at >= ? ORDER BY id').all(since)) +
        JSON.stringify(db.prepare('SELECT dispute_id, step, action, to_status, at FROM dispute_step WHERE at >= ? ORDER BY seq').all(since)),
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

describe('the demonstration live feed', () => {
  it('catches up to the present at the history rate, consistent with its step log', async () => {
    const path = copyDatabase('a.sqlite');
    const before = readDatabase(path);
    const casesBefore = before.cases;
    before.close();
    // Two days and ten hours after the data's "now" (10:00 China time: daytime rates).
    const { nowMs, appended } = await runFeed(path, 2 * MS_PER_DAY + 10 * 3_600_000);
    const after = readDatabase(path);
    try {
      const added = after.cases.n - casesBefore.n;
      const population = 9_070_000; // Shenyang, the test scope, in round figures
      const expected = (10.5 * population) / 1000 / 365 * (2 + 10 / 24);
      expect(added).toBeGreaterThan(expected * 0.6);
      expect(added).toBeLessThan(expected * 1.6);
      expect(after.cases.maxId).toBe(casesBefore.maxId + added);
      expect(after.cursor).toEqual({ untilMs: nowMs + 2 * MS_PER_DAY + 10 * 3_600_000 });
      expect(after.badVersions).toBe(0);
      expect(after.badStatus).toBe(0);
      expect(after.duplicateSteps).toBe(0);
      expect(appended.length).toBeGreaterThanOrEqual(3);
      expect([...appended].sort((a, b) => a - b)).toEqual(appended);
    } finally {
      after.close();
    }
  });

  it('keeps adding cases every tick at the configured rate, and resumes after a restart without repeats', async () => {
    const path = copyDatabase('b.sqlite');
    const start = 12 * 3_600_000; // noon
    const first = await runFeed(path, start, [20 * 60_000, 40 * 60_000]);
    expect(first.newCases[0]! + first.newCases[1]!).toBeGreaterThan(60 * 6 * 0.4);
    const middle = readDatabase(path);
    const casesMiddle = middle.cases;
    const cursorMiddle = middle.cursor;
    middle.close();

    // A restart an hour later continues from the stored cursor.
    const second = await runFeed(path, start + 2 * 3_600_000);
    const end = readDatabase(path);
    try {
      expect(end.cursor!.untilMs).toBe(second.nowMs + start + 2 * 3_600_000);
      expect(end.cases.maxId - casesMiddle.maxId).toBe(end.cases.n - casesMiddle.n);
      expect(end.cases.n).toBeGreaterThan(casesMiddle.n);
      expect(cursorMiddle!.untilMs).toBe(first.nowMs + start + 60 * 60_000);
      expect(end.duplicateSteps).toBe(0);
      expect(end.badVersions).toBe(0);
      expect(end.badStatus).toBe(0);
    } finally {
      end.close();
    }
  });

  it('writes the same cases and steps for the same windows (deterministic)', async () => {
    const [a, b] = [copyDatabase('c.sqlite'), copyDatabase('d.sqlite')];
    const ra = await runFeed(a, 11 * 3_600_000, [15 * 60_000]);
    const rb = await runFeed(b, 11 * 3_600_000, [15 * 60_000]);
    expect(ra.newCases).toEqual(rb.newCases);
    const [da, db] = [readDatabase(a), readDatabase(b)];
    try {
      expect(da.rows(ra.nowMs)).toBe(db.rows(rb.nowMs));
      expect(da.after(ra.nowMs).n).toBeGreaterThan(0);
    } finally {
      da.close();
      db.close();
    }
  });

  it('keeps flowing beside cases reported through the API, also across a restart (ids never collide)', async () => {
    const path = copyDatabase('e.sqlite');
    const store = new SqliteStore(path, { writable: true });
    const nowMs = store.health().demo!.nowMs;
    let clock = nowMs + 9 * 3_600_000;
    const feed = startDemoDisputeFeed({ store, ratePerMinute: 30, now: () => clock });
    await feed.ready;
    const report = (atMs: number) => {
      const place = store.disputes.locate([123.43, 41.8])!;
      return store.disputes.report([
        { type: 'neighbour', source: 'patrol', severity: 'general', lngLat: [123.43, 41.8], summary: null, parties: [], reportedAt: atMs, dueAt: atMs + MS_PER_DAY, actorRole: 'gridWorker', ...place },
      ])[0]!;
    };
    const reported = [report(clock)];
    clock += 10 * 60_000;
    const newCases = [feed.tick()];
    reported.push(report(clock));
    clock += 10 * 60_000;
    newCases.push(feed.tick());
    feed.stop();
    store.close();
    // After a restart the feed continues past the cases reported meanwhile.
    const again = new SqliteStore(path, { writable: true });
    const reportedAfterRestart = (() => {
      const place = again.disputes.locate([123.43, 41.8])!;
      return again.disputes.report([
        { type: 'family', source: 'hotline', severity: 'general', lngLat: [123.43, 41.8], summary: null, parties: [], reportedAt: clock, dueAt: clock + MS_PER_DAY, actorRole: 'gridWorker', ...place },
      ])[0]!;
    })();
    clock += 10 * 60_000;
    const resumed = startDemoDisputeFeed({ store: again, ratePerMinute: 30, now: () => clock });
    await resumed.ready;
    clock += 10 * 60_000;
    newCases.push(resumed.tick());
    resumed.stop();
    again.close();
    expect(newCases.every((n) => n > 0)).toBe(true);
    const db = readDatabase(path);
    try {
      expect(db.duplicateSteps).toBe(0);
      expect(db.badVersions).toBe(0);
      expect(db.badStatus).toBe(0);
      // Every reported case is still there, with its own report step.
      for (const { id } of [...reported, reportedAfterRestart]) {
        const raw = new Database(path, { readonly: true });
        try {
          expect(raw.prepare('SELECT source FROM dispute WHERE id = ?').pluck().get(id)).not.toBeUndefined();
          expect(raw.prepare('SELECT count(*) FROM dispute_step WHERE dispute_id = ? AND step = 0').pluck().get(id)).toBe(1);
        } finally {
          raw.close();
        }
      }
      expect(db.cursor!.untilMs).toBe(clock);
    } finally {
      db.close();
    }
  });

  it('does nothing on a database opened read-only, and refuses writes there', () => {
    const store = new SqliteStore(inject('databasePath'));
    try {
      expect(() => store.disputes.appendHistory({ cases: [], steps: [] })).toThrow(/read-only/);
    } finally {
      store.close();
    }
  });
});
