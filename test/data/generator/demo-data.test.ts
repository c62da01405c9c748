// Determinism of the demonstration data: the same seed, scope and "now" built twice (into temporary
// directories) give the same content hash and row-for-row identical tables; another seed gives another
// hash and other rows, with the same census totals. Scope 210123 (康平县, rural with a small town).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { paths } from '../../../server/paths';
import { buildDatabase, type BuildSummary, type DemoOptions } from '../../../server/ingest/build-database';
import { hashTableRows, openDatabaseReadOnly } from '../../support/demo-checks';

const KANGPING = '210123';
const KANGPING_POPULATION_2020 = 278_384;

/** Tables of generated content, with the order that makes their rows comparable. */
const TABLES: [string, string][] = [
  ['admin_unit', 'id'],
  ['admin_geometry', 'unit_id, band'],
  ['boundary_line', 'id'],
  ['boundary_geometry', 'line_id, band'],
  ['grid', 'id'],
  ['demand_point', 'id'],
  ['facility', 'id'],
  ['road_node', 'id'],
  ['road_edge', 'id'],
  ['barrier', 'id'],
  ['dispute', 'id'],
  ['dispute_step', 'seq'],
  ['planted_cluster', 'id'],
  ['code_list', 'list, code'],
];

interface Built {
  summary: BuildSummary;
  db: Database.Database;
}

let dir: string;
let first: Built;
let second: Built;
let otherSeed: Built;

function build(name: string, demo: DemoOptions): Built {
  const databasePath = join(dir, `${name}.sqlite`);
  const summary = buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo });
  return { summary, db: openDatabaseReadOnly(databasePath) };
}

const demoMeta = (db: Database.Database): Record<string, unknown> =>
  JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'demo'").get() as { value: string }).value) as Record<string, unknown>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-demo-'));
  const demo: DemoOptions = { seed: 1, scope: KANGPING, nowMs: inject('testDemo').nowMs };
  first = build('first', demo);
  second = build('second', demo);
  otherSeed = build('other-seed', { ...demo, seed: 2 });
});

afterAll(() => {
  for (const built of [first, second, otherSeed]) built?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('generateDemoData through buildDatabase', () => {
  it('records the seed, scope, now and the same content hash for the same parameters', () => {
    const meta = demoMeta(first.db);
    expect(meta).toEqual({ seed: 1, scope: KANGPING, nowMs: inject('testDemo').nowMs, contentHash: first.summary.contentHash });
    expect(first.summary.contentHash).toMatch(/^[0-9a-f]{16}$/);
    expect(demoMeta(second.db)).toEqual(meta);
    expect(second.summary.dataVersion).toBe(first.summary.dataVersion);
    expect(second.summary.counts).toEqual(first.summary.counts);
  });

  it('writes row-for-row identical tables for the same parameters', () => {
    for (const [table, order] of TABLES) {
      const a = hashTableRows(first.db, table, order);
      const b = hashTableRows(second.db, table, order);
      expect(b, table).toEqual(a);
    }
    // The comparison is not vacuous: every generated table has rows.
    for (const table of ['grid', 'demand_point', 'facility', 'road_edge', 'dispute', 'dispute_step', 'planted_cluster']) {
      expect(hashTableRows(first.db, table, TABLES.find(([name]) => name === table)![1]).rows, table).toBeGreaterThan(0);
    }
  });

  it('gives another seed another content hash and other grids, facilities and disputes', () => {
    expect(demoMeta(otherSeed.db)).toMatchObject({ seed: 2, scope: KANGPING });
    expect(otherSeed.summary.contentHash).not.toBe(first.summary.contentHash);
    expect(otherSeed.summary.dataVersion).not.toBe(first.summary.dataVersion);
    for (const table of ['grid', 'facility', 'dispute']) {
      expect(hashTableRows(otherSeed.db, table).hash, table).not.toBe(hashTableRows(first.db, table).hash);
    }
  });

  it('keeps the census totals and the scope whatever the seed', () => {
    for (const { db } of [first, otherSeed]) {
      const totals = db.prepare('SELECT substr(code, 1, 6) AS county, sum(population) AS residents FROM grid GROUP BY county').all();
      expect(totals).toEqual([{ county: KANGPING, residents: KANGPING_POPULATION_2020 }]);
      const points = db.prepare('SELECT sum(population) AS residents FROM demand_point').get();
      expect(points).toEqual({ residents: KANGPING_POPULATION_2020 });
      const outside = db.prepare(`SELECT count(*) AS n FROM facility WHERE community_code NOT LIKE '${KANGPING}%'`).get();
      expect(outside).toEqual({ n: 0 });
      // Streets and communities outside the scope carry no generated population.
      const populated = db.prepare("SELECT DISTINCT substr(code, 1, 6) AS county FROM admin_unit WHERE level = 'street' AND population IS NOT NULL").all();
      expect(populated).toEqual([{ county: KANGPING }]);
    }
  });
});
