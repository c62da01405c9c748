// Facility imports on a copy of the test database: the header kind,name,lng,lat needs no mapping; the demo
// facilities exported as XLSX, shifted to GCJ-02 and re-imported with --crs gcj02 land within 1 m of the
// originals; declared as WGS84 instead, the shift check names GCJ-02; a dry run writes nothing; undo restores.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../../server/ingest/build-database';
import { paths } from '../../../server/paths';
import { parseCrsOption } from '../../../server/ingest/import/crs';
import { listImports, readLayerSources, undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { appRouter } from '../../../server/routers/app';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { createCallerFactory } from '../../../server/trpc';
import { testContext } from '../../support/context';
import { distanceMeters, exportFacilities, hashFile, openImportWorkspace, toCsv, writeFacilityXlsx, type FacilityExport, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;
let originals: FacilityExport[];

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-facilities-');
  originals = exportFacilities(workspace.databasePath);
});
afterAll(() => workspace.close());

function facilityTable(databasePath: string): FacilityExport[] {
  return exportFacilities(databasePath);
}

describe('facility import', () => {
  it('reads a CSV with the header kind,name,lng,lat without any mapping, and a dry run writes nothing', async () => {
    const path = join(workspace.dir, 'plain.csv');
    writeFileSync(path, toCsv(['kind', 'name', 'lng', 'lat'], originals.slice(0, 50).map((f) => [f.kind, f.name, f.lng, f.lat])));
    const before = hashFile(workspace.databasePath);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path, dryRun: true });
    expect(report.fileError).toBeNull();
    expect(report.featuresRead).toBe(50);
    expect(report.accepted).toBe(50);
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(false);
    expect(hashFile(workspace.databasePath)).toBe(before);
  });

  it('names each bad row: unknown kind, missing name, wrong types, a code not in the hierarchy, outside its unit, duplicates', async () => {
    const good = originals[0]!;
    const other = originals.find((f) => !f.unitCode.startsWith(good.unitCode.slice(0, 6)))!;
    const rows = [
      [good.kind, good.name, good.lng, good.lat, ''],
      ['spaceship', 'x', good.lng, good.lat, ''],
      [good.kind, '', good.lng, good.lat, ''],
      [good.kind, 'y', 'east', good.lat, ''],
      [good.kind, 'z', good.lng, good.lat, '999999'],
      [good.kind, 'w', other.lng, other.lat, good.unitCode],
      [good.kind, good.name, good.lng, good.lat, ''],
    ];
    const path = join(workspace.dir, 'bad.csv');
    writeFileSync(path, toCsv(['kind', 'name', 'lng', 'lat', 'unitCode'], rows));
    const before = hashFile(workspace.databasePath);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path });
    const byRow = new Map(report.issues.map((issue) => [issue.feature, issue.code]));
    expect(byRow.get(1)).toBeUndefined();
    expect(byRow.get(2)).toBe('wrong-type');
    expect(byRow.get(3)).toBe('missing-field');
    expect(byRow.get(4)).toBe('unreadable');
    expect(byRow.get(5)).toBe('unknown-code');
    expect(byRow.get(6)).toBe('outside-parent');
    expect(byRow.get(7)).toBe('duplicate');
    expect(report.rejected).toBe(6);
    expect(report.committed).toBe(false);
    expect(hashFile(workspace.databasePath)).toBe(before);
  });

  it('round-trips the demo facilities: XLSX shifted to GCJ-02, imported with --crs gcj02, within 1 m of the originals', async () => {
    const shifted = originals.map((f) => {
      const [lng, lat] = gcoord.transform([f.lng, f.lat], gcoord.WGS84, gcoord.GCJ02);
      return { ...f, lng: lng!, lat: lat! };
    });
    const path = join(workspace.dir, 'facilities-gcj02.xlsx');
    await writeFacilityXlsx(path, shifted);

    // Declared as WGS84, the data is 300–600 m off and the check says GCJ-02 fits best.
    const wrong = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path, dryRun: true });
    expect(wrong.shiftCheck?.shifted).toBe(true);
    expect(wrong.shiftCheck?.best).toBe('GCJ02');
    expect(wrong.shiftCheck!.medianMetersBySystem.WGS84).toBeGreaterThan(100);
    expect(wrong.shiftCheck!.medianMetersBySystem.GCJ02).toBeLessThan(1);
    expect(wrong.issues.some((issue) => issue.code === 'crs-shifted' && /gcj02/.test(issue.message))).toBe(true);

    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'facilities', filePath: path, crs: parseCrsOption('gcj02') });
    expect(report.fileError).toBeNull();
    expect(report.issueCounts.error).toBe(0);
    expect(report.shiftCheck?.shifted).toBe(false);
    expect(report.committed).toBe(true);
    expect(report.dataVersion).not.toBe(report.previousDataVersion);
    const imported = facilityTable(workspace.databasePath);
    expect(imported).toHaveLength(originals.length);
    let worst = 0;
    imported.forEach((facility, i) => {
      expect(facility.name).toBe(originals[i]!.name);
      expect(facility.kind).toBe(originals[i]!.kind);
      expect(facility.unitCode).toBe(originals[i]!.unitCode);
      worst = Math.max(worst, distanceMeters([facility.lng, facility.lat], [originals[i]!.lng, originals[i]!.lat]));
    });
    expect(worst).toBeLessThan(1);
    expect(readLayerSources(workspace.databasePath).facilities).toMatchObject({ source: 'imported', fileName: 'facilities-gcj02.xlsx', features: originals.length });
  }, 120_000);

  it('meta.health says per layer whether it is demonstration or imported data, and from which file', async () => {
    const store = new SqliteStore(workspace.databasePath);
    try {
      const health = await createCallerFactory(appRouter)(testContext(store)).meta.health();
      expect(health.layers.facilities).toMatchObject({ source: 'imported', fileName: 'facilities-gcj02.xlsx', features: originals.length });
      expect(health.layers.grids).toEqual({ source: 'demonstration' });
      expect(health.dataVersion).toBe(listImports(workspace.databasePath)[0]!.dataVersion);
      // A caller who is not logged in learns the kind of source, not the file.
      const anonymous = await createCallerFactory(appRouter)(testContext(store, { principal: null })).meta.health();
      expect(anonymous.layers.facilities).toEqual({ source: 'imported' });
    } finally {
      store.close();
    }
    // Start-up keeps the imported database while the sources and builder are those it was built from.
    const before = hashFile(workspace.databasePath);
    expect(ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: workspace.databasePath, demo: inject('testDemo') })).toEqual({
      built: false,
      dataVersion: listImports(workspace.databasePath)[0]!.dataVersion,
    });
    expect(hashFile(workspace.databasePath)).toBe(before);
  }, 120_000);

  it('undoes the last import: the facility table, data version and provenance come back', async () => {
    const history = listImports(workspace.databasePath);
    expect(history[0]).toMatchObject({ layer: 'facilities', fileName: 'facilities-gcj02.xlsx', undoneAt: null });
    const undone = undoLastImport(workspace.databasePath);
    expect(undone?.id).toBe(history[0]!.id);
    expect(facilityTable(workspace.databasePath)).toEqual(originals);
    const db = new Database(workspace.databasePath, { readonly: true });
    const version = (db.prepare("SELECT value FROM meta WHERE key = 'data_version'").get() as { value: string }).value;
    db.close();
    expect(version).toBe(history[0]!.previousDataVersion);
    expect(readLayerSources(workspace.databasePath).facilities).toBeUndefined();
    expect(undoLastImport(workspace.databasePath)).toBeNull();
  });
});
