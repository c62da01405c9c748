// Scenarios over HTTP are user data: saved through one server on a read-only atlas database, they are
// still there after the server stops and a new one starts on a rebuilt database (another data version)
// with the same accounts file, flagged as saved on the older build.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { writeTestToken, type TestCredentials } from '../support/accounts';

let dir: string;
let credentials: TestCredentials;
let running: RunningServer | null = null;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-scenario-http-'));
  credentials = writeTestToken(dir, 'planner', '2101');
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(databasePath: string): Promise<RunningServer> {
  return startServer({ databasePath, accountsPath: credentials.accountsPath, port: 0, anonymous: 'none', heavyThreads: 1, httpLimits: { writes: null, poolReads: null } });
}

async function call(method: 'GET' | 'POST', path: string, input: unknown): Promise<{ status: number; body: { result?: { data: Record<string, unknown> }; error?: { message: string } } }> {
  const url = method === 'GET' ? `${running!.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${running!.url}/trpc/${path}`;
  const response = await fetch(url, {
    method,
    headers: { ...credentials.headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  return { status: response.status, body: (await response.json()) as never };
}

it('keeps a saved scenario across a restart on a rebuilt atlas database', async () => {
  const first = join(dir, 'atlas-first.sqlite');
  copyFileSync(inject('databasePath'), first);
  running = await start(first);
  const edits = { addFacilities: [{ lngLat: [123.45, 41.79], name: '新站', source: 'manual' }], removeFacilities: [], addLinks: [], removeLinks: [] };
  const saved = await call('POST', 'scenario.save', { name: '跨版本方案', within: '210103', kind: 'health_station', maxMinutes: 15, edits });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const scenario = saved.body.result!.data;
  expect(scenario).toMatchObject({ name: '跨版本方案', owner: expect.stringMatching(/^token:\d+$/), stale: false, edits });
  await running.close();
  running = null;

  // The atlas database rebuilt under another data version; the accounts file untouched.
  const rebuilt = join(dir, 'atlas-rebuilt.sqlite');
  copyFileSync(inject('databasePath'), rebuilt);
  const db = new Database(rebuilt);
  db.prepare("UPDATE meta SET value = 'rebuilt-version' WHERE key = 'data_version'").run();
  db.close();
  running = await start(rebuilt);
  const again = await call('GET', 'scenario.get', { id: scenario.id });
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect(again.body.result!.data).toEqual({ ...scenario, stale: true });
  const list = await call('GET', 'scenario.list', { within: '2101' });
  expect(list.body.result!.data).toEqual([expect.objectContaining({ id: scenario.id, stale: true, editCounts: { addFacilities: 1, removeFacilities: 0, addLinks: 0, removeLinks: 0 } })]);
}, 120_000);
