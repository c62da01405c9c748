// Hostile files: each is refused with a message naming the problem, and the database file is
// byte-identical afterwards (SHA-256 before and after). Through the CLI: exit codes, the one-line
// "<file>: <problem>" on stderr and --report.

import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrsOption } from '../../../server/ingest/import/crs';
import { importLayer } from '../../../server/ingest/import/import-layer';
import type { ImportLayer } from '../../../server/ingest/import/import-types';
import { createRng } from '../../../server/analysis/random';
import { expectFileError, runCli } from '../cli/cli-process';
import { exportFacilities, exportGrids, hashFile, openImportWorkspace, writeGeoJson, writeShapefileZip, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;
let gridsGeojson: string;
let databaseHash: string;

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-hostile-');
  const grids = exportGrids(workspace.databasePath, "community_code LIKE '210102%'");
  gridsGeojson = writeGeoJson(join(workspace.dir, 'grids.geojson'), grids);
  databaseHash = hashFile(workspace.databasePath);
});
afterAll(() => workspace.close());

/** A zip written by Python's zipfile: members by name, each of `size` bytes of `fill` (deflated). */
function writeZip(path: string, members: Record<string, { size: number; fill?: number } | string>): string {
  const script = `
import json, sys, zipfile
members = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, content in members.items():
        if isinstance(content, str):
            z.writestr(name, content)
        else:
            with z.open(name, 'w', force_zip64=True) as out:
                chunk = bytes([content.get('fill', 0)]) * (1 << 20)
                left = content['size']
                while left > 0:
                    out.write(chunk[:min(left, len(chunk))])
                    left -= len(chunk)
`;
  execFileSync('python3', ['-c', script, path, JSON.stringify(members)]);
  return path;
}

async function expectRefused(layer: ImportLayer, path: string, problem: RegExp, crs?: string): Promise<void> {
  const report = await importLayer({ databasePath: workspace.databasePath, layer, filePath: path, ...(crs ? { crs: parseCrsOption(crs) } : {}) });
  const said = report.fileError ?? report.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.message).join('; ');
  expect(said).toMatch(problem);
  expect(report.committed).toBe(false);
  expect(hashFile(workspace.databasePath)).toBe(databaseHash);
}

