// An import or undo by another process (the CLI) while the server runs is served without a restart: the
// server compares the stored data version with the one it serves and takes the change as it takes its
// own imports (meta.health's provenance, counts and data version follow); and which layer a version
// change names, by the import history.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { listImports, undoLastImport, type ImportHistoryEntry } from '../../server/ingest/import/history';
import { layerChangedTo } from '../../server/live/data-imports';
import { exportFacilities, toCsv } from './import/import-fixtures';
import { runCli } from './cli/cli-process';

let dir: string;
let databasePath: string;
let running: RunningServer;

interface Health {
  dataVersion: string;
  counts: Record<string, number>;
  layers: Record<string, { source: string; fileName?: string }>;
}

const health = async (): Promise<Health> => {
  const response = await fetch(`${running.url}/trpc/meta.health`);
  return ((await response.json()) as { result: { data: Health } }).result.data;
};

/** meta.health once `done` holds for it (polled; the server looks every 50 ms here). */
async function healthWhen(done: (health: Health) => boolean): Promise<Health> {
  for (;;) {
    const answer = await health();
    if (done(answer)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-import-other-process-'));
  databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  running = await startServer({ databasePath, port: 0, anonymous: 'viewer', heavyThreads: 1, uploadsDir: join(dir, 'uploads'), dataWatchMs: 50 });
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data changed by another process', () => {
  it('an import by the CLI is served within moments, and so is its undo', { timeout: 180_000 }, async () => {
    const before = await health();
    const rows = exportFacilities(databasePath, '1 = 1', 300);
    const file = join(dir, '外部导入.csv');
    writeFileSync(file, toCsv(['kind', 'name', 'lng', 'lat', 'unitCode'], rows.map((f) => [f.kind, f.name, f.lng, f.lat, f.unitCode])));
    const imported = runCli(['import', 'facilities', file, '--db', databasePath]);
    expect(imported.code, imported.stderr).toBe(0);

    const after = await healthWhen((h) => h.dataVersion !== before.dataVersion);
    expect(after.layers.facilities).toMatchObject({ source: 'imported', fileName: '外部导入.csv' });
    expect(after.counts.facilities).toBe(rows.length);

    expect(undoLastImport(databasePath)?.layer).toBe('facilities');
    const undone = await healthWhen((h) => h.dataVersion === before.dataVersion);
    expect(undone.layers.facilities!.source).toBe(before.layers.facilities!.source);
    expect(undone.counts.facilities).toBe(before.counts.facilities);
  });

  it('names the layer of an import that set the version, or of an undo that put it back; null for neither', () => {
    const entry = (id: number, layer: ImportHistoryEntry['layer'], previous: string, version: string, undoneAt: string | null): ImportHistoryEntry => ({
      id,
      layer,
      fileName: 'f',
      fileSha256: '0',
      format: 'csv',
      crs: 'WGS84',
      features: 1,
      importedAt: '2026-12-07T00:00:00Z',
      previousDataVersion: previous,
      dataVersion: version,
      undoneAt,
      undoable: undoneAt === null,
    });
    const history = [entry(2, 'grids', 'v1', 'v2', '2026-12-07T01:00:00Z'), entry(1, 'facilities', 'v0', 'v1', null)];
    expect(layerChangedTo(history, 'v1')).toBe('grids');
    expect(layerChangedTo([history[1]!], 'v1')).toBe('facilities');
    expect(layerChangedTo(history, 'v9')).toBeNull();
    expect(listImports(databasePath).length).toBeGreaterThan(0);
  });
});
