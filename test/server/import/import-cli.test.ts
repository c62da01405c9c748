// The import command end to end, and a GBK facility ledger without any declared encoding: the CLI commits
// (exit 0), `import history` lists the import, `import undo` takes it back (exit 0, then 1 with nothing
// left to undo); the GBK names are detected and read back intact.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { runCli } from '../cli/cli-process';
import { exportFacilities, hashFile, openImportWorkspace, type FacilityExport, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;
let ledger: FacilityExport[];

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-cli-');
  ledger = exportFacilities(workspace.databasePath, "kind IN ('police_post', 'mediation_room')", 300);
});
afterAll(() => workspace.close());

/** Writes rows as a GBK-encoded CSV (Python's codec: Node has no GBK encoder). */
function writeGbkCsv(path: string, rows: readonly FacilityExport[]): void {
  const text = ['kind,name,lng,lat', ...rows.map((f) => `${f.kind},${f.name},${f.lng},${f.lat}`)].join('\n') + '\n';
  execFileSync('python3', ['-c', 'import sys; open(sys.argv[1], "wb").write(sys.stdin.read().encode("gbk"))', path], { input: text });
}

describe('import command', () => {
  it('detects a GBK CSV without a declared encoding and reads its names intact', async () => {
    const path = join(workspace.dir, 'ledger-gbk.csv');
    writeGbkCsv(path, ledger);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path });
    expect(report.encoding).toEqual({ name: 'gb18030', source: 'detected' });
    expect(report.committed).toBe(true);
    expect(exportFacilities(workspace.databasePath).map((f) => f.name)).toEqual(ledger.map((f) => f.name));
  });

  it('commits, lists the history and undoes through the CLI with the exit codes of the contract', () => {
    const path = join(workspace.dir, 'ledger-gbk.csv');
    const committed = runCli(['import', 'facilities', path, '--encoding', 'gbk', '--db', workspace.databasePath]);
    expect(committed.code, committed.stderr).toBe(0);
    expect(committed.stdout).toMatch(/committed: import 2, data version \w+ → \w+/);
    const history = runCli(['import', 'history', '--db', workspace.databasePath]);
    expect(history.code).toBe(0);
    const entries = JSON.parse(history.stdout) as { id: number; layer: string; fileName: string; undoneAt: string | null }[];
    expect(entries.map((e) => [e.id, e.layer, e.fileName, e.undoneAt])).toEqual([
      [2, 'facilities', 'ledger-gbk.csv', null],
      [1, 'facilities', 'ledger-gbk.csv', null],
    ]);
    expect(runCli(['import', 'undo', '--db', workspace.databasePath]).stdout).toMatch(/undid import 2 \(facilities from ledger-gbk\.csv\)/);
    expect(runCli(['import', 'undo', '--db', workspace.databasePath]).code).toBe(0);
    const before = hashFile(workspace.databasePath);
    const nothing = runCli(['import', 'undo', '--db', workspace.databasePath]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr.trim()).toBe('no import to undo');
    expect(hashFile(workspace.databasePath)).toBe(before);
    expect(runCli(['import', 'spaceships', path, '--db', workspace.databasePath]).stderr).toMatch(/unknown layer "spaceships"/);
  }, 120_000);
});
