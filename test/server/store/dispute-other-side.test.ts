// The other side of a case (issue 14: a case on a boundary line is visible to the officers of both
// sides) on the test database and a writable copy: hand-made places near and far from street lines
// against a geodesic brute force (turf), the built cases against the same brute force, lists visible in
// a unit page by page against a filter of every row, reports and history through the store, and the live
// tail's visible scope.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bearing, destination, lineString, point, pointToLineDistance } from '@turf/turf';
import type { LineString, MultiLineString } from 'geojson';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { OTHER_SIDE_REACH_METERS, type DisputeListQuery, type HistoryCase, type NewDispute } from '../../../server/store/dispute-store';
import { DisputeLogTail, type LogBatch } from '../../../server/live/dispute-log-tail';
import { DISPUTE_STATUSES } from '../../../server/domain/dispute-workflow';
import { DISPUTE_TYPE_KEYS, type DisputeType } from '../../../server/domain/dispute-categories';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { FULL_DETAIL_BAND } from '../../../server/domain/zoom-bands';
import { DEFAULT_DEADLINE_POLICY } from '../../../server/domain/dispute-deadlines';

interface StreetLine {
  id: number;
  left: string;
  right: string;
  paths: [number, number][][];
}

let dir: string;
let store: SqliteStore;
let raw: Database.Database;
let lines: StreetLine[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-other-side-'));
  const path = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), path);
  store = new SqliteStore(path, { writable: true });
  raw = new Database(inject('databasePath'), { readonly: true });
  lines = (
    raw
      .prepare(
        `SELECT l.id, l.left_code AS left, l.right_code AS right, g.geojson FROM boundary_line l
         JOIN boundary_geometry g ON g.line_id = l.id AND g.band = ${FULL_DETAIL_BAND}
         WHERE l.level = 'street' AND l.right_code IS NOT NULL ORDER BY l.id`,
      )
      .all() as { id: number; left: string; right: string; geojson: string }[]
  ).map((row) => {
    const geometry = JSON.parse(row.geojson) as LineString | MultiLineString;
    return { id: row.id, left: row.left, right: row.right, paths: (geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates) as [number, number][][] };
  });
});

