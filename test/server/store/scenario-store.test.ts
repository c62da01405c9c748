// The scenario store in the accounts file: a round trip of every field, lists by code prefix most
// recently saved first with edit counts, updates that keep owner and creation time, removal, reopening
// the file, the migration of a schema-1 accounts file (users kept, scenarios added) and a newer schema
// refused; and the atlas store's facility lookup by id that saves check removals against.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScenarioEdits } from '../../../server/domain/scenario';
import { SqliteAccountStore } from '../../../server/store/sqlite-account-store';
import type { ScenarioFields } from '../../../server/store/scenario-store';
import { SqliteStore } from '../../../server/store/sqlite-store';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-scenarios-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const EDITS: ScenarioEdits = {
  addFacilities: [
    { lngLat: [123.45, 41.79], name: '新站 1', source: 'manual' },
    { lngLat: [123.46, 41.8], source: 'proposal' },
  ],
  removeFacilities: [7, 9, 11],
  addLinks: [
    [
      [123.44, 41.78],
      [123.441, 41.781],
    ],
  ],
  removeLinks: [],
};

const fields = (overrides: Partial<ScenarioFields> = {}): ScenarioFields => ({
  name: '沈河区方案',
  within: '210103',
  kind: 'health_station',
  maxMinutes: 15,
  edits: EDITS,
  dataVersion: 'v1',
  ...overrides,
});

describe('the scenario store', () => {
  it('keeps every field, lists by code prefix most recently saved first with edit counts, updates and removes', () => {
    const store = new SqliteAccountStore(':memory:');
    try {
      const scenarios = store.scenarios;
      const a = scenarios.addScenario(fields(), 'user:alice', 1_000);
      expect(a).toEqual({ id: a.id, ...fields(), owner: 'user:alice', createdAt: 1_000, updatedAt: 1_000 });
      expect(scenarios.scenario(a.id)).toEqual(a);
      const b = scenarios.addScenario(fields({ name: 'B', within: '210102', edits: { addFacilities: [], removeFacilities: [], addLinks: [], removeLinks: [3, 4] } }), 'token:7', 2_000);
      const c = scenarios.addScenario(fields({ name: 'C', within: '210103005', maxMinutes: 10 }), 'user:bob', 3_000);
      expect(scenarios.listScenarios({ withinCode: '2101', limit: 10 }).map((s) => s.name)).toEqual(['C', 'B', '沈河区方案']);
      // A prefix test on codes: 210103 holds its street, not 210102.
      const shenhe = scenarios.listScenarios({ withinCode: '210103', limit: 10 });
      expect(shenhe.map((s) => s.id)).toEqual([c.id, a.id]);
      expect(shenhe[1]).toEqual({ ...a, edits: undefined, editCounts: { addFacilities: 2, removeFacilities: 3, addLinks: 1, removeLinks: 0 } });
      expect(shenhe[1]).not.toHaveProperty('edits');
      expect(scenarios.listScenarios({ withinCode: '2101', limit: 2 })).toHaveLength(2);
      expect(scenarios.listScenarios({ withinCode: '2102', limit: 10 })).toEqual([]);

      // An update rewrites the fields, keeps owner and creation, and moves the scenario to the top.
      const renamed = scenarios.updateScenario(a.id, fields({ name: '改名', maxMinutes: 10, dataVersion: 'v2' }), 4_000)!;
      expect(renamed).toMatchObject({ id: a.id, name: '改名', maxMinutes: 10, dataVersion: 'v2', owner: 'user:alice', createdAt: 1_000, updatedAt: 4_000 });
      expect(scenarios.listScenarios({ withinCode: '21', limit: 10 })[0]!.id).toBe(a.id);
      expect(scenarios.updateScenario(999, fields(), 5_000)).toBeNull();

      expect(scenarios.removeScenario(b.id)).toBe(true);
      expect(scenarios.removeScenario(b.id)).toBe(false);
      expect(scenarios.scenario(b.id)).toBeNull();
      expect(scenarios.listScenarios({ withinCode: '21', limit: 10 }).map((s) => s.id)).toEqual([a.id, c.id]);
    } finally {
      store.close();
    }
  });

  it('survives closing and reopening the file', () => {
    const path = join(dir, 'reopen.sqlite');
    const first = new SqliteAccountStore(path);
    const saved = first.scenarios.addScenario(fields(), 'user:alice', 1_000);
    first.close();
    const second = new SqliteAccountStore(path);
    try {
      expect(second.scenarios.scenario(saved.id)).toEqual(saved);
    } finally {
      second.close();
    }
  });

  it('migrates a schema-1 accounts file: its users and audit chain kept, scenarios added', () => {
    const path = join(dir, 'schema-1.sqlite');
    // The schema-1 file as the server before scenarios wrote it (its tables, user_version 1).
    const old = new SqliteAccountStore(path);
    old.addUser({ username: 'alice', role: 'planner', jurisdiction: '2101', passwordHash: 'x', mustChangePassword: false, at: 1 });
    old.appendAudit({ at: 2, actor: 'system', action: 'test', target: 'x', detail: {} });
    old.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE scenario');
    raw.pragma('user_version = 1');
    raw.close();

    const store = new SqliteAccountStore(path);
    try {
      expect(store.userByName('alice')).toMatchObject({ role: 'planner', jurisdiction: '2101' });
      expect(store.verifyAudit()).toBeNull();
      const saved = store.scenarios.addScenario(fields(), 'user:alice', 3);
      expect(store.scenarios.scenario(saved.id)).toEqual(saved);
    } finally {
      store.close();
    }
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    check.close();
  });

  it('creates the whole schema in an empty file and refuses a file from a newer server', () => {
    const path = join(dir, 'empty.sqlite');
    new Database(path).close();
    const store = new SqliteAccountStore(path);
    expect(store.countUsers()).toBe(0);
    expect(store.scenarios.listScenarios({ withinCode: '21', limit: 5 })).toEqual([]);
    store.close();

    const newer = join(dir, 'newer.sqlite');
    const raw = new Database(newer);
    raw.pragma('user_version = 4');
    raw.close();
    expect(() => new SqliteAccountStore(newer)).toThrow(/accounts schema 4 is newer than this server's \(3\)/);
  });
});

describe('facilitiesById', () => {
  it('answers the facilities that exist, in id order, as facilities() does', () => {
    const store = new SqliteStore(inject('databasePath'));
    try {
      const some = store.facilities({ kinds: ['health_station'], withinCode: '210103' }).slice(0, 3);
      expect(some.length).toBe(3);
      const ids = [some[2]!.id, 999_999_999, some[0]!.id, some[1]!.id];
      expect(store.facilitiesById(ids)).toEqual(some);
      expect(store.facilitiesById([])).toEqual([]);
    } finally {
      store.close();
    }
  });
});
