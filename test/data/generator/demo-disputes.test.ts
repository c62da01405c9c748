// Generated disputes in the shared test database (scope 2101 Shenyang, seed 1, now 2026-11-01): the
// yearly rate per 1,000 residents, places inside their grids, codes in code_list, planted clusters
// linked to their events, the step log (one report per case, steps in time order) and fictional parties.

import type { MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { openDatabaseReadOnly } from '../../support/demo-checks';
import { pointInMultiPolygon } from '../../server/helpers/geometry';

const db = openDatabaseReadOnly(inject('databasePath'));
const NOW_MS = inject('testDemo').nowMs!;

interface DisputeRow {
  id: number;
  gridCode: string;
  lng: number;
  lat: number;
  reportedAt: number;
  parties: string;
  clusterId: number | null;
}

let disputes: DisputeRow[];

beforeAll(() => {
  disputes = db
    .prepare('SELECT id, grid_code AS gridCode, lng, lat, reported_at AS reportedAt, parties, cluster_id AS clusterId FROM dispute ORDER BY id')
    .all() as DisputeRow[];
});

afterAll(() => db.close());

describe('disputes of the Shenyang scope', () => {
  it('cover the 12 months before "now" at 8–13 disputes per 1,000 residents', () => {
    const residents = (db.prepare('SELECT sum(population) AS n FROM grid').get() as { n: number }).n;
    expect(residents).toBe(9_070_093);
    const early = disputes.filter((d) => !(d.reportedAt >= NOW_MS - 366 * MS_PER_DAY && d.reportedAt < NOW_MS));
    expect(early.map((d) => d.id).slice(0, 10)).toEqual([]);
    const perThousand = disputes.length / (residents / 1000);
    expect(perThousand).toBeGreaterThanOrEqual(8);
    expect(perThousand).toBeLessThanOrEqual(13);
    expect(disputes.length).toBe((db.prepare('SELECT count(*) AS n FROM dispute').get() as { n: number }).n);
  });

  it('name an existing grid and lie inside its polygon (point in polygon on the full geometry)', () => {
    const grids = new Map(
      (db.prepare('SELECT code, geojson FROM grid').all() as { code: string; geojson: string }[]).map((g) => [g.code, JSON.parse(g.geojson) as MultiPolygon]),
    );
    const unknown = disputes.filter((d) => !grids.has(d.gridCode)).map((d) => `${d.id}: ${d.gridCode}`);
    expect(unknown).toEqual([]);
    const outside = disputes.filter((d) => !pointInMultiPolygon([d.lng, d.lat], grids.get(d.gridCode)!)).map((d) => `${d.id} outside ${d.gridCode}`);
    expect(outside.slice(0, 10), `${outside.length} of ${disputes.length}`).toEqual([]);
  });

  it('use only codes listed in code_list', () => {
    const columns: [string, string][] = [
      ['type', 'dispute_type'],
      ['source', 'dispute_source'],
      ['severity', 'dispute_severity'],
      ['status', 'dispute_status'],
      ['handling_level', 'handling_level'],
      ['resolved_level', 'handling_level'],
      ['outcome', 'dispute_outcome'],
    ];
    for (const [column, list] of columns) {
      const unlisted = db
        .prepare(`SELECT count(*) AS n FROM dispute d WHERE d.${column} IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM code_list c WHERE c.list = ? AND c.code = d.${column})`)
        .get(list) as { n: number };
      expect(unlisted.n, column).toBe(0);
    }
    const steps = db
      .prepare(`SELECT count(*) AS n FROM dispute_step s
                WHERE NOT EXISTS (SELECT 1 FROM code_list c WHERE c.list = 'step_action' AND c.code = s.action)
                   OR NOT EXISTS (SELECT 1 FROM code_list c WHERE c.list = 'actor_role' AND c.code = s.actor_role)
                   OR NOT EXISTS (SELECT 1 FROM code_list c WHERE c.list = 'dispute_status' AND c.code = s.to_status)`)
      .get() as { n: number };
    expect(steps.n).toBe(0);
  });

  it('link planted clusters of all four kinds to exactly their event_count events', () => {
    const clusters = db.prepare('SELECT id, kind, event_count AS eventCount, boundary_line_id AS lineId FROM planted_cluster').all() as {
      id: number;
      kind: string;
      eventCount: number;
      lineId: string | null;
    }[];
    expect(new Set(clusters.map((c) => c.kind))).toEqual(new Set(['persistent', 'emerging', 'diminishing', 'boundary']));
    const linked = new Map<number, number>();
    for (const d of disputes) if (d.clusterId !== null) linked.set(d.clusterId, (linked.get(d.clusterId) ?? 0) + 1);
    expect(linked).toEqual(new Map(clusters.filter((c) => c.eventCount > 0).map((c) => [c.id, c.eventCount])));
    expect(clusters.every((c) => c.eventCount > 0)).toBe(true);
    const lineIds = new Set((db.prepare('SELECT line_id FROM boundary_line').pluck().all() as string[]));
    for (const cluster of clusters) {
      if (cluster.kind === 'boundary') expect(lineIds.has(cluster.lineId!), `${cluster.id}: ${cluster.lineId}`).toBe(true);
      else expect(cluster.lineId).toBeNull();
    }
  });

  it('log exactly one report (step 0) per dispute at its reported time, then steps numbered on, strictly later each', () => {
    const reportedAt = new Map(disputes.map((d) => [d.id, d.reportedAt]));
    const problems: string[] = [];
    let current = -1;
    let expectedStep = 0;
    let lastAt = -Infinity;
    let cases = 0;
    for (const [disputeId, step, action, fromStatus, at] of db
      .prepare('SELECT dispute_id, step, action, from_status, at FROM dispute_step ORDER BY dispute_id, step')
      .raw()
      .iterate() as IterableIterator<[number, number, number, number | null, number]>) {
      if (disputeId !== current) {
        current = disputeId;
        cases += 1;
        expectedStep = 0;
        lastAt = -Infinity;
      }
      if (step !== expectedStep) problems.push(`${disputeId}: step ${step} where ${expectedStep} was due`);
      if (step === 0 && (action !== 0 || fromStatus !== null || at !== reportedAt.get(disputeId))) problems.push(`${disputeId}: report step ${action} ${fromStatus} ${at}`);
      if (step > 0 && action === 0) problems.push(`${disputeId}: a second report at step ${step}`);
      if (!(at > lastAt)) problems.push(`${disputeId}: step ${step} at ${at} not after ${lastAt}`);
      lastAt = at;
      expectedStep = step + 1;
      if (problems.length > 20) break;
    }
    expect(problems).toEqual([]);
    expect(cases).toBe(disputes.length);
  });

  it('number the log (seq) in time order, as the live stream continues it', () => {
    const outOfOrder = db
      .prepare('SELECT count(*) AS n FROM dispute_step a JOIN dispute_step b ON b.seq = a.seq + 1 WHERE b.at < a.at')
      .get() as { n: number };
    expect(outOfOrder.n).toBe(0);
    const { n, first, last } = db.prepare('SELECT count(*) AS n, min(seq) AS first, max(seq) AS last FROM dispute_step').get() as {
      n: number;
      first: number;
      last: number;
    };
    expect([first, last]).toEqual([1, n]);
  });

  it('carry only fictional parties: 1–3 names with 某 and （演示）, phones 000-0000-dddd', () => {
    const bad: string[] = [];
    for (const d of disputes) {
      const parties = JSON.parse(d.parties) as unknown;
      const ok =
        Array.isArray(parties) &&
        parties.length >= 1 &&
        parties.length <= 3 &&
        parties.every(
          (p) =>
            Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && p[0].includes('某') && p[0].endsWith('（演示）') && /^000-0000-\d{4}$/.test(p[1] as string),
        );
      if (!ok) bad.push(`${d.id}: ${d.parties}`);
    }
    expect(bad.slice(0, 10), `${bad.length} of ${disputes.length}`).toEqual([]);
  });
});
