// reconcile.* through createCaller on a copy of the test database with a departmental layer copied from
// the unified grids of two counties: answers stay inside the caller's jurisdiction, callers without the
// plan capability and places outside are refused, the export is a workbook, bad input gets clear errors.

import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDepartmentGrids } from '../../../server/ingest/import/department-grids';
import { appRouter } from '../../../server/routers/app';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { createCallerFactory } from '../../../server/trpc';
import { principalFor, testContext } from '../../support/context';
import { errorOf } from '../../support/trpc-errors';
import { openImportWorkspace, writeGeoJson, type ImportWorkspace } from '../import/import-fixtures';

const HEPING_STREET = '210102001';
const SHENHE_STREET = '210103001';
let workspace: ImportWorkspace;
let store: SqliteStore;
let copied: string[];

beforeAll(async () => {
  workspace = openImportWorkspace('atlas-reconcile-router-');
  const db = new Database(workspace.databasePath, { readonly: true });
  const rows = db.prepare('SELECT code, name, geojson FROM grid WHERE code LIKE ? OR code LIKE ? ORDER BY code').all(`${HEPING_STREET}%`, `${SHENHE_STREET}%`) as { code: string; name: string; geojson: string }[];
  db.close();
  copied = rows.map((row) => row.code);
  const path = writeGeoJson(join(workspace.dir, 'health.geojson'), {
    type: 'FeatureCollection',
    features: rows.map((row) => ({ type: 'Feature', properties: { code: `WJ${row.code}`, name: `卫健${row.name}` }, geometry: JSON.parse(row.geojson) as MultiPolygon })),
  });
  const report = await importDepartmentGrids({ databasePath: workspace.databasePath, department: '卫生健康', filePath: path });
  expect(report.committed).toBe(true);
  store = new SqliteStore(workspace.databasePath);
}, 120_000);

afterAll(() => {
  store?.close();
  workspace.close();
});

const callerAs = (role: Parameters<typeof principalFor>[0], jurisdiction: string) => createCallerFactory(appRouter)(testContext(store, { principal: principalFor(role, jurisdiction) }));

describe('reconcile.*', () => {
  it('departments lists the imported layer with its grids and file', async () => {
    const layers = await callerAs('planner', '2101').reconcile.departments();
    expect(layers).toEqual([expect.objectContaining({ department: '卫生健康', features: copied.length, fileName: 'health.geojson', format: 'geojson' })]);
  });

  it('a planner of a county sees only its grids, each matched to its copy', async () => {
    const planner = callerAs('planner', '210102');
    const answer = await planner.reconcile.report({ department: '卫生健康', within: '210102' });
    const heping = copied.filter((code) => code.startsWith(HEPING_STREET));
    expect(answer.report.summary.departmentGrids).toBe(heping.length);
    expect(answer.report.unified.every((match) => match.code.startsWith('210102'))).toBe(true);
    for (const code of heping) expect(answer.report.unified.find((match) => match.code === code)).toMatchObject({ quality: 'good', best: { departmentCode: `WJ${code}`, iou: 1 } });
    expect(answer.report.crossings).toEqual([]);
    const shapes = await planner.reconcile.grids({ department: '卫生健康', within: '210102' });
    expect(shapes.features.map((feature) => feature.properties.code).sort()).toEqual(heping.map((code) => `WJ${code}`));
  });

  it('the export is an XLSX workbook of the same report', async () => {
    const file = await callerAs('planner', '2101').reconcile.export({ department: '卫生健康', within: SHENHE_STREET });
    expect(file).toMatchObject({ filename: `reconcile-${SHENHE_STREET}.xlsx`, encoding: 'base64' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.content, 'base64') as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概要', '逐格对照', '跨界', '碎片', '未覆盖']);
    const shenhe = copied.filter((code) => code.startsWith(SHENHE_STREET));
    expect(workbook.getWorksheet('逐格对照')!.rowCount).toBe(shenhe.length + 1);
    const english = await callerAs('planner', '2101').reconcile.export({ department: '卫生健康', within: SHENHE_STREET, lang: 'en' });
    const englishBook = new ExcelJS.Workbook();
    await englishBook.xlsx.load(Buffer.from(english.content, 'base64') as unknown as ArrayBuffer);
    expect(englishBook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'By grid', 'Crossings', 'Slivers', 'Gaps']);
  });

  it('refuses places outside the jurisdiction, roles that do not plan, unknown departments and bad input', async () => {
    const planner = callerAs('planner', '210102');
    const outside = await errorOf(planner.reconcile.report({ department: '卫生健康', within: '210103' }));
    expect(outside.code).toBe('FORBIDDEN');
    expect(outside.message).toMatch(/outside your jurisdiction/);
    expect((await errorOf(planner.reconcile.grids({ department: '卫生健康', within: '210103' }))).code).toBe('FORBIDDEN');
    for (const role of ['grid-worker', 'kiosk'] as const) {
      const refused = await errorOf(callerAs(role, HEPING_STREET).reconcile.report({ department: '卫生健康', within: HEPING_STREET }));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toMatch(/grid reconciliation is not open|wall-display token/);
      expect((await errorOf(callerAs(role, HEPING_STREET).reconcile.departments())).code).toBe('FORBIDDEN');
    }
    const unknown = await errorOf(planner.reconcile.report({ department: '城管', within: '210102' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/no grid layer of the department 城管/);
    expect((await errorOf(planner.reconcile.report({ department: '', within: '210102' }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(planner.reconcile.report({ department: '卫生健康', within: '210102', sliverShare: 2 }))).code).toBe('BAD_REQUEST');
  });
});
