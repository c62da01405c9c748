// The live dispute stream and durability, over real HTTP: a subscriber whose connection is cut in the
// middle of a burst reconnects with Last-Event-ID and ends with exactly the committed sequence (in
// order, once); reports acknowledged before a `kill -9` of the server are all there after a restart.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { MAX_REPLAY_ENTRIES } from '../../server/live/dispute-log-tail';
import { tokenHeaders, writeTestToken } from '../support/accounts';
import { createTestClient } from '../support/trpc-client';
import { spawnDatabaseServer, type ServerProcess } from '../support/server-process';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-live-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function copyDatabase(): string {
  const path = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), path);
  return path;
}

/** Points inside Shenyang's Shenhe district, where the test data has grids. */
function shenhePoints(databasePath: string, count: number): [number, number][] {
  const db = new Database(databasePath, { readonly: true });
  const rows = db.prepare("SELECT label_lng AS lng, label_lat AS lat FROM grid WHERE code LIKE '210103%' LIMIT ?").all(count) as { lng: number; lat: number }[];
  db.close();
  return rows.map((row) => [row.lng, row.lat]);
}

function committedSeqs(databasePath: string, afterSeq: number, within: string): number[] {
  const db = new Database(databasePath, { readonly: true });
  const rows = db
    .prepare('SELECT s.seq FROM dispute_step s JOIN dispute d ON d.id = s.dispute_id WHERE s.seq > ? AND d.grid_code LIKE ? ORDER BY s.seq')
    .all(afterSeq, `${within}%`) as { seq: number }[];
  db.close();
  return rows.map((row) => row.seq);
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('events.live', { timeout: 120_000 }, () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('delivers every committed step once and in order, also across a connection cut mid-burst', async () => {
    const databasePath = copyDatabase();
    server = await startServer({ databasePath, port: 0, writable: true, httpLimits: { writes: null } });
    const client = createTestClient(server.url, tokenHeaders(server.accounts));
    const points = shenhePoints(databasePath, 50);
    const db = new Database(databasePath, { readonly: true });
    const startSeq = (db.prepare('SELECT max(seq) AS seq FROM dispute_step').get() as { seq: number }).seq;
    db.close();

    // The stream's own sockets, to cut them (the reporters' connections stay up).
    const streamSockets = new Set<Socket>();
    server.server.on('request', (request: IncomingMessage) => {
      if (request.url?.includes('events.live')) streamSockets.add(request.socket);
    });

    const received: number[] = [];
    let connected = false;
    const subscription = client.events.live.subscribe(
      { within: '2101' },
      {
        onStarted: () => {
          connected = true;
        },
        onData: (event) => {
          // One message per commit group; its id is the last entry's seq (the resume point).
          const entries = event.data.entries;
          expect(entries.length).toBeGreaterThan(0);
          expect(entries[entries.length - 1]!.seq).toBe(Number(event.id));
          for (const entry of entries) {
            expect(entry.placeCode.startsWith('2101')).toBe(true);
            received.push(entry.seq);
          }
        },
      },
    );
    await until(() => connected, 10_000, 'the subscription to start');

    // A burst of 300 reports from 10 concurrent writers; halfway, the stream's connection is cut.
    const burst = 300;
    let sent = 0;
    let cut = false;
    const writers = Array.from({ length: 10 }, async () => {
      while (sent < burst) {
        const index = sent++;
        if (!cut && index >= burst / 2) {
          cut = true;
          expect(streamSockets.size).toBeGreaterThan(0);
          for (const socket of streamSockets) socket.destroy();
        }
        const point = points[index % points.length]!;
        await client.events.report.mutate({ lngLat: point, type: 'neighbour', source: 'patrol', summary: `burst ${index}` });
      }
    });
    await Promise.all(writers);
    const committed = committedSeqs(databasePath, startSeq, '2101');
    expect(committed.length).toBe(burst);
    await until(() => received.length >= committed.length, 60_000, 'every committed step to arrive');
    subscription.unsubscribe();
    expect(cut).toBe(true);
    expect(received).toEqual(committed);
  });

  it('resumes after lastEventId with no gap and no duplicate', async () => {
    const databasePath = copyDatabase();
    server = await startServer({ databasePath, port: 0, writable: true, httpLimits: { writes: null } });
    const client = createTestClient(server.url, tokenHeaders(server.accounts));
    const points = shenhePoints(databasePath, 20);
    const db = new Database(databasePath, { readonly: true });
    const startSeq = (db.prepare('SELECT max(seq) AS seq FROM dispute_step').get() as { seq: number }).seq;
    db.close();
    for (const point of points) await client.events.report.mutate({ lngLat: point, type: 'family', source: 'hotline' });
    const committed = committedSeqs(databasePath, startSeq, '210103');
    expect(committed).toHaveLength(20);

    // Replay from the 7th committed step: exactly the 13 after it, then live ones.
    const received: number[] = [];
    const subscription = client.events.live.subscribe(
      { within: '210103', lastEventId: String(committed[6]) },
      { onData: (event) => received.push(...event.data.entries.map((entry) => entry.seq)) },
    );
    await until(() => received.length >= 13, 20_000, 'the replay');
    await client.events.report.mutate({ lngLat: points[0]!, type: 'family', source: 'hotline' });
    await until(() => received.length >= 14, 20_000, 'the live step');
    subscription.unsubscribe();
    expect(received).toEqual([...committed.slice(7), ...committedSeqs(databasePath, committed[19]!, '210103')]);
  });
});