afterAll(() => {
  store.close();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Geodesic distance (turf) from a place to a line, metres. */
function distanceTo(line: StreetLine, lngLat: [number, number]): number {
  return Math.min(...line.paths.map((path) => (path.length < 2 ? Infinity : pointToLineDistance(point(lngLat), lineString(path), { units: 'meters' }))));
}

/** The other side by the rule, brute force: every street line with the place's street on one side, the nearest within the reach. */
function expectedOtherSide(lngLat: [number, number], placeCode: string): { code: string | null; distance: number } {
  const street = placeCode.slice(0, 9);
  let best = { code: null as string | null, distance: Infinity };
  for (const line of lines) {
    if (line.left !== street && line.right !== street) continue;
    const distance = distanceTo(line, lngLat);
    if (distance < best.distance) best = { code: line.left === street ? line.right : line.left, distance };
  }
  return best.distance <= OTHER_SIDE_REACH_METERS ? best : { code: null, distance: best.distance };
}

const nearestAny = (lngLat: [number, number]): number => Math.min(...lines.map((line) => distanceTo(line, lngLat)));

/** A place `meters` from the middle of a line's longest segment, on the side whose street holds it, clear of every other line. */
function placeBeside(meters: number, clearance: number): { lngLat: [number, number]; line: StreetLine; own: string; other: string } {
  for (const line of [...lines].sort((a, b) => a.id - b.id)) {
    const path = line.paths.reduce((longest, p) => (p.length > longest.length ? p : longest));
    let longest = 0;
    let at = 0;
    for (let v = 0; v + 1 < path.length; v++) {
      const length = Math.hypot(path[v + 1]![0] - path[v]![0], path[v + 1]![1] - path[v]![1]);
      if (length > longest) [longest, at] = [length, v];
    }
    if (longest === 0) continue;
    const a = path[at]!;
    const b = path[at + 1]!;
    const middle: [number, number] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const heading = bearing(point(a), point(b));
    for (const turn of [90, -90]) {
      const lngLat = destination(point(middle), meters / 1000, heading + turn, { units: 'kilometers' }).geometry.coordinates as [number, number];
      const place = store.disputes.locate(lngLat);
      if (!place) continue;
      const street = place.placeCode.slice(0, 9);
      if (street !== line.left && street !== line.right) continue;
      const others = lines.filter((other) => other !== line).map((other) => distanceTo(other, lngLat));
      if (Math.abs(distanceTo(line, lngLat) - meters) > 1 || Math.min(...others) < clearance) continue;
      return { lngLat, line, own: street, other: street === line.left ? line.right : line.left };
    }
  }
  throw new Error(`no place ${meters} m beside a street line, ${clearance} m clear of the others`);
}

const newDispute = (lngLat: [number, number], reportedAt: number): NewDispute => ({
  type: 'neighbour',
  source: 'patrol',
  severity: 'general',
  lngLat,
  summary: null,
  parties: [],
  reportedAt,
  dueAt: reportedAt + 15 * MS_PER_DAY,
  actorRole: 'gridWorker',
});

describe('the other side of a place', () => {
  it('is the street across a line 100 m away, null 800 m from every line and deep inside a street', () => {
    const near = placeBeside(100, 300);
    const place = store.disputes.locate(near.lngLat)!;
    expect(place.otherSideCode).toBe(near.other);
    expect(expectedOtherSide(near.lngLat, place.placeCode)).toMatchObject({ code: near.other });
    expect(store.disputes.otherSideAt(near.lngLat, place.placeCode)).toBe(near.other);

    const far = placeBeside(800, 600);
    expect(nearestAny(far.lngLat)).toBeGreaterThan(600);
    expect(store.disputes.locate(far.lngLat)!.otherSideCode).toBeNull();

    // The label point of a street far from all of its lines.
    const labels = raw.prepare("SELECT code, label_lng, label_lat FROM admin_unit WHERE level = 'street' AND label_lng IS NOT NULL ORDER BY code").all() as {
      code: string;
      label_lng: number;
      label_lat: number;
    }[];
    const inside = labels.map((row) => [row.label_lng, row.label_lat] as [number, number]).find((lngLat) => store.disputes.locate(lngLat) && nearestAny(lngLat) > 1_500);
    expect(inside).toBeDefined();
    const insidePlace = store.disputes.locate(inside!)!;
    expect(insidePlace.placeCode.length).toBeGreaterThanOrEqual(9);
    expect(insidePlace.otherSideCode).toBeNull();
  });

  it('was computed at build for every generated case as the brute force finds it', () => {
    const rows = raw.prepare('SELECT id, grid_code, other_side_code, lng, lat FROM dispute ORDER BY id').all() as {
      id: number;
      grid_code: string;
      other_side_code: string | null;
      lng: number;
      lat: number;
    }[];
    const withSide = rows.filter((row) => row.other_side_code !== null).length;
    expect(withSide).toBeGreaterThan(rows.length * 0.05);
    expect(withSide).toBeLessThan(rows.length * 0.9);
    // Every other side is a street sharing a line with the case's own street.
    const pairs = new Set(lines.flatMap((line) => [`${line.left}|${line.right}`, `${line.right}|${line.left}`]));
    expect(rows.filter((row) => row.other_side_code !== null && !pairs.has(`${row.grid_code.slice(0, 9)}|${row.other_side_code}`))).toEqual([]);
    // A sample against the brute force (places within a metre of the reach either way are not judged).
    let judged = 0;
    for (let i = 0; i < rows.length; i += 97) {
      const row = rows[i]!;
      const expected = expectedOtherSide([row.lng, row.lat], row.grid_code);
      if (Math.abs(expected.distance - OTHER_SIDE_REACH_METERS) < 1) continue;
      judged++;
      expect({ id: row.id, code: row.other_side_code }).toEqual({ id: row.id, code: expected.code });
    }
    expect(judged).toBeGreaterThan(900);
  });
});

describe('lists visible in a unit', () => {
  interface Row {
    id: number;
    grid_code: string;
    other_side_code: string | null;
    reported_at: number;
    status: number;
    type: number;
  }
  let rows: Row[];
  let defaultShare: number;
  beforeAll(() => {
    defaultShare = store.disputes.timeWalkShare;
    rows = raw.prepare('SELECT id, grid_code, other_side_code, reported_at, status, type FROM dispute').all() as Row[];
  });

  /** The brute force: every row visible in the unit and passing the filters, newest first. */
  function expectedIds(query: Omit<DisputeListQuery, 'limit' | 'after'> & { visibleIn: string }): number[] {
    const statuses = query.statuses?.map((status) => DISPUTE_STATUSES.indexOf(status));
    const types = query.types?.map((type) => DISPUTE_TYPE_KEYS.indexOf(type));
    return rows
      .filter(
        (row) =>
          (row.grid_code.startsWith(query.visibleIn) || (row.other_side_code?.startsWith(query.visibleIn) ?? false)) &&
          (query.withinCode === undefined || row.grid_code.startsWith(query.withinCode)) &&
          (statuses === undefined || statuses.includes(row.status)) &&
          (types === undefined || types.includes(row.type)) &&
          (query.fromMs === undefined || row.reported_at >= query.fromMs) &&
          (query.toMs === undefined || row.reported_at < query.toMs),
      )
      .sort((a, b) => b.reported_at - a.reported_at || b.id - a.id)
      .map((row) => row.id);
  }

  /** The pages of a query following the keyset cursor (at most `maxPages`), and whether the last one was short. */
  function pages(query: Omit<DisputeListQuery, 'after'>, maxPages = 10_000): { ids: number[]; complete: boolean } {
    const ids: number[] = [];
    let after: DisputeListQuery['after'];
    for (let n = 0; n < maxPages; n++) {
      const page = store.disputes.list({ ...query, after });
      ids.push(...page.map((record) => record.id));
      if (page.length < query.limit) return { ids, complete: true };
      after = { reportedAt: page.at(-1)!.reportedAt, id: page.at(-1)!.id };
    }
    return { ids, complete: false };
  }

  it('pages through the cases placed inside the unit and those across its lines, without gaps or repeats', () => {
    const byStreet = new Map<string, number>();
    for (const row of rows) if (row.other_side_code) byStreet.set(row.other_side_code, (byStreet.get(row.other_side_code) ?? 0) + 1);
    const streets = [...byStreet].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const busiest = streets[0]![0];
    const quietest = streets.at(-1)![0];
    const county = busiest.slice(0, 6);
    // Units of every size (the list walks the time index for a unit placing ≥ 1 % of the cases, else sorts its ranges).
    const placed = (code: string) => rows.filter((row) => row.grid_code.startsWith(code)).length;
    expect(placed('2101')).toBeGreaterThan(rows.length / 100);
    expect(placed(quietest)).toBeLessThan(rows.length / 100);
    const firstType = DISPUTE_TYPE_KEYS[0]! as DisputeType;
    const maxAt = Math.max(...rows.map((row) => row.reported_at));
    const queries: (Omit<DisputeListQuery, 'limit' | 'after'> & { visibleIn: string })[] = [
      { visibleIn: busiest },
      { visibleIn: quietest },
      { visibleIn: county },
      { visibleIn: '2101' },
      { visibleIn: busiest, statuses: ['closed'] },
      { visibleIn: busiest, types: [firstType], fromMs: maxAt - 200 * MS_PER_DAY, toMs: maxAt - 20 * MS_PER_DAY },
      { visibleIn: county, statuses: ['reported', 'assigned'], fromMs: maxAt - 60 * MS_PER_DAY },
      { visibleIn: busiest, withinCode: busiest.slice(0, 6) },
      { visibleIn: '2101', types: [firstType], toMs: maxAt - 300 * MS_PER_DAY },
    ];
    // Each way forced, and as the store chooses.
    onTestFinished(() => {
      store.disputes.timeWalkShare = defaultShare;
    });
    for (const share of [Infinity, 0, defaultShare]) {
      store.disputes.timeWalkShare = share;
      for (const query of queries) {
        const expected = expectedIds(query);
        expect(expected.length).toBeGreaterThan(0);
        // Small pages through small lists; the first 40 large pages of large ones.
        const { ids, complete } = expected.length < 5_000 ? pages({ ...query, limit: 23 }) : pages({ ...query, limit: 997 }, 40);
        expect({ share, query, ids }).toEqual({ share, query, ids: complete ? expected : expected.slice(0, ids.length) });
        expect(ids.length).toBeGreaterThanOrEqual(Math.min(expected.length, 39 * 997));
      }
    }
    // The busiest street sees cases of its neighbours: more than it places.
    expect(expectedIds({ visibleIn: busiest }).length).toBeGreaterThan(placed(busiest));
    // Within a county, a case on a line between two of its streets is listed once (either way).
    expect(rows.some((row) => row.grid_code.startsWith(county) && row.other_side_code?.startsWith(county))).toBe(true);
    for (const share of [Infinity, 0]) {
      store.disputes.timeWalkShare = share;
      const { ids: countyIds } = pages({ visibleIn: county, limit: 500 });
      expect(new Set(countyIds).size).toBe(countyIds.length);
      expect(countyIds.length).toBe(expectedIds({ visibleIn: county }).length);
    }
    store.disputes.timeWalkShare = defaultShare;
  });

  it('reads each page with range searches on the place and other-side indexes, or along the time index, never a table scan', () => {
    const statements = (store.disputes as unknown as { statements: Record<string, Database.Statement> }).statements;
    const plan = (name: string, params: Record<string, unknown>) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${statements[name]!.source}`).all(params) as { detail: string }[]).map((row) => row.detail);
    const params = {
      within: null,
      withinEnd: null,
      statuses: null,
      types: null,
      fromMs: null,
      toMs: null,
      afterAt: 1,
      afterId: 1,
      limit: 50,
      visible: '210102001',
      visibleEnd: '210102001~',
      before: 2,
    };
    const ranges = plan('listVisible', params);
    expect(ranges).toContain('SEARCH dispute USING INDEX dispute_grid_time (grid_code>? AND grid_code<?)');
    expect(ranges).toContain('SEARCH dispute USING INDEX dispute_other_side (other_side_code>? AND other_side_code<?)');
    expect(ranges.filter((detail) => /^SCAN dispute\b/.test(detail))).toEqual([]);
    const byTime = plan('listVisibleByTime', params);
    expect(byTime.some((detail) => detail.startsWith('SEARCH dispute USING INDEX dispute_time (reported_at>? AND reported_at<?)'))).toBe(true);
    expect(byTime.filter((detail) => /^SCAN dispute\b/.test(detail))).toEqual([]);
  });
});

describe('writes near a line', () => {
  it('gives a report, and a case written with its history, the street across the line', () => {
    const near = placeBeside(100, 300);
    const at = inject('testDemo').nowMs! + 7 * 3_600_000;
    const place = store.disputes.locate(near.lngLat)!;
    expect(place.otherSideCode).toBe(near.other);
    const seqBefore = store.disputes.lastSeq();
    // Three reports at the same ms (a keyset tie), one of them from a caller that did not look across.
    const { placeCode, countyCode } = place;
    const reported = store.disputes.report([
      { ...newDispute(near.lngLat, at), ...place },
      { ...newDispute(near.lngLat, at), ...place },
      { ...newDispute(near.lngLat, at), placeCode, countyCode } as never,
    ]);
    for (const { id } of reported) expect(store.disputes.get(id)!.dispute.otherSideCode).toBe(near.other);

    const history = (key: number, extra: Partial<HistoryCase>): HistoryCase => ({ ...newDispute(near.lngLat, at + 1), placeCode, countyCode, key, ...extra });
    const { ids } = store.disputes.appendHistory({
      cases: [history(1, {}), history(2, { otherSideCode: null }), history(3, { otherSideCode: '210199999' })],
      steps: [{ caseKey: 1, action: 'assign', at: at + 2, actorRole: 'dispatcher', note: null }],
    });
    expect(ids.map((id) => store.disputes.get(id)!.dispute.otherSideCode)).toEqual([near.other, null, '210199999']);
    const transition = store.disputes.transition({ id: ids[0]!, action: 'accept', note: null, version: 2, actorRole: 'gridWorker', at: at + 3 }, DEFAULT_DEADLINE_POLICY);
    expect(transition.ok && transition.dispute.otherSideCode).toBe(near.other);

    // The other side's officers list them, two at a time across the tie; the own street too.
    const newIds = [...reported.map((r) => r.id), ids[0]!];
    const pages: number[] = [];
    let after: DisputeListQuery['after'];
    for (;;) {
      const page = store.disputes.list({ visibleIn: near.other, fromMs: at, limit: 2, after });
      pages.push(...page.map((record) => record.id));
      if (page.length < 2) break;
      after = { reportedAt: page.at(-1)!.reportedAt, id: page.at(-1)!.id };
    }
    expect(pages).toEqual([ids[0]!, ...reported.map((r) => r.id).reverse()]);
    expect(store.disputes.list({ withinCode: near.other, fromMs: at, limit: 10 })).toEqual([]);
    expect(store.disputes.list({ visibleIn: near.own, fromMs: at, limit: 10 }).map((record) => record.id).sort()).toEqual([...newIds, ids[1]!, ids[2]!].sort());

    // The log: the other side's scope has them, the plain unit scope does not.
    const visible = store.disputes.logAfter(seqBefore, 100, { visibleIn: near.other });
    expect(visible.filter((entry) => entry.step === 0).map((entry) => entry.disputeId)).toEqual(newIds);
    expect(visible.every((entry) => entry.otherSideCode === near.other)).toBe(true);
    expect(store.disputes.logAfter(seqBefore, 100, near.other)).toEqual([]);
    expect(store.disputes.logAfter(seqBefore, 100, near.own).length).toBe(store.disputes.logAfter(seqBefore, 100).length);
  });
});

describe('the live tail', () => {
  it('delivers the other side’s entries to a stream asking for what a unit sees, and not to one asking for what it places', async () => {
    const near = placeBeside(100, 300);
    const place = store.disputes.locate(near.lngLat)!;
    const tail = new DisputeLogTail(store.disputes);
    const abort = new AbortController();
    const seqBefore = store.disputes.lastSeq();
    const visibleStream = tail.stream({ visibleIn: near.other }, null, abort.signal);
    const placedStream = tail.stream(near.other, null, abort.signal);
    const visibleNext = visibleStream.next();
    const placedNext = placedStream.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(tail.subscriberCount).toBe(2);

    const at = inject('testDemo').nowMs! + 9 * 3_600_000;
    const [across] = store.disputes.report([{ ...newDispute(near.lngLat, at), ...place }]);
    tail.notify();
    // Then a case placed in the other street itself (at its label point): both streams get it.
    const inOther = raw.prepare('SELECT label_lng, label_lat FROM admin_unit WHERE code = ?').get(near.other) as { label_lng: number; label_lat: number };
    const otherPlace = store.disputes.locate([inOther.label_lng, inOther.label_lat])!;
    expect(otherPlace.placeCode.startsWith(near.other)).toBe(true);
    const [inside] = store.disputes.report([{ ...newDispute([inOther.label_lng, inOther.label_lat], at + 1), ...otherPlace }]);
    tail.notify();

    const batchOf = (result: IteratorResult<LogBatch, void>): LogBatch => {
      if (result.done) throw new Error('the stream ended');
      return result.value;
    };
    const delivered = [...batchOf(await visibleNext).entries];
    if (delivered.length < 2) delivered.push(...batchOf(await visibleStream.next()).entries);
    expect(delivered.map((entry) => [entry.disputeId, entry.otherSideCode])).toEqual([
      [across!.id, near.other],
      [inside!.id, otherPlace.otherSideCode],
    ]);
    const placed = await placedNext;
    expect(batchOf(placed).entries.map((entry) => entry.disputeId)).toEqual([inside!.id]);

    // A stream resuming from before both catches up through the log with the same scope.
    const resumed = tail.stream({ visibleIn: near.other }, seqBefore, abort.signal);
    const replay = await resumed.next();
    expect(batchOf(replay).entries.map((entry) => entry.disputeId)).toEqual([across!.id, inside!.id]);
    abort.abort();
    await Promise.all([visibleStream.return(undefined), placedStream.return(undefined), resumed.return(undefined)]);
  });
});
