// Dispute workflow benchmark: sustained reports per second over HTTP while 50 live subscribers (SSE)
// each receive every event, and the latency from the report's commit time to its delivery. The server
// runs in its own process (its own event loop), the load and the subscribers in this one.

import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { paths } from '../../server/paths';
import { buildDatabase } from '../../server/ingest/build-database';
import { writeTestToken } from '../support/accounts';
import { createTestClient } from '../support/trpc-client';
import { spawnDatabaseServer } from '../support/server-process';

const SUBSCRIBERS = 50;
const DURATION_MS = 15_000;
const CONCURRENCY = 48;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function runEventsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-events-bench-'));
  const databasePath = join(dir, 'atlas.sqlite');
  buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: { seed: 3, scope: '210103', nowMs: Date.now() - 86_400_000 } });
  const db = new Database(databasePath, { readonly: true });
  const points = (db.prepare("SELECT label_lng AS lng, label_lat AS lat FROM grid WHERE code LIKE '210103%'").all() as { lng: number; lat: number }[]).map(
    (row) => [row.lng, row.lat] as [number, number],
  );
  db.close();

  const credentials = writeTestToken(dir, 'county-officer', '210103');
  const server = await spawnDatabaseServer(databasePath, { env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
  const { url } = server;
  try {
    // 50 subscribers, each must see every report.
    const receivedBy = new Array<number>(SUBSCRIBERS).fill(0);
    const latencies: number[] = [];
    let started = 0;
    const subscriptions = Array.from({ length: SUBSCRIBERS }, (_, s) =>
      createTestClient(url).events.live.subscribe(
        { within: '21' },
        {
          onStarted: () => {
            started += 1;
          },
          onData: (event) => {
            const now = Date.now();
            for (const entry of event.data.entries) {
              receivedBy[s]! += 1;
              if (s % 10 === 0) latencies.push(now - entry.at);
            }
          },
        },
      ),
    );
    while (started < SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 20));

    // Writers use plain keep-alive HTTP (the body tRPC expects): a fetch-based client costs more CPU
    // per request than the server does, and would measure itself.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const target = new URL(`${url}/trpc/events.report`);
    const post = (body: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const request = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...credentials.headers } },
          (response) => {
            response.resume();
            response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`report answered ${response.statusCode}`))));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    let acknowledged = 0;
    const deadline = Date.now() + DURATION_MS;
    const begun = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let k = 0; Date.now() < deadline; k++) {
          const [lng, lat] = points[(w * 31 + k) % points.length]!;
          await post(JSON.stringify({ lngLat: [lng, lat], type: 'neighbour', source: 'patrol' }));
          acknowledged += 1;
        }
      }),
    );
    agent.destroy();
    const seconds = (performance.now() - begun) / 1000;
    const drainDeadline = Date.now() + 30_000;
    while (Math.min(...receivedBy) < acknowledged && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const subscription of subscriptions) subscription.unsubscribe();
    latencies.sort((a, b) => a - b);

    console.log(`\n## Dispute reports with ${SUBSCRIBERS} live subscribers (server in its own process, ${CONCURRENCY} concurrent writers)`);
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| reports acknowledged | ${acknowledged.toLocaleString('en-US')} in ${seconds.toFixed(1)} s |`);
    console.log(`| sustained reports per second | ${(acknowledged / seconds).toFixed(0)} |`);
    console.log(`| events delivered per subscriber (min / max) | ${Math.min(...receivedBy)} / ${Math.max(...receivedBy)} |`);
    console.log(`| commit → delivery latency p50 / p99, ms | ${quantile(latencies, 0.5)} / ${quantile(latencies, 0.99)} |`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