describe('events.live replay window', { timeout: 120_000 }, () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('does not replay a cursor far back: one resync message, then live steps', async () => {
    const databasePath = copyDatabase();
    server = await startServer({ databasePath, port: 0, writable: true, httpLimits: { writes: null } });
    const client = createTestClient(server.url, tokenHeaders(server.accounts));
    const db = new Database(databasePath, { readonly: true });
    const lastSeq = (db.prepare('SELECT max(seq) AS seq FROM dispute_step').get() as { seq: number }).seq;
    db.close();
    expect(lastSeq).toBeGreaterThan(MAX_REPLAY_ENTRIES);
    const messages: { id: string; resync: boolean; seqs: number[] }[] = [];
    const subscription = client.events.live.subscribe(
      { within: '21', lastEventId: '0' },
      { onData: (event) => messages.push({ id: event.id, resync: event.data.resync, seqs: event.data.entries.map((entry) => entry.seq) }) },
    );
    await until(() => messages.length >= 1, 20_000, 'the resync message');
    expect(messages[0]).toEqual({ id: String(lastSeq), resync: true, seqs: [] });
    await client.events.report.mutate({ lngLat: shenhePoints(databasePath, 1)[0]!, type: 'family', source: 'hotline' });
    await until(() => messages.length >= 2, 20_000, 'the live step after the resync');
    subscription.unsubscribe();
    expect(messages[1]!.resync).toBe(false);
    expect(messages[1]!.seqs).toEqual([lastSeq + 1]);
  });
});

describe('durability', { timeout: 180_000 }, () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop('SIGKILL');
  });

  it('keeps every acknowledged report when the server is killed with SIGKILL during a burst', async () => {
    const databasePath = copyDatabase();
    const credentials = writeTestToken(dir);
    server = await spawnDatabaseServer(databasePath, { env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
    const { url, child } = server;
    const client = createTestClient(url, credentials.headers);
    const points = shenhePoints(databasePath, 30);
    const acknowledged: number[] = [];
    let killed = false;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let k = 0; !killed; k++) {
        try {
          const { id } = await client.events.report.mutate({ lngLat: points[(writer * 7 + k) % points.length]!, type: 'wages', source: 'walkIn' });
          acknowledged.push(id);
          if (acknowledged.length >= 200 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        } catch {
          return; // the server is gone: requests in flight were never acknowledged
        }
      }
    });
    await Promise.all(writers);
    // A process killed by a signal keeps exitCode null: it has exited once either code is set.
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null)));
    expect(child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    // "Restart": open the database as a new process would; every acknowledged report and its log entry is there.
    const db = new Database(databasePath);
    try {
      const present = new Set((db.prepare('SELECT id FROM dispute WHERE id >= ?').all(Math.min(...acknowledged)) as { id: number }[]).map((row) => row.id));
      const missing = acknowledged.filter((id) => !present.has(id));
      expect(missing).toEqual([]);
      const reports = db.prepare('SELECT count(*) AS n FROM dispute_step WHERE step = 0 AND dispute_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(acknowledged)) as { n: number };
      expect(reports.n).toBe(acknowledged.length);
      expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    } finally {
      db.close();
    }
  });
});
