// A disputes import through the running server (writable, as a live deployment runs): the open
// events.live stream is told to resync at the new log's present (never entries of the old log's seqs),
// then delivers the cases reported after the import; the imported cases are what the server answers; an
// undo resyncs the stream again and the old history is back.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { SESSION_COOKIE } from '../../server/auth/accounts';
import { createTestClient } from '../support/trpc-client';
import { exportDisputes, toCsv } from './import/import-fixtures';

let dir: string;
let running: RunningServer;
let admin: Record<string, string>;
let api: ReturnType<typeof createTestClient>;
let places: [number, number][];

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-import-live-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  places = exportDisputes(databasePath, "grid_code LIKE '210103%'", 12).map((d) => [d.lng, d.lat]);
  running = await startServer({ databasePath, port: 0, writable: true, heavyThreads: 1, httpLimits: { writes: null, poolReads: null } });
  // Tokens cannot administer: an administrator's session.
  await running.accounts.addUser('test', { username: 'admin', role: 'admin', jurisdiction: '21', password: 'import-live-password' });
  const { sessionId } = await running.accounts.login('admin', 'import-live-password', '127.0.0.9');
  admin = { cookie: `${SESSION_COOKIE}=${sessionId}` };
  api = createTestClient(running.url, admin);
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a disputes import on a live server', () => {
  it('resyncs open live streams at the new log, serves the imported cases, and undoes back', { timeout: 180_000 }, async () => {
    const before = await api.events.list.query({ within: '210103', limit: 50 });
    expect(before.items.length).toBe(50);
    const events: { id: string; resync: boolean; seqs: number[] }[] = [];
    let started = false;
    const subscription = createTestClient(running.url).events.live.subscribe(
      { within: '2101' },
      {
        onStarted: () => (started = true),
        onData: (event) => events.push({ id: event.id, resync: event.data.resync, seqs: event.data.entries.map((entry) => entry.seq) }),
      },
    );
    await until(() => started, 10_000, 'the stream to start');

    const header = ['id', 'type', 'source', 'lng', 'lat', 'reported_at'];
    const csv = toCsv(header, places.map(([lng, lat], i) => [`LIVE-${i}`, '邻里纠纷', '网格巡查', lng, lat, `2026-10-${String(10 + i).padStart(2, '0')} 09:00`]));
    const uploaded = (await (
      await fetch(`${running.url}/api/upload?name=ledger.csv`, { method: 'POST', headers: admin, body: csv })
    ).json()) as { uploadId: string };
    const { jobId } = await api.admin.import.mutate({ uploadId: uploaded.uploadId, layer: 'disputes' });
    let job = await api.admin.importReport.query({ jobId });
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await api.admin.importReport.query({ jobId });
    }
    expect(job.report, job.error ?? '').toMatchObject({ committed: true, accepted: places.length });

    await until(() => events.some((event) => event.resync), 10_000, 'a resync after the import');
    const resync = events.find((event) => event.resync)!;
    const health = await api.meta.health.query();
    expect(health.layers.disputes).toMatchObject({ source: 'imported', fileName: 'ledger.csv' });
    // The server answers the imported history: the cases listed are the ledger's.
    const imported = await api.events.list.query({ within: '210103', limit: 50 });
    expect(imported.items).toHaveLength(places.length);
    expect(new Set(imported.items.map((item) => item.type))).toEqual(new Set(['neighbour']));

    // A case reported now arrives after the resync, with a seq past its resume point.
    const report = await api.events.report.mutate({ lngLat: places[0]!, type: 'family', source: 'hotline' });
    await until(() => events.some((event) => event.seqs.includes(report.seq)), 10_000, 'the new report on the stream');
    expect(report.seq).toBeGreaterThan(Number(resync.id));

    const resyncsBefore = events.filter((event) => event.resync).length;
    const undone = await api.admin.undoImport.mutate();
    expect(undone.undone.layer).toBe('disputes');
    await until(() => events.filter((event) => event.resync).length > resyncsBefore, 10_000, 'a resync after the undo');
    expect((await api.meta.health.query()).layers.disputes.source).toBe('demonstration');
    expect(await api.events.list.query({ within: '210103', limit: 50 })).toEqual(before);
    subscription.unsubscribe();
  });
});
