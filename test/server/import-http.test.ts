// Imports through the running server: a facilities CSV uploaded over HTTP (POST /api/upload), imported
// with admin.import and polled with admin.importReport, then served at once (meta.health's provenance,
// the facility counts, coverage answers and their ETags change) and undone back to the old answers; and
// the refusals: non-administrators, a city's administrator, another site, too large (nothing left on
// disk), an unknown upload, a bad file (the database byte-identical), a second import meanwhile.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { exportFacilities, hashFile, toCsv, type FacilityExport } from './import/import-fixtures';

const PASSWORD = 'correct-horse-battery';
const UPLOAD_MAX_BYTES = 256 * 1024;
const RATES = { kind: 'health_station', maxMinutes: 15, within: '2101', groupBy: 'county' };

let dir: string;
let databasePath: string;
let uploadsDir: string;
let running: RunningServer;
let facilities: FacilityExport[];
const cookies = new Map<string, string>();

interface Answer {
  status: number;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code: string } } } & Record<string, unknown>;
  headers: Headers;
}

async function call(method: 'GET' | 'POST', path: string, input: unknown, user: string | null, headers: Record<string, string> = {}): Promise<Answer> {
  const url = method === 'GET' ? `${running.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}` : `${running.url}/trpc/${path}`;
  const response = await fetch(url, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(user ? { cookie: cookies.get(user)! } : {}), ...headers },
    body: method === 'POST' ? JSON.stringify(input ?? {}) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : ({} as Answer['body']), headers: response.headers };
}

const query = (path: string, input: unknown, user: string | null = 'admin', headers?: Record<string, string>) => call('GET', path, input, user, headers);
const mutate = (path: string, input: unknown, user: string | null = 'admin') => call('POST', path, input, user);

async function upload(name: string, body: string, user: string | null = 'admin', headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${running.url}/api/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(user ? { cookie: cookies.get(user)! } : {}), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Answer['body'], headers: response.headers };
}

interface JobAnswer {
  state: 'running' | 'done' | 'failed';
  report: { committed: boolean; fileError: string | null; accepted: number; file: string; issueCounts: { error: number }; dataVersion: string | null } | null;
  error: string | null;
}

/** Polls admin.importReport until the job has finished. */
async function finished(jobId: string): Promise<JobAnswer> {
  for (;;) {
    const answer = await query('admin.importReport', { jobId });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const job = answer.body.result!.data as JobAnswer;
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Imports an upload, waiting for the report. */
async function importUpload(uploadId: unknown, dryRun = false): Promise<JobAnswer> {
  const started = await mutate('admin.import', { uploadId, layer: 'facilities', dryRun });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return finished((started.body.result!.data as { jobId: string }).jobId);
}

/** Uploads and imports a file, waiting for the report. */
async function importFile(name: string, body: string, dryRun = false): Promise<JobAnswer> {
  const uploaded = await upload(name, body);
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
  return importUpload(uploaded.body.uploadId, dryRun);
}

/** A raw HTTP exchange (for a body of no declared length). */
function raw(request: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', (error) => (text ? resolve(text) : reject(error)));
    socket.write(request);
  });
}