describe('hostile files leave the database byte-identical', () => {
  it('a truncated zip', async () => {
    const zip = writeShapefileZip(workspace.dir, 'whole', gridsGeojson);
    const bytes = readFileSync(zip);
    const path = join(workspace.dir, 'truncated.zip');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused('grids', path, /not a readable zip file/);
  });

  it('a .shp without its .dbf', async () => {
    const path = writeShapefileZip(workspace.dir, 'nodbf', gridsGeojson, { dropDbf: true });
    await expectRefused('grids', path, /has no \.dbf beside it/);
  });

  it('self-intersecting polygons, named by feature', async () => {
    const collection = JSON.parse(readFileSync(gridsGeojson, 'utf8')) as { features: { geometry: { coordinates: number[][][][] } }[] };
    const ring = collection.features[3]!.geometry.coordinates[0]![0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    collection.features[3]!.geometry.coordinates = [[[[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)], [Math.max(...xs), Math.min(...ys)], [Math.min(...xs), Math.max(...ys)], [Math.min(...xs), Math.min(...ys)]]]];
    const path = join(workspace.dir, 'bowtie.geojson');
    writeFileSync(path, JSON.stringify(collection));
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'grids', filePath: path });
    expect(report.issues.find((issue) => issue.severity === 'error')).toMatchObject({ feature: 4, code: 'invalid-geometry', message: expect.stringMatching(/self-intersecting/) });
    expect(report.committed).toBe(false);
    expect(hashFile(workspace.databasePath)).toBe(databaseHash);
  });

  it('a 1,000,000-row CSV, refused before it is validated', async () => {
    const path = join(workspace.dir, 'million.csv');
    const out = createWriteStream(path);
    out.write('kind,name,lng,lat\n');
    const line = 'health_station,站,123.4,41.8\n';
    for (let i = 0; i < 1_000_000; i++) if (!out.write(line)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    await expectRefused('facilities', path, /more than 500000 rows/);
  });

  it('projected coordinates without a .prj, and declared as WGS84', async () => {
    const zip = writeShapefileZip(workspace.dir, 'projected', gridsGeojson, { targetSrs: 'EPSG:4549' });
    const path = join(workspace.dir, 'noprj.zip');
    execFileSync('cp', [zip, path]);
    execFileSync('zip', ['-q', '-d', path, 'projected.prj']);
    await expectRefused('grids', path, /projected \(metres\) and the file declares no system: give --crs EPSG:nnnn/);
    await expectRefused('grids', zip, /not longitude\/latitude but WGS84/, 'wgs84');
  });

  it('an empty file, a blank one, binary garbage', async () => {
    const empty = join(workspace.dir, 'empty.csv');
    writeFileSync(empty, '');
    await expectRefused('facilities', empty, /^empty file$/);
    const blank = join(workspace.dir, 'blank.geojson');
    writeFileSync(blank, '  \n\n ');
    await expectRefused('facilities', blank, /empty file \(only white space\)/);
    const rng = createRng(7);
    const garbage = join(workspace.dir, 'garbage.geojson');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, () => rng.int(0, 255))));
    await expectRefused('facilities', garbage, /binary data/);
    const fakeGpkg = join(workspace.dir, 'fake.gpkg');
    writeFileSync(fakeGpkg, 'SQLite format 3\0' + 'x'.repeat(200));
    await expectRefused('grids', fakeGpkg, /not a readable GeoPackage/);
  });

  it('a zip bomb (Shapefile and XLSX) and a path-traversal member name', async () => {
    const bomb = writeZip(join(workspace.dir, 'bomb.zip'), { 'layer.shp': { size: 64 << 20 }, 'layer.dbf': { size: 64 << 20 }, 'layer.shx': 'x' });
    await expectRefused('grids', bomb, /zip bomb: layer\.(shp|shx|dbf) inflates \d+ times/);
    const workbookBomb = writeZip(join(workspace.dir, 'bomb.xlsx'), { '[Content_Types].xml': '<Types/>', 'xl/worksheets/sheet1.xml': { size: 64 << 20, fill: 32 } });
    await expectRefused('facilities', workbookBomb, /zip bomb: xl\/worksheets\/sheet1\.xml inflates \d+ times/);
    const traversal = writeZip(join(workspace.dir, 'traversal.zip'), { '../../evil.shp': 'x', '../../evil.dbf': 'y' });
    await expectRefused('grids', traversal, /unsafe entry name/);
  });

  it('through the CLI: exit 1 with "<file>: <problem>", a dry run exits 0 and writes its report, the database unchanged', () => {
    const bomb = join(workspace.dir, 'bomb.zip');
    expectFileError(runCli(['import', 'grids', bomb, '--db', workspace.databasePath]), bomb, /zip bomb/);
    const csv = join(workspace.dir, 'ledger.csv');
    const facilities = exportFacilities(workspace.databasePath, "kind = 'police_post'", 20);
    writeFileSync(csv, ['kind,name,lng,lat', ...facilities.map((f) => `${f.kind},${f.name},${f.lng},${f.lat}`)].join('\n'));
    const reportPath = join(workspace.dir, 'report.json');
    const dry = runCli(['import', 'facilities', csv, '--dry-run', '--report', reportPath, '--db', workspace.databasePath]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/20 features read, 20 accepted, 0 rejected/);
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ layer: 'facilities', featuresRead: 20, dryRun: true, committed: false });
    const bad = runCli(['import', 'facilities', csv, '--map', 'name=nothing', '--db', workspace.databasePath]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--map name=nothing: no column "nothing"/);
    expect(hashFile(workspace.databasePath)).toBe(databaseHash);
  });
});
