// The handler columns reach a database built before them: a writable open adds them (ADD COLUMN, in one
// transaction) with every case and step kept as it was, a second open changes nothing, a chosen handler
// survives a restart, and a read-only open of an old database answers as before (no unit chosen).

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { DEFAULT_DEADLINE_POLICY } from '../../../server/domain/dispute-deadlines';

let dir: string;
let databasePath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-migration-'));
  databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function columnsOf(path: string, table: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
  } finally {
    db.close();
  }
}

function counts(path: string): { cases: number; steps: number; checksum: number } {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT (SELECT count(*) FROM dispute) AS cases, (SELECT count(*) FROM dispute_step) AS steps,
                (SELECT total(id * 7 + status * 3 + handling_level + version) FROM dispute) AS checksum`,
      )
      .get() as { cases: number; steps: number; checksum: number };
  } finally {
    db.close();
  }
}

describe('the handler columns of an existing database', () => {
  it('are added by the first writable open, keeping every case and step', () => {
    expect(columnsOf(databasePath, 'dispute')).not.toContain('handler_unit');
    expect(columnsOf(databasePath, 'dispute_step')).not.toContain('handler_unit');
    const before = counts(databasePath);
    const old = new SqliteStore(databasePath);
    const ids = old.disputes.list({ limit: 500 }).map((dispute) => dispute.id);
    const sample = ids.map((id) => old.disputes.get(id)!);
    // An old database read-only: no unit chosen anywhere; loads and statistics answer from the places.
    expect(sample.every(({ dispute }) => dispute.handlerUnit === null && dispute.jointUnit === null)).toBe(true);
    const unit = sample[0]!.dispute.placeCode.slice(0, 9);
    const oldLoad = old.disputes.openLoad([{ unitCode: unit, level: 'street' }], '21');
    old.close();

    const store = new SqliteStore(databasePath, { writable: true });
    try {
      for (const table of ['dispute', 'dispute_step']) expect(columnsOf(databasePath, table)).toEqual(expect.arrayContaining(['handler_unit', 'joint_unit']));
      expect(counts(databasePath)).toEqual(before);
      for (const { dispute, history } of sample) {
        const now = store.disputes.get(dispute.id)!;
        expect(now.dispute).toEqual({ ...dispute, handlerUnit: null, jointUnit: null });
        expect(now.history).toEqual(history.map((step) => ({ ...step, handlerUnit: null, jointUnit: null })));
      }
      expect(store.disputes.openLoad([{ unitCode: unit, level: 'street' }], '21')).toEqual(oldLoad);
    } finally {
      store.close();
    }
  });

  it('are left alone by a second open; a chosen handler survives a restart', () => {
    const first = new SqliteStore(databasePath, { writable: true });
    const dispute = first.disputes.list({ statuses: ['reported'], limit: 1 })[0]!;
    const community = dispute.placeCode.slice(0, 12);
    const result = first.disputes.transition({
      id: dispute.id,
      action: 'assign',
      note: null,
      version: dispute.version,
      actorRole: 'dispatcher',
      at: dispute.reportedAt + 1000,
      handler: { unit: community, level: 'community', jointUnit: null },
    }, DEFAULT_DEADLINE_POLICY);
    expect(result.ok).toBe(true);
    first.close();
    const before = counts(databasePath);
    const again = new SqliteStore(databasePath, { writable: true });
    again.close();
    expect(counts(databasePath)).toEqual(before);
    const readOnly = new SqliteStore(databasePath);
    try {
      const { dispute: stored, history } = readOnly.disputes.get(dispute.id)!;
      expect(stored).toMatchObject({ status: 'assigned', handlingLevel: 'community', handlerUnit: community });
      expect(history.at(-1)).toMatchObject({ action: 'assign', handlerUnit: community, jointUnit: null });
    } finally {
      readOnly.close();
    }
  });
});
