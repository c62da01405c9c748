// Undo backups are pruned to the last ATLAS_IMPORT_KEEP_UNDO committed imports: older backup tables are
// dropped in the import's transaction, the history says which entries can still be undone, undoing a
// pruned entry is refused by name with the database unchanged, and a malformed setting is a clear error
// before anything is read or written (library and CLI).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportNotUndoableError, listImports, undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { keepUndoFromEnv } from '../../../server/ingest/import/write';
import { runUndoTask } from '../../../server/jobs/import';
import { expectOneLineError, runCli } from '../cli/cli-process';
import { exportFacilities, hashFile, openImportWorkspace, toCsv, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;
const saved = process.env.ATLAS_IMPORT_KEEP_UNDO;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-pruning-');
});
afterEach(() => {
  if (saved === undefined) delete process.env.ATLAS_IMPORT_KEEP_UNDO;
  else process.env.ATLAS_IMPORT_KEEP_UNDO = saved;
});
afterAll(() => workspace.close());

/** A facility ledger of `count` police posts, the i-th file differing from the others by its names. */
function writeLedger(i: number, count = 40): string {
  const rows = exportFacilities(workspace.databasePath, "kind = 'police_post'", count).map((f) => [f.kind, `${f.name}-${i}`, f.lng, f.lat]);
  const path = join(workspace.dir, `ledger-${i}.csv`);
  writeFileSync(path, toCsv(['kind', 'name', 'lng', 'lat'], rows));
  return path;
}

function backupTables(): string[] {
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'import_backup_*' ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

const facilityNames = () => exportFacilities(workspace.databasePath).map((f) => f.name);

describe('undo backups', () => {
  it('reads ATLAS_IMPORT_KEEP_UNDO: default 5, whole numbers ≥ 1, anything else named', () => {
    expect(keepUndoFromEnv(undefined)).toBe(5);
    expect(keepUndoFromEnv(' ')).toBe(5);
    expect(keepUndoFromEnv('12')).toBe(12);
    for (const bad of ['0', '-1', '2.5', 'many', '1e3']) {
      expect(() => keepUndoFromEnv(bad)).toThrow(`ATLAS_IMPORT_KEEP_UNDO must be a whole number of imports ≥ 1, got "${bad}"`);
    }
  });

  it('keeps the backups of the last N imports, says which can be undone, and refuses to undo a pruned one', async () => {
    process.env.ATLAS_IMPORT_KEEP_UNDO = '2';
    const namesAfter: string[][] = [];
    for (let i = 1; i <= 4; i++) {
      const report = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: writeLedger(i) });
      expect(report.committed).toBe(true);
      expect(report.importId).toBe(i);
      namesAfter.push(facilityNames());
    }
    expect(backupTables()).toEqual(['import_backup_3_facility', 'import_backup_3_facility_rtree', 'import_backup_4_facility', 'import_backup_4_facility_rtree']);
    expect(listImports(workspace.databasePath).map((entry) => [entry.id, entry.undoable])).toEqual([
      [4, true],
      [3, true],
      [2, false],
      [1, false],
    ]);

    expect(undoLastImport(workspace.databasePath)?.id).toBe(4);
    expect(undoLastImport(workspace.databasePath)?.id).toBe(3);
    expect(facilityNames()).toEqual(namesAfter[1]);
    expect(listImports(workspace.databasePath).map((entry) => [entry.id, entry.undoable])).toEqual([
      [4, false],
      [3, false],
      [2, false],
      [1, false],
    ]);
    const hash = hashFile(workspace.databasePath);
    expect(() => undoLastImport(workspace.databasePath)).toThrow(ImportNotUndoableError);
    expect(() => undoLastImport(workspace.databasePath)).toThrow(/^import 2 \(facilities from ledger-2\.csv, .+\) can no longer be undone: its backup was dropped/);
    expect(hashFile(workspace.databasePath)).toBe(hash);
    // The server's undo thread answers the refusal as data (admin.undoImport: PRECONDITION_FAILED with this text).
    expect(runUndoTask(workspace.databasePath)).toEqual({ refused: expect.stringMatching(/^import 2 \(facilities from ledger-2\.csv, .+\) can no longer be undone/) });
    expect(hashFile(workspace.databasePath)).toBe(hash);

    const cli = runCli(['import', 'undo', '--db', workspace.databasePath]);
    expectOneLineError(cli, /import 2 \(facilities from ledger-2\.csv, .+\) can no longer be undone/);
    expect(hashFile(workspace.databasePath)).toBe(hash);
    const history = runCli(['import', 'history', '--db', workspace.databasePath]);
    expect((JSON.parse(history.stdout) as { id: number; undoable: boolean }[]).map((entry) => entry.undoable)).toEqual([false, false, false, false]);

    // A new import is undoable again; the pruned entry under it stays refused.
    const fifth = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: writeLedger(5) });
    expect(listImports(workspace.databasePath).map((entry) => [entry.id, entry.undoable])[0]).toEqual([5, true]);
    expect(undoLastImport(workspace.databasePath)?.id).toBe(fifth.importId);
    expect(facilityNames()).toEqual(namesAfter[1]);
  }, 300_000);

  it('refuses a malformed ATLAS_IMPORT_KEEP_UNDO before reading the file, with the database unchanged', async () => {
    const path = writeLedger(6);
    const hash = hashFile(workspace.databasePath);
    process.env.ATLAS_IMPORT_KEEP_UNDO = 'all';
    await expect(importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path })).rejects.toThrow('ATLAS_IMPORT_KEEP_UNDO must be a whole number of imports ≥ 1, got "all"');
    // The CLI's child process inherits it.
    expectOneLineError(runCli(['import', 'facilities', path, '--db', workspace.databasePath]), /ATLAS_IMPORT_KEEP_UNDO must be a whole number of imports ≥ 1, got "all"/);
    expect(hashFile(workspace.databasePath)).toBe(hash);
    // A dry run writes nothing and keeps no backup: the setting does not concern it.
    const dry = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path, dryRun: true });
    expect(dry.issueCounts.error).toBe(0);
  }, 120_000);
});
