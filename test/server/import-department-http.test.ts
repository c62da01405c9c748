// A department's own grid layer (多格合一) imported through the running server: a GeoJSON made of unified grids
// of the test database uploaded, admin.import with a department → a dry run whose report carries the
// reconciliation (every grid a good match), the commit served at once by reconcile.departments and
// reconcile.report, undo → gone; and the refusals: a department with another layer, a bad department name.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { exportGrids } from './import/import-fixtures';

const PASSWORD = 'correct-horse-battery';
const DEPARTMENT = '安全生产';
/** Unified grids copied into the departmental layer (a county of Shenyang). */
const COPIED = 6;

let dir: string;
let running: RunningServer;
let cookie: string;
let layerJson: string;

interface Answer {
  status: number;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code: string } } };
}

async function call(method: 'GET' | 'POST', path: string, input: unknown): Promise<Answer> {
  const url = method === 'GET' ? `${running.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}` : `${running.url}/trpc/${path}`;
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', cookie }, body: method === 'POST' ? JSON.stringify(input ?? {}) : undefined });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

const query = (path: string, input?: unknown) => call('GET', path, input);
const mutate = (path: string, input?: unknown) => call('POST', path, input);

async function upload(name: string, body: string): Promise<string> {
  const response = await fetch(`${running.url}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', cookie }, body });
  const answer = (await response.json()) as { uploadId: string };
  expect(response.status, JSON.stringify(answer)).toBe(200);
  return answer.uploadId;
}

interface DepartmentJob {
  state: 'running' | 'done' | 'failed';
  layer: string;
  department: string | null;
  error: string | null;
  report: {
    layer: string;
    department: string;
    committed: boolean;
    fileError: string | null;
    accepted: number;
    issueCounts: { error: number };
    reconciliation: { summary: { unifiedGrids: number; departmentGrids: number; byQuality: Record<string, number>; meanBestIou: number; crossings: number } } | null;
  } | null;
}

/** Starts an import and polls admin.importReport until it has finished. */
async function importDepartment(uploadId: string, dryRun: boolean): Promise<DepartmentJob> {
  const started = await mutate('admin.import', { uploadId, layer: 'grids', department: ` ${DEPARTMENT} `, dryRun });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const { jobId } = started.body.result!.data as { jobId: string };
  for (;;) {
    const answer = await query('admin.importReport', { jobId });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const job = answer.body.result!.data as DepartmentJob;
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const departments = async () => {
  const answer = await query('reconcile.departments');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.result!.data as { department: string; features: number }[]).map((layer) => `${layer.department}:${layer.features}`);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-import-department-http-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  const unified = exportGrids(databasePath, "code LIKE '210102%'");
  layerJson = JSON.stringify({
    type: 'FeatureCollection',
    features: unified.features.slice(0, COPIED).map((feature, index) => ({ type: 'Feature', properties: { 编码: `AQ-${index + 1}`, 名称: `安监网格${index + 1}` }, geometry: feature.geometry })),
  });
  running = await startServer({ databasePath, port: 0, anonymous: 'none', heavyThreads: 1, httpLimits: { writes: null, poolReads: null }, uploadsDir: join(dir, 'uploads') });
  await running.accounts.addUser('test', { username: 'admin', role: 'admin', jurisdiction: '21', password: PASSWORD });
  const response = await fetch(`${running.url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  cookie = response.headers.getSetCookie().find((entry) => entry.startsWith('atlas_session='))!.split(';')[0]!;
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a department's grid layer through the running server", () => {
  it('dry-runs with the reconciliation, commits (served at once by reconcile.*), and undoes', { timeout: 180_000 }, async () => {
    expect(await departments()).toEqual([]);
    const uploadId = await upload('安全生产网格.geojson', layerJson);

    const dry = await importDepartment(uploadId, true);
    expect(dry.error).toBeNull();
    expect(dry).toMatchObject({ state: 'done', layer: 'department-grids', department: DEPARTMENT });
    expect(dry.report).toMatchObject({ layer: 'department-grids', department: DEPARTMENT, committed: false, fileError: null, accepted: COPIED, issueCounts: { error: 0 } });
    // Copies of unified grids: each of them its own good match, nothing crossing a border.
    const summary = dry.report!.reconciliation!.summary;
    expect(summary.departmentGrids).toBe(COPIED);
    expect(summary.unifiedGrids).toBeGreaterThanOrEqual(COPIED);
    expect(summary.byQuality.good).toBe(COPIED);
    expect(summary.crossings).toBe(0);
    expect(await departments()).toEqual([]);

    const committed = await importDepartment(uploadId, false);
    expect(committed.report).toMatchObject({ layer: 'department-grids', committed: true });
    expect(await departments()).toEqual([`${DEPARTMENT}:${COPIED}`]);
    const report = await query('reconcile.report', { department: DEPARTMENT, within: '210102' });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect((report.body.result!.data as { report: { summary: { departmentGrids: number; byQuality: Record<string, number> } } }).report.summary).toMatchObject({
      departmentGrids: COPIED,
      byQuality: { good: COPIED },
    });
    const history = await query('admin.importHistory');
    expect((history.body.result!.data as { entries: { layer: string; fileName: string }[] }).entries[0]).toMatchObject({ layer: 'department-grids', fileName: '安全生产网格.geojson' });
    const audit = await query('admin.audit', { action: 'import-committed' });
    expect(JSON.stringify(audit.body.result!.data)).toContain(DEPARTMENT);

    const undone = await mutate('admin.undoImport');
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.result!.data).toMatchObject({ undone: { layer: 'department-grids' } });
    expect(await departments()).toEqual([]);
    const gone = await query('reconcile.report', { department: DEPARTMENT, within: '210102' });
    expect(gone.body.error?.data?.code).toBe('NOT_FOUND');
  });

  it('refuses a department with another layer than grids, and a bad department name, naming the field', async () => {
    const uploadId = await upload('安全生产网格.geojson', layerJson);
    const otherLayer = await mutate('admin.import', { uploadId, layer: 'facilities', department: DEPARTMENT, dryRun: true });
    expect(otherLayer.status).toBe(400);
    expect(otherLayer.body.error!.data!.code).toBe('BAD_REQUEST');
    expect(otherLayer.body.error!.message).toMatch(/department: .*grids/);
    for (const name of ['   ', 'x'.repeat(41), '安全\u0007生产']) {
      const bad = await mutate('admin.import', { uploadId, layer: 'grids', department: name, dryRun: true });
      expect(bad.status, name).toBe(400);
      expect(bad.body.error!.data!.code).toBe('BAD_REQUEST');
      expect(bad.body.error!.message).toMatch(/department: must be a department name/);
    }
    // Nothing was imported.
    expect(await departments()).toEqual([]);
  });
});
