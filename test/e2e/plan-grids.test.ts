// Browser test of /plan/grids (多格合一) at 1366 × 768: a 卫生健康 layer made from one street's unified grids
// (copies, one merged pair, one grid moved 60 m) is imported before the server starts; a planner opens the
// page on that street, the map draws the unified grids in their match colours (a copy green, the merged
// pair red, read from the pixels) and the moved grid's crossing or slivers in the alert colour, the table lists the merged pair's grids as the worst matches and highlights a row, and
// the XLSX download opens with its five sheets.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { featureCollection, multiPolygon as turfMultiPolygon, union as turfUnion } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALERT_COLOR, QUALITY_COLORS } from '../../client/src/modes/plan/grids/grids-layers';
import { buildClientIfStale } from '../../server/client-build';
import { importDepartmentGrids } from '../../server/ingest/import/department-grids';
import { startServer, type RunningServer } from '../../server/index';
import { REPO_ROOT, paths } from '../../server/paths';
import { blend, colorDistance, decodeScreenshot, launchBrowser, projectToPage, waitForMapIdle } from '../support/browser';
import { LoggedInPages } from '../support/logged-in-pages';
import { writeGeoJson } from '../server/import/import-fixtures';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const PASSWORD = 'grids-page-test-password-2026';
const STREET = '210102001';

interface Grid {
  code: string;
  labelLngLat: [number, number];
  coordinates: Position[][][];
  keys: Set<string>;
}

let dir: string;
let server: RunningServer;
let browser: Browser;
let pages: LoggedInPages;
let merged: [Grid, Grid];
let copy: Grid;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-plan-grids-e2e-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  const db = new Database(databasePath, { readonly: true });
  const grids = (db.prepare('SELECT code, label_lng, label_lat, geojson FROM grid WHERE code LIKE ? ORDER BY code').all(`${STREET}%`) as { code: string; label_lng: number; label_lat: number; geojson: string }[]).map((row): Grid => {
    const coordinates = (JSON.parse(row.geojson) as MultiPolygon).coordinates;
    const keys = new Set<string>();
    for (const polygon of coordinates) for (const ring of polygon) for (const p of ring) keys.add(`${p[0]},${p[1]}`);
    return { code: row.code, labelLngLat: [row.label_lng, row.label_lat], coordinates, keys };
  });
  db.close();
  // The first pair of grids of one community sharing an edge is merged; every other grid is copied.
  const pair = grids
    .flatMap((a) => grids.filter((b) => b.code > a.code && b.code.slice(0, 12) === a.code.slice(0, 12) && [...a.keys].filter((key) => b.keys.has(key)).length >= 2).map((b) => [a, b] as [Grid, Grid]))
    .at(0)!;
  merged = pair;
  const union = turfUnion(featureCollection([turfMultiPolygon(pair[0].coordinates), turfMultiPolygon(pair[1].coordinates)]))!.geometry as Polygon | MultiPolygon;
  const features: Feature<MultiPolygon>[] = [
    { type: 'Feature', properties: { code: 'WJ-M1', name: '卫健合并网格' }, geometry: { type: 'MultiPolygon', coordinates: union.type === 'Polygon' ? [union.coordinates] : union.coordinates } },
    ...grids.filter((grid) => !pair.includes(grid)).map((grid): Feature<MultiPolygon> => ({ type: 'Feature', properties: { code: `WJ${grid.code}`, name: `卫健${grid.code.slice(-3)}` }, geometry: { type: 'MultiPolygon', coordinates: grid.coordinates } })),
  ];
  copy = grids.find((grid) => !pair.includes(grid))!;
  // The last grid is drawn 60 m east: it crosses into its neighbours (an alert outline or slivers).
  const moved = grids.at(-1)!;
  const dLng = 60 / (111_320 * Math.cos((moved.labelLngLat[1] * Math.PI) / 180));
  const movedIndex = features.findIndex((feature) => feature.properties!.code === `WJ${moved.code}`);
  features[movedIndex] = { ...features[movedIndex]!, geometry: { type: 'MultiPolygon', coordinates: moved.coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => [p[0]! + dLng, p[1]!]))) } };
  const report = await importDepartmentGrids({ databasePath, department: '卫生健康', filePath: writeGeoJson(join(dir, 'health.geojson'), { type: 'FeatureCollection', features }) });
  expect(report.committed).toBe(true);
  await buildClientIfStale();
  server = await startServer({ databasePath, clientDir: paths.clientDir, port: 0, writable: true, httpLimits: { writes: null } });
  await server.accounts.addUser('test', { username: 'grids-planner', role: 'planner', jurisdiction: '2101', password: PASSWORD });
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD);
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/plan/grids', () => {
  it('draws the match colours, lists the merged pair as the worst matches, and downloads the XLSX', async () => {
    const { page, errors } = await pages.open('grids-planner', `/plan/grids?within=${STREET}`, '.mode-grids[data-ready="true"]');
    await waitForMapIdle(page);
    // A copy is a good match, the merged pair's grids poor (IoU about 0.5): their fills on the map.
    const shot = decodeScreenshot(await page.screenshot({ path: join(ARTIFACTS, 'plan-grids.png') }));
    const background = shot.pixel(1350, 60);
    for (const [grid, quality] of [
      [copy, 'good'],
      [merged[0], 'poor'],
    ] as const) {
      const { x, y } = await projectToPage(page, grid.labelLngLat);
      expect(x).toBeGreaterThan(460);
      const expected = blend(QUALITY_COLORS[quality], background);
      expect(colorDistance(shot.pixel(Math.round(x), Math.round(y)), expected), `${grid.code} (${quality}) at ${x}, ${y}`).toBeLessThanOrEqual(24);
    }
    const rows = page.locator('.grids-table tbody tr');
    const worst = await rows.evaluateAll((elements) => elements.slice(0, 2).map((row) => (row as HTMLElement).dataset.code));
    expect(worst.sort()).toEqual(merged.map((grid) => grid.code).sort());
    await page.hover(`.grids-table tr[data-code="${merged[0].code}"]`);
    await page.waitForSelector(`.grids-table tr[data-code="${merged[0].code}"][data-highlighted="true"]`);
    // The moved grid: a crossing or slivers, drawn in the alert colour.
    const alerts = Number(await page.locator('.grids-summary dd[data-figure="crossings"]').textContent()) + Number(await page.locator('.grids-summary dd[data-figure="slivers"]').textContent());
    expect(alerts).toBeGreaterThan(0);
    let alertPixels = 0;
    for (let y = 70; y < 760; y += 2) for (let x = 460; x < 1360; x += 2) if (colorDistance(shot.pixel(x, y), ALERT_COLOR) <= 40) alertPixels += 1;
    expect(alertPixels).toBeGreaterThan(20);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: '下载对照表 (XLSX)' }).click()]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概要', '逐格对照', '跨界', '碎片', '未覆盖']);
    expect(workbook.getWorksheet('逐格对照')!.getColumn(4).values).toContain('WJ-M1');
    expect(errors).toEqual([]);
  }, 240_000);

  it('speaks English with ?lang=en', async () => {
    const { page } = await pages.open('grids-planner', `/plan/grids?within=${STREET}&lang=en`, '.mode-grids[data-ready="true"]');
    expect(await page.locator('.grids-table h2').textContent()).toBe('Worst-matching unified grids');
    expect(await page.getByRole('button', { name: 'Download report (XLSX)' }).count()).toBe(1);
  }, 120_000);
});
