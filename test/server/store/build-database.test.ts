// ensureDatabase reuses a current database and rebuilds a stale one; a failed build leaves no partial
// file and does not replace an existing database. Each test works in its own temporary directory.

import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { paths } from '../../../server/paths';
import { computeDataVersion, ensureDatabase, readDatabaseVersion } from '../../../server/ingest/build-database';
import { SqliteStore } from '../../../server/store/sqlite-store';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-build-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the test database whose recorded data version is `version`. */
function copyTestDatabase(version: string): string {
  const path = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), path);
  const db = new Database(path);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'data_version'").run(version);
  db.close();
  return path;
}

/** A copy of data/sources to corrupt. */
function copySources(): string {
  const sourcesDir = join(dir, 'sources');
  cpSync(paths.sourcesDir, sourcesDir, { recursive: true });
  return sourcesDir;
}

const CENSUS = join('liaoning', 'county-population-2020.csv');

describe('computeDataVersion and readDatabaseVersion', () => {
  it('gives identical sources the same version and any changed byte another', () => {
    const sourcesDir = copySources();
    expect(computeDataVersion(sourcesDir, inject('testDemo'))).toBe(inject('dataVersion'));
    const path = join(sourcesDir, CENSUS);
    writeFileSync(path, readFileSync(path, 'utf8').replace('730785', '730786'));
    expect(computeDataVersion(sourcesDir, inject('testDemo'))).not.toBe(inject('dataVersion'));
  });

  it('gives other demonstration parameters another version', () => {
    const demo = inject('testDemo');
    const versions = new Set([
      computeDataVersion(paths.sourcesDir, demo),
      computeDataVersion(paths.sourcesDir, { ...demo, seed: demo.seed + 1 }),
      computeDataVersion(paths.sourcesDir, { ...demo, scope: '2102' }),
      computeDataVersion(paths.sourcesDir, { ...demo, nowMs: demo.nowMs! + 1 }),
      computeDataVersion(paths.sourcesDir, null),
    ]);
    expect(versions.size).toBe(5);
  });

  it('reads the recorded version, and null for a missing or unreadable file', () => {
    expect(readDatabaseVersion(inject('databasePath'))).toBe(inject('dataVersion'));
    expect(readDatabaseVersion(join(dir, 'missing.sqlite'))).toBeNull();
    writeFileSync(join(dir, 'garbage.sqlite'), 'not a database');
    expect(readDatabaseVersion(join(dir, 'garbage.sqlite'))).toBeNull();
  });
});

describe('ensureDatabase', () => {
  it('reuses a database of the current data version without touching it', () => {
    const path = copyTestDatabase(inject('dataVersion'));
    const before = statSync(path);
    const result = ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: path, demo: inject('testDemo') });
    expect(result).toEqual({ built: false, dataVersion: inject('dataVersion') });
    const after = statSync(path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('rebuilds a database whose recorded data version differs, and the rebuilt one is then reused', () => {
    // Geography only (demo: null) keeps the rebuild quick; the demonstration layers are tested elsewhere.
    const path = copyTestDatabase('0000000000000000');
    const expected = computeDataVersion(paths.sourcesDir, null);
    const started = performance.now();
    const rebuilt = ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: path, demo: null });
    const buildMs = performance.now() - started;
    expect(rebuilt).toEqual({ built: true, dataVersion: expected });
    expect(readDatabaseVersion(path)).toBe(expected);

    const store = new SqliteStore(path);
    try {
      expect(store.health().counts).toMatchObject({ province: 1, city: 14, county: 100, street: 1406, community: 16727 });
    } finally {
      store.close();
    }
    expect(readdirSync(dir)).toEqual(['atlas.sqlite']);

    // Reuse only hashes the sources: far cheaper than the build it replaces.
    const reuseStarted = performance.now();
    expect(ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: path, demo: null }).built).toBe(false);
    expect(performance.now() - reuseStarted).toBeLessThan(buildMs / 5);
  });

  it('builds a database where there is none, or where the file is not a database', () => {
    const path = join(dir, 'atlas.sqlite');
    writeFileSync(path, 'not a database');
    expect(ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: path, demo: null }).built).toBe(true);
    expect(readDatabaseVersion(path)).toBe(computeDataVersion(paths.sourcesDir, null));
  });
});

describe('a failed build', () => {
  it('reports a corrupted CSV row clearly and creates no database file', () => {
    const sourcesDir = copySources();
    const census = join(sourcesDir, CENSUS);
    writeFileSync(census, readFileSync(census, 'utf8').replace('210103,沈河区,782628', '210103,沈河区,lots'));
    const path = join(dir, 'atlas.sqlite');
    expect(() => ensureDatabase({ sourcesDir, databasePath: path, demo: null })).toThrow(
      /county-population-2020\.csv: bad population in .*210103/,
    );
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual(['sources']);
  });

  it('leaves an existing database in place, unchanged', () => {
    const sourcesDir = copySources();
    const census = join(sourcesDir, CENSUS);
    writeFileSync(census, readFileSync(census, 'utf8').replace('210103,沈河区,782628', '210103,沈河区,-5'));
    const path = copyTestDatabase('stale');
    const before = readFileSync(path);
    expect(() => ensureDatabase({ sourcesDir, databasePath: path, demo: null })).toThrow(/bad population/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readDatabaseVersion(path)).toBe('stale');
    expect(readdirSync(dir).sort()).toEqual(['atlas.sqlite', 'sources']);
  });

  it('removes its temporary file when it fails while writing (a county outline with no area)', () => {
    // The outline is read and joined fine; the failure comes while writing geometry, after the
    // temporary database file was created.
    const sourcesDir = copySources();
    const file = join(sourcesDir, 'liaoning', 'boundaries', 'counties', '2101-shenyang.gcj02.geojson');
    const collection = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: { name: string }; geometry: unknown }[] };
    const heping = collection.features.find((feature) => feature.properties.name === '和平区')!;
    heping.geometry = { type: 'Polygon', coordinates: [[[123.4, 41.8], [123.41, 41.8], [123.42, 41.8], [123.4, 41.8]]] };
    writeFileSync(file, JSON.stringify(collection));
    const path = copyTestDatabase('stale');
    const before = readFileSync(path);
    expect(() => ensureDatabase({ sourcesDir, databasePath: path, demo: null })).toThrow(/210102 has no geometry at full detail/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['atlas.sqlite', 'sources']);
  });
});