const health = async () => (await query('meta.health', undefined)).body.result!.data as { dataVersion: string; counts: Record<string, number>; layers: Record<string, { source: string; fileName?: string }> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-import-http-'));
  databasePath = join(dir, 'atlas.sqlite');
  uploadsDir = join(dir, 'uploads');
  copyFileSync(inject('databasePath'), databasePath);
  facilities = exportFacilities(databasePath, '1 = 1', 400);
  running = await startServer({ databasePath, port: 0, anonymous: 'none', heavyThreads: 1, httpLimits: { writes: null, poolReads: null }, uploadsDir, uploadMaxBytes: UPLOAD_MAX_BYTES });
  for (const [username, role, jurisdiction] of [
    ['admin', 'admin', '21'],
    ['cityadmin', 'admin', '2101'],
    ['viewer', 'viewer', '21'],
  ] as const) {
    await running.accounts.addUser('test', { username, role, jurisdiction, password: PASSWORD });
    const response = await fetch(`${running.url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    cookies.set(username, response.headers.getSetCookie().find((cookie) => cookie.startsWith('atlas_session='))!.split(';')[0]!);
  }
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

const csvOf = (rows: FacilityExport[]) => toCsv(['kind', 'name', 'lng', 'lat', 'unitCode'], rows.map((f) => [f.kind, f.name, f.lng, f.lat, f.unitCode]));

describe('an import through the running server', () => {
  it('uploads, imports and serves the new facilities at once; undo brings the old answers back', { timeout: 180_000 }, async () => {
    const before = await health();
    expect(before.layers.facilities!.source).toBe('demonstration');
    const ratesBefore = await query('coverage.rates', RATES);
    expect(ratesBefore.status).toBe(200);
    const etagBefore = ratesBefore.headers.get('etag')!;
    expect(etagBefore).toContain(before.dataVersion);

    // A dry run first: nothing changes; then the same upload is committed.
    const uploaded = await upload('城区设施.csv', csvOf(facilities.slice(0, 300)));
    expect(uploaded.body).toMatchObject({ fileName: '城区设施.csv' });
    const dry = await importUpload(uploaded.body.uploadId, true);
    expect(dry.state).toBe('done');
    expect(dry.report).toMatchObject({ committed: false, fileError: null, accepted: 300, file: '城区设施.csv' });
    expect((await health()).dataVersion).toBe(before.dataVersion);

    const job = await importUpload(uploaded.body.uploadId);
    expect(job.state, job.error ?? '').toBe('done');
    expect(job.report).toMatchObject({ committed: true, accepted: 300, file: '城区设施.csv' });
    // The committed upload is gone, from disk too.
    expect(readdirSync(uploadsDir).filter((name) => name.startsWith(uploaded.body.uploadId as string))).toHaveLength(0);
    expect((await mutate('admin.import', { uploadId: uploaded.body.uploadId, layer: 'facilities' })).status).toBe(404);

    const after = await health();
    expect(after.dataVersion).toBe(job.report!.dataVersion);
    expect(after.dataVersion).not.toBe(before.dataVersion);
    expect(after.layers.facilities).toMatchObject({ source: 'imported', fileName: '城区设施.csv', features: 300 });
    expect(after.counts.facilities).toBe(300);
    expect(before.counts.facilities).toBeGreaterThan(300);

    // The old ETag no longer matches: the answer is computed again, for the new data.
    const ratesAfter = await query('coverage.rates', RATES, 'admin', { 'if-none-match': etagBefore });
    expect(ratesAfter.status).toBe(200);
    expect(ratesAfter.headers.get('etag')).not.toBe(etagBefore);
    expect(JSON.stringify(ratesAfter.body.result!.data)).not.toBe(JSON.stringify(ratesBefore.body.result!.data));

    const history = await query('admin.importHistory', undefined);
    expect((history.body.result!.data as { entries: { fileName: string; undoneAt: string | null }[] }).entries[0]).toMatchObject({ fileName: '城区设施.csv', undoneAt: null });

    const undone = await mutate('admin.undoImport', {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const restored = await health();
    expect(restored.dataVersion).toBe(before.dataVersion);
    expect(restored.layers.facilities!.source).toBe('demonstration');
    expect(restored.counts.facilities).toBe(before.counts.facilities);
    const ratesRestored = await query('coverage.rates', RATES);
    expect(ratesRestored.headers.get('etag')).toBe(etagBefore);
    expect(ratesRestored.body.result!.data).toEqual(ratesBefore.body.result!.data);
    // Nothing left to undo.
    expect((await mutate('admin.undoImport', {})).status).toBe(404);
  });

  it('reports a file it cannot read as the report\'s fileError and leaves the database byte-identical', { timeout: 60_000 }, async () => {
    const hash = hashFile(databasePath);
    const job = await importFile('garbage.csv', '\u0001\u0002\u0003 not a table\n');
    expect(job.state).toBe('done');
    expect(job.report!.committed).toBe(false);
    expect(job.report!.fileError).toMatch(/binary data/);
    expect(hashFile(databasePath)).toBe(hash);
  });

  it('refuses a second import while one runs (CONFLICT)', { timeout: 60_000 }, async () => {
    const first = await upload('a.csv', csvOf(facilities.slice(0, 200)));
    const second = await upload('b.csv', csvOf(facilities.slice(0, 100)));
    const started = await mutate('admin.import', { uploadId: first.body.uploadId, layer: 'facilities', dryRun: true });
    expect(started.status).toBe(200);
    const refused = await mutate('admin.import', { uploadId: second.body.uploadId, layer: 'facilities', dryRun: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error!.message).toMatch(/one at a time/);
    expect((await mutate('admin.undoImport', {})).status).toBe(409);
    await finished((started.body.result!.data as { jobId: string }).jobId);
  });
});

describe('refusals', () => {
  it('refuses uploads and imports to anyone but an administrator of the whole deployment', async () => {
    const csv = csvOf(facilities.slice(0, 5));
    const anonymous = await upload('x.csv', csv, null);
    expect(anonymous.status).toBe(401);
    const viewer = await upload('x.csv', csv, 'viewer');
    expect(viewer.status).toBe(403);
    expect(viewer.body.error!.message).toMatch(/administrators only/);
    const city = await upload('x.csv', csv, 'cityadmin');
    expect(city.status).toBe(403);
    expect(city.body.error!.message).toMatch(/whole deployment/);
    const mine = await upload('x.csv', csv);
    for (const user of ['viewer', 'cityadmin']) {
      const refused = await mutate('admin.import', { uploadId: mine.body.uploadId, layer: 'facilities' }, user);
      expect(refused.status).toBe(403);
      expect((await query('admin.importHistory', undefined, user)).status).toBe(403);
    }
    // From another site, even with an administrator's cookie.
    const crossSite = await upload('x.csv', csv, 'admin', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('answers 413 for a file larger than the limit, declared or streamed, and keeps nothing of it', async () => {
    const before = readdirSync(uploadsDir).length;
    const declared = await upload('big.csv', 'A'.repeat(UPLOAD_MAX_BYTES + 1));
    expect(declared.status).toBe(413);
    expect(declared.body.error!.message).toMatch(/upload limit/);
    const chunk = 'A'.repeat(64 * 1024);
    const body = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const port = Number(new URL(running.url).port);
    const streamed = await raw(
      `POST /api/upload?name=big.csv HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookies.get('admin')}\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
      port,
    );
    expect(streamed).toMatch(/^HTTP\/1\.1 413/);
    expect(streamed).toMatch(/upload limit/);
    expect(readdirSync(uploadsDir)).toHaveLength(before);
  });

  it('takes a file in parts (each its own request), in order, and imports it once complete', { timeout: 60_000 }, async () => {
    const csv = Buffer.from(csvOf(facilities.slice(0, 40)), 'utf8');
    const cut = [0, 700, 1500, csv.length];
    const part = (index: number, query: string, more: boolean) =>
      fetch(`${running.url}/api/upload?${query}${more ? '&more=1' : ''}`, { method: 'POST', headers: { cookie: cookies.get('admin')! }, body: new Uint8Array(csv.subarray(cut[index], cut[index + 1])) }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    const first = await part(0, 'name=parts.csv', true);
    expect(first.body).toMatchObject({ bytes: 700, complete: false, sha256: null });
    const id = first.body.uploadId as string;
    expect((await mutate('admin.import', { uploadId: id, layer: 'facilities', dryRun: true })).status).toBe(409);
    expect((await part(1, `uploadId=${id}&offset=3`, true)).status).toBe(409);
    expect((await part(1, `uploadId=${id}&offset=700`, true)).body).toMatchObject({ bytes: 1500, complete: false });
    const last = await part(2, `uploadId=${id}&offset=1500`, false);
    expect(last.body).toMatchObject({ bytes: csv.length, complete: true, sha256: createHash('sha256').update(csv).digest('hex') });
    const job = await importUpload(id, true);
    expect(job.report).toMatchObject({ fileError: null, accepted: 40, file: 'parts.csv' });
  });

  it('never uses the file name as a path', async () => {
    const answer = await upload('../../../etc/passwd.csv', csvOf(facilities.slice(0, 3)));
    expect(answer.status).toBe(200);
    expect(answer.body.fileName).toBe('passwd.csv');
    expect(readdirSync(uploadsDir).some((name) => name.startsWith(answer.body.uploadId as string))).toBe(true);
    expect(existsSync(join(dir, 'etc'))).toBe(false);
  });

  it('answers NOT_FOUND for an unknown upload and BAD_REQUEST for a malformed one', async () => {
    const unknown = await mutate('admin.import', { uploadId: '0'.repeat(32), layer: 'facilities' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.message).toMatch(/no upload/);
    expect((await mutate('admin.import', { uploadId: '../x', layer: 'facilities' })).status).toBe(400);
    expect((await mutate('admin.import', { uploadId: '0'.repeat(32), layer: 'facilities', crs: 'mars' })).status).toBe(400);
    expect((await query('admin.importReport', { jobId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });
});
