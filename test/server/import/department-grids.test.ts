// 多格合一 end to end on the test database: a departmental layer made from the unified grids — pairs merged,
// one grid shifted 30 m east, one moved halfway across a street border, some copied as they are — gives
// the mismatch report those edits imply; the CLI's exit codes, dry run (database hash unchanged), refusal
// of a bad file, the XLSX read back, and undo of the departmental import.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import gcoord from 'gcoord';
import ExcelJS from 'exceljs';
import { area as turfArea, featureCollection, intersect as turfIntersect, multiPolygon as turfMultiPolygon, union as turfUnion } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrsOption } from '../../../server/ingest/import/crs';
import { importDepartmentGrids, type DepartmentGridImportReport } from '../../../server/ingest/import/department-grids';
import { RECONCILE_SHEETS } from '../../../server/ingest/import/reconcile-xlsx';
import { runCli } from '../cli/cli-process';
import { hashFile, openImportWorkspace, writeGeoJson, type ImportWorkspace } from './import-fixtures';

interface UnifiedGrid {
  code: string;
  communityCode: string;
  coordinates: Position[][][];
  keys: Set<string>;
  areaM2: number;
}

let workspace: ImportWorkspace;
let grids: UnifiedGrid[];
const SHIFT_METERS = 30;

/** Grids of a county of the test database (Shenyang's 和平区). */
function readGrids(databasePath: string): UnifiedGrid[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare("SELECT code, community_code, geojson FROM grid WHERE code LIKE '210102%' ORDER BY code").all() as { code: string; community_code: string; geojson: string }[]).map((row) => {
      const coordinates = (JSON.parse(row.geojson) as MultiPolygon).coordinates;
      const keys = new Set<string>();
      for (const polygon of coordinates) for (const ring of polygon) for (const p of ring) keys.add(`${p[0]},${p[1]}`);
      return { code: row.code, communityCode: row.community_code, coordinates, keys, areaM2: turfArea(turfMultiPolygon(coordinates)) };
    });
  } finally {
    db.close();
  }
}

/** Whether two grids share a border (at least two vertices: an edge, more than a corner). */
const neighbours = (a: UnifiedGrid, b: UnifiedGrid): boolean => [...a.keys].filter((key) => b.keys.has(key)).length >= 2;

const translate = (coordinates: Position[][][], dLng: number, dLat: number): Position[][][] =>
  coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => [Math.round((p[0]! + dLng) * 1e6) / 1e6, Math.round((p[1]! + dLat) * 1e6) / 1e6])));

const feature = (code: string, name: string, coordinates: Position[][][]): Feature<MultiPolygon> => ({ type: 'Feature', properties: { 编码: code, 名称: name }, geometry: { type: 'MultiPolygon', coordinates } });

const intersectionM2 = (a: Position[][][], b: Position[][][]): number => {
  const piece = turfIntersect(featureCollection([turfMultiPolygon(a), turfMultiPolygon(b)]));
  return piece ? turfArea(piece) : 0;
};

interface Layer {
  path: string;
  merged: [UnifiedGrid, UnifiedGrid][];
  copies: UnifiedGrid[];
  shifted: { grid: UnifiedGrid; coordinates: Position[][][] };
  moved: { grid: UnifiedGrid; across: UnifiedGrid; coordinates: Position[][][] };
}

