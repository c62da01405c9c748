// Desk benchmarks, on a copy of the test database (Shenyang 2101; a test run builds
// test/artifacts/atlas-test.sqlite):
// - desk.queue for a whole city through the router, as built and with 10,000 more open cases reported
//   across the city's grids;
// - the action round trip with 20 desks open: a server in its own process with the demo feed at 600 cases
//   a minute (200 × its default); each desk follows events.live (a step moves the case's row at once)
//   and re-reads its queue's first page at most once a second; a grid worker's report and an officer's
//   dispatch are timed until every desk has them on its live stream, and the re-reads are timed.
// Run: npx tsx test/bench/desk.bench.ts, or BENCH_ONLY=desk npm run bench.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRouter } from '../../server/routers/app';
import { createCallerFactory } from '../../server/trpc';
import { SqliteStore } from '../../server/store/sqlite-store';
import { MS_PER_DAY } from '../../server/domain/china-time';
import { principalFor, testContext } from '../support/context';
import { writeTestToken } from '../support/accounts';
import { spawnDatabaseServer } from '../support/server-process';
import { createTestClient } from '../support/trpc-client';
import { measure, printTimings, type Timing } from './measure';

const CITY = '2101';
const EXTRA_OPEN_CASES = 10_000;

export async function runDeskBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-desk-bench-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(join('test', 'artifacts', 'atlas-test.sqlite'), databasePath);
  const store = new SqliteStore(databasePath, { writable: true });
  try {
    const caller = createCallerFactory(appRouter)(testContext(store, { principal: principalFor('city-officer', CITY) }));
    const openCount = () => store.disputes.queueCounts({ visibleIn: CITY }, Date.now());
    const timings: Timing[] = [];
    const run = async (label: string) => {
      const { byStatus } = openCount();
      const open = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
      timings.push(await measure(`${label}: first page`, () => caller.desk.queue({ within: CITY, limit: 50 }), { runs: 50, warmup: 5, note: `${open} open cases` }));
      timings.push(await measure(`${label}: overdue column`, () => caller.desk.queue({ within: CITY, column: 'overdue', limit: 50 }), { runs: 50, warmup: 5, note: `${open} open cases` }));
    };
    await run('as built');
    const grids = store.grids({ withinCode: CITY });
    const at = Date.now();
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    store.disputes.report(
      Array.from({ length: EXTRA_OPEN_CASES }, (_, i) => {
        const grid = grids[Math.floor(random() * grids.length)]!;
        const reportedAt = at - Math.floor(random() * 30 * MS_PER_DAY);
        return {
          type: 'neighbour' as const,
          source: 'patrol' as const,
          severity: 'general' as const,
          lngLat: grid.labelLngLat,
          summary: `bench ${i}`,
          parties: [],
          reportedAt,
          dueAt: reportedAt + 15 * MS_PER_DAY,
          actorRole: 'gridWorker',
          placeCode: grid.code,
          countyCode: grid.code.slice(0, 6),
          otherSideCode: null,
        };
      }),
    );
    await run(`+${EXTRA_OPEN_CASES} reported`);
    printTimings('desk.queue for a city (router, createCaller)', timings);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const DESKS = 20;
const ROUND_TRIPS = 60;
const FEED_PER_MINUTE = 600;
/** A desk re-reads its queue at most this often while live entries arrive (client/src/modes/desk). */
const QUEUE_REFRESH_MS = 1_000;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** One open desk: the live stream of the city, and its queue re-read (throttled) after live entries. */
interface Desk {
  /** Case id → when this desk's live stream delivered the case's latest step, performance.now(). */
  stepSeen: Map<number, number>;
  unsubscribe(): void;
}

export async function runDeskRoundTripBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-desk-roundtrip-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(join('test', 'artifacts', 'atlas-test.sqlite'), databasePath);
  const credentials = writeTestToken(dir, 'city-officer', CITY);
  const server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: FEED_PER_MINUTE, env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
  const api = createTestClient(server.url, credentials.headers);
  const agent = new http.Agent({ keepAlive: true });
  const get = (path: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const request = http.get(`${server.url}${path}`, { agent, headers: credentials.headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
          else resolve((JSON.parse(Buffer.concat(chunks).toString()) as { result: { data: unknown } }).result.data);
        });
      });
      request.on('error', reject);
    });
  const queuePath = `/trpc/desk.queue?input=${encodeURIComponent(JSON.stringify({ within: CITY, limit: 50 }))}`;
  const queueTimes: number[] = [];
  const desks: Desk[] = [];
  try {
    let started = 0;
    for (let d = 0; d < DESKS; d++) {
      const desk: Desk = { stepSeen: new Map(), unsubscribe: () => {} };
      let timer: NodeJS.Timeout | null = null;
      let lastRead = 0;
      const readQueue = async (): Promise<void> => {
        timer = null;
        lastRead = performance.now();
        const begun = performance.now();
        await get(queuePath);
        queueTimes.push(performance.now() - begun);
      };
      const subscription = createTestClient(server.url).events.live.subscribe(
        { within: CITY },
        {
          onStarted: () => {
            started += 1;
          },
          onData: (event) => {
            const now = performance.now();
            for (const entry of event.data.entries) desk.stepSeen.set(entry.disputeId, now);
            if (timer === null) timer = setTimeout(() => void readQueue(), Math.max(0, lastRead + QUEUE_REFRESH_MS - now));
          },
        },
      );
      desk.unsubscribe = () => {
        subscription.unsubscribe();
        if (timer !== null) clearTimeout(timer);
      };
      desks.push(desk);
    }
    while (started < DESKS) await new Promise((resolve) => setTimeout(resolve, 20));

    // Each round: a grid worker's report reaches every desk (live), then an officer dispatches it.
    const db = new Database(databasePath, { readonly: true });
    const points = db.prepare(`SELECT label_lng AS lng, label_lat AS lat FROM grid WHERE code LIKE '${CITY}%' ORDER BY code LIMIT ${ROUND_TRIPS}`).all() as { lng: number; lat: number }[];
    db.close();
    const reportTimes: number[] = [];
    const liveTimes: number[] = [];
    const everyDesk = (id: number, since: number, seen: (desk: Desk) => Map<number, number>) => desks.every((desk) => (seen(desk).get(id) ?? 0) >= since);
    const latest = (id: number, seen: (desk: Desk) => Map<number, number>) => Math.max(...desks.map((desk) => seen(desk).get(id) ?? Infinity));
    const waitFor = async (condition: () => boolean, deadline: number) => {
      while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    for (const point of points) {
      const reported = performance.now();
      const report = await api.events.report.mutate({ lngLat: [point.lng, point.lat], type: 'neighbour', source: 'patrol' });
      await waitFor(() => everyDesk(report.id, reported, (desk) => desk.stepSeen), reported + 30_000);
      reportTimes.push(latest(report.id, (desk) => desk.stepSeen) - reported);

      const begun = performance.now();
      await api.events.transition.mutate({ id: report.id, action: 'assign', version: report.version });
      await waitFor(() => everyDesk(report.id, begun, (desk) => desk.stepSeen), begun + 30_000);
      liveTimes.push(latest(report.id, (desk) => desk.stepSeen) - begun);
    }
    reportTimes.sort((a, b) => a - b);
    liveTimes.sort((a, b) => a - b);
    queueTimes.sort((a, b) => a - b);
    const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'missed');
    console.log(`\n## Desk action round trip: ${DESKS} desks open on ${CITY}, demo feed ${FEED_PER_MINUTE} cases/min, ${liveTimes.length} dispatches`);
    console.log('| measure | p50 | p95 | max |');
    console.log('|---|---:|---:|---:|');
    console.log(`| report → the case on every desk's live stream, ms | ${ms(quantile(reportTimes, 0.5))} | ${ms(quantile(reportTimes, 0.95))} | ${ms(reportTimes.at(-1)!)} |`);
    console.log(`| transition → step on every desk's live stream, ms | ${ms(quantile(liveTimes, 0.5))} | ${ms(quantile(liveTimes, 0.95))} | ${ms(liveTimes.at(-1)!)} |`);
    console.log(`| one desk's queue re-read (first page, ≤ 1/s per desk while entries arrive), ms | ${ms(quantile(queueTimes, 0.5))} | ${ms(quantile(queueTimes, 0.95))} | ${ms(queueTimes.at(-1)!)} |`);
  } finally {
    for (const desk of desks) desk.unsubscribe();
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('desk.bench.ts')) {
  await runDeskBench();
  await runDeskRoundTripBench();
}