/** The departmental layer: three merged pairs (same community), five copies, one shifted grid, one moved across a street border. */
function buildLayer(dir: string): Layer {
  const used = new Set<string>();
  const take = (grid: UnifiedGrid) => used.add(grid.code);
  const free = (grid: UnifiedGrid) => !used.has(grid.code);
  const merged: [UnifiedGrid, UnifiedGrid][] = [];
  for (const a of grids) {
    if (merged.length === 3) break;
    const b = grids.find((other) => other !== a && free(a) && free(other) && other.communityCode === a.communityCode && neighbours(a, other));
    if (!b) continue;
    merged.push([a, b]);
    take(a);
    take(b);
  }
  // A grid with a neighbour in another street, moved halfway towards it; far from the merged pairs.
  let moved: Layer['moved'] | null = null;
  for (const grid of grids.slice(grids.length >> 1)) {
    const across = grids.find((other) => free(grid) && free(other) && other.communityCode.slice(0, 9) !== grid.communityCode.slice(0, 9) && neighbours(grid, other));
    if (!across) continue;
    const centre = (g: UnifiedGrid) => {
      const ring = g.coordinates[0]![0]!;
      return [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
    };
    const [x0, y0] = centre(grid);
    const [x1, y1] = centre(across);
    moved = { grid, across, coordinates: translate(grid.coordinates, (x1! - x0!) / 2, (y1! - y0!) / 2) };
    take(grid);
    take(across);
    break;
  }
  const rest = grids.filter(free);
  const shiftedGrid = rest[Math.floor(rest.length / 3)]!;
  take(shiftedGrid);
  const dLng = SHIFT_METERS / (111_320 * Math.cos((shiftedGrid.coordinates[0]![0]![0]![1]! * Math.PI) / 180));
  const shifted = { grid: shiftedGrid, coordinates: translate(shiftedGrid.coordinates, dLng, 0) };
  const copies = grids.filter(free).slice(0, 5);
  const features: Feature<MultiPolygon>[] = [
    ...merged.map(([a, b], k) => {
      const union = turfUnion(featureCollection([turfMultiPolygon(a.coordinates), turfMultiPolygon(b.coordinates)]))!.geometry as Polygon | MultiPolygon;
      return feature(`AQ-M${k + 1}`, `合并网格${k + 1}`, union.type === 'Polygon' ? [union.coordinates] : union.coordinates);
    }),
    ...copies.map((grid, k) => feature(`AQ-C${k + 1}`, `原样网格${k + 1}`, grid.coordinates)),
    feature('AQ-S1', '平移网格', shifted.coordinates),
    feature('AQ-X1', '跨街网格', moved!.coordinates),
  ];
  const path = writeGeoJson(join(dir, 'safety-grids.geojson'), { type: 'FeatureCollection', features });
  return { path, merged, copies, shifted, moved: moved! };
}

let layer: Layer;
let report: DepartmentGridImportReport;

beforeAll(async () => {
  workspace = openImportWorkspace('atlas-department-grids-');
  grids = readGrids(workspace.databasePath);
  layer = buildLayer(workspace.dir);
  report = await importDepartmentGrids({ databasePath: workspace.databasePath, department: '安全生产', filePath: layer.path, dryRun: true, reconcile: { sliverShare: 0.2 } });
}, 120_000);
afterAll(() => workspace.close());

describe('a departmental layer made by merging, shifting and moving unified grids', () => {
  it('reads every feature and reconciles it without error', () => {
    expect(report.fileError).toBeNull();
    expect(report.issueCounts.error).toBe(0);
    expect(report.featuresRead).toBe(10);
    expect(report.reconciliation!.summary.departmentGrids).toBe(10);
    expect(report.reconciliation!.summary.failedPairs).toBe(0);
  });

  it('merged pairs: each unified grid lies wholly in the merged grid, its best match, with its share of the pair', () => {
    const byCode = new Map(report.reconciliation!.unified.map((match) => [match.code, match]));
    layer.merged.forEach(([a, b], k) => {
      for (const [grid, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const best = byCode.get(grid.code)!.best!;
        expect(best.departmentCode).toBe(`AQ-M${k + 1}`);
        expect(best.shareOfUnified).toBeGreaterThan(0.999);
        const share = grid.areaM2 / (grid.areaM2 + other.areaM2);
        expect(best.shareOfDepartment).toBeCloseTo(share, 2);
        // The unified grid is inside the merged one: IoU = its share of the pair.
        expect(best.iou).toBeCloseTo(share, 2);
      }
    });
  });

  it('copies are good matches (IoU 1)', () => {
    const byCode = new Map(report.reconciliation!.unified.map((match) => [match.code, match]));
    layer.copies.forEach((grid, k) => {
      expect(byCode.get(grid.code)).toMatchObject({ quality: 'good', best: { departmentCode: `AQ-C${k + 1}`, iou: 1 } });
    });
  });

  it('the grid shifted 30 m: its own grid is the best match, and the pieces it moved into neighbours are slivers of the moved area', () => {
    const reconciliation = report.reconciliation!;
    const { grid, coordinates } = layer.shifted;
    const match = reconciliation.unified.find((m) => m.code === grid.code)!;
    expect(match.best?.departmentCode).toBe('AQ-S1');
    const kept = intersectionM2(grid.coordinates, coordinates);
    expect(match.best!.areaM2).toBeCloseTo(kept, -1);
    const shiftedArea = turfArea(turfMultiPolygon(coordinates));
    const moved = shiftedArea - kept;
    const slivers = reconciliation.slivers.filter((sliver) => sliver.departmentCode === 'AQ-S1');
    expect(slivers.length).toBeGreaterThan(0);
    const outside = reconciliation.gaps.find((gap) => gap.departmentCode === 'AQ-S1')?.outsideM2 ?? 0;
    // What left the grid lies in its neighbours (as slivers) or outside every unified grid.
    expect(slivers.reduce((sum, sliver) => sum + sliver.areaM2, 0) + outside).toBeCloseTo(moved, -2);
    const unifiedArea = new Map(reconciliation.unified.map((m) => [m.code, m.areaM2]));
    for (const sliver of slivers) expect(sliver.areaM2).toBeLessThan(0.2 * unifiedArea.get(sliver.unifiedCode)!);
    // A 30 m strip along a grid of this size: between the shift times its shortest and longest extent.
    expect(moved).toBeGreaterThan(SHIFT_METERS * 100);
  });

  it('the grid moved across a street border is reported as crossing it, with each street’s share', () => {
    const crossing = report.reconciliation!.crossings.find((c) => c.departmentCode === 'AQ-X1');
    expect(crossing).toBeDefined();
    expect(crossing!.level).toBe('street');
    const streets = crossing!.streets.map((street) => street.code);
    expect(streets).toContain(layer.moved.grid.communityCode.slice(0, 9));
    expect(streets).toContain(layer.moved.across.communityCode.slice(0, 9));
    for (const street of crossing!.streets) expect(street.name).not.toBe(street.code);
    const outside = report.reconciliation!.gaps.find((gap) => gap.departmentCode === 'AQ-X1')?.shareOutside ?? 0;
    // Parts under the sliver size (20 % here) are not counted as crossing.
    for (const street of crossing!.streets) expect(street.share).toBeGreaterThanOrEqual(0.2);
    expect(crossing!.streets.reduce((sum, street) => sum + street.share, 0) + outside).toBeLessThanOrEqual(1.001);
    // Copies and merged pairs lie inside one community each.
    expect(report.reconciliation!.crossings.map((c) => c.departmentCode).filter((code) => code.startsWith('AQ-C') || code.startsWith('AQ-M'))).toEqual([]);
  });
});

describe('import grids --department through the CLI', () => {
  it('a layer copied into GCJ-02 but declared WGS84 is said to be shifted (GCJ-02 fits); read with --crs gcj02 it matches as before', async () => {
    const toGcj = (coordinates: Position[][][]) =>
      coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.WGS84, gcoord.GCJ02))));
    const copies = grids.slice(0, 40);
    const path = writeGeoJson(join(workspace.dir, 'health-grids-gcj02.geojson'), {
      type: 'FeatureCollection',
      features: copies.map((grid, k) => feature(`WJ-${k + 1}`, `卫健网格${k + 1}`, toGcj(grid.coordinates))),
    });
    const declaredWgs = await importDepartmentGrids({ databasePath: workspace.databasePath, department: '卫生健康', filePath: path, dryRun: true });
    expect(declaredWgs.shiftCheck).toMatchObject({ shifted: true, best: 'GCJ02' });
    expect(declaredWgs.issuesByCode['crs-shifted']).toBe(1);
    const read = await importDepartmentGrids({ databasePath: workspace.databasePath, department: '卫生健康', filePath: path, crs: parseCrsOption('gcj02'), dryRun: true });
    expect(read.shiftCheck?.shifted).toBe(false);
    expect(read.issuesByCode['crs-shifted']).toBeUndefined();
    expect(read.reconciliation!.summary.byQuality.good).toBe(copies.length);
  });

  it('a dry run writes nothing; a file with a repeated code is refused (exit 1) and the database is byte-identical', () => {
    const before = hashFile(workspace.databasePath);
    const dry = runCli(['import', 'grids', layer.path, '--department', '安全生产', '--dry-run', '--db', workspace.databasePath]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run: nothing written/);
    expect(hashFile(workspace.databasePath)).toBe(before);
    const bad = writeGeoJson(join(workspace.dir, 'repeated.geojson'), {
      type: 'FeatureCollection',
      features: [feature('AQ-1', '一', layer.copies[0]!.coordinates), feature('AQ-1', '二', layer.copies[1]!.coordinates), { type: 'Feature', properties: { 名称: '无编码' }, geometry: null } as unknown as Feature<MultiPolygon>],
    });
    const refused = runCli(['import', 'grids', bad, '--department', '安全生产', '--db', workspace.databasePath]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/feature 2 \(code\): grid code AQ-1 repeats feature 1/);
    expect(refused.stdout).toMatch(/feature 3 \(code\): no code/);
    expect(hashFile(workspace.databasePath)).toBe(before);
    const garbage = join(workspace.dir, 'garbage.geojson');
    writeFileSync(garbage, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x7b, 0x22, 0x74]));
    const unreadable = runCli(['import', 'grids', garbage, '--department', '安全生产', '--db', workspace.databasePath]);
    expect(unreadable.code).not.toBe(0);
    expect(unreadable.stderr).toMatch(/garbage\.geojson: /);
    expect(runCli(['import', 'grids', layer.path, '--department', ' ', '--db', workspace.databasePath]).stderr).toMatch(/--department needs a name/);
    expect(runCli(['import', 'facilities', layer.path, '--department', '安全生产', '--db', workspace.databasePath]).stderr).toMatch(/for departmental grids/);
    expect(hashFile(workspace.databasePath)).toBe(before);
  }, 180_000);

  it('commits beside the unified grids, writes the XLSX, replaces only its own department, and undo takes it back', async () => {
    const xlsx = join(workspace.dir, 'reconcile.xlsx');
    const db = () => new Database(workspace.databasePath, { readonly: true });
    const gridCount = (() => {
      const handle = db();
      try {
        return (handle.prepare('SELECT count(*) AS n FROM grid').get() as { n: number }).n;
      } finally {
        handle.close();
      }
    })();
    const first = runCli(['import', 'grids', layer.path, '--department', '安全生产', '--xlsx', xlsx, '--sliver-share', '0.2', '--db', workspace.databasePath]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/committed: import \d+/);
    const other = writeGeoJson(join(workspace.dir, 'market.geojson'), { type: 'FeatureCollection', features: [feature('SC-1', '市场一', layer.copies[0]!.coordinates)] });
    expect(runCli(['import', 'grids', other, '--department', '市场监管', '--db', workspace.databasePath]).code).toBe(0);
    // Re-importing 安全生产 keeps 市场监管.
    expect(runCli(['import', 'grids', layer.path, '--department', '安全生产', '--db', workspace.databasePath]).code).toBe(0);
    const counts = () => {
      const handle = db();
      try {
        return {
          grids: (handle.prepare('SELECT count(*) AS n FROM grid').get() as { n: number }).n,
          departments: handle.prepare('SELECT department, count(*) AS n FROM department_grid GROUP BY department ORDER BY department').all(),
          boxes: (handle.prepare('SELECT count(*) AS n FROM department_grid_rtree').get() as { n: number }).n,
        };
      } finally {
        handle.close();
      }
    };
    expect(counts()).toEqual({
      grids: gridCount,
      departments: [
        { department: '安全生产', n: 10 },
        { department: '市场监管', n: 1 },
      ],
      boxes: 11,
    });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(Object.values(RECONCILE_SHEETS.zh));
    const byGrid = workbook.getWorksheet('逐格对照')!;
    expect(byGrid.getRow(1).getCell(1).value).toBe('统一网格编码');
    const [a] = layer.merged[0]!;
    const row = byGrid.getRows(2, byGrid.rowCount - 1)!.find((r) => r.getCell(1).value === a.code)!;
    expect(row.getCell(4).value).toBe('AQ-M1');
    expect(workbook.getWorksheet('跨界')!.getColumn(1).values).toContain('AQ-X1');
    expect(workbook.getWorksheet('碎片')!.getColumn(2).values).toContain('AQ-S1');
    expect(workbook.getWorksheet('概要')!.getRow(1).values).toContain('安全生产');

    const undone = runCli(['import', 'undo', '--db', workspace.databasePath]);
    expect(undone.stdout).toMatch(/department-grids from safety-grids\.geojson/);
    expect(counts().departments).toEqual([
      { department: '安全生产', n: 10 },
      { department: '市场监管', n: 1 },
    ]);
    runCli(['import', 'undo', '--db', workspace.databasePath]);
    runCli(['import', 'undo', '--db', workspace.databasePath]);
    expect(counts()).toEqual({ grids: gridCount, departments: [], boxes: 0 });
  }, 300_000);
});
