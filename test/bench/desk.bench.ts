// Desk queue benchmark: desk.queue for a whole city through the router, on a copy of the test database
// (Shenyang 2101) as built and with 10,000 more open cases reported across the city's grids.
// Run: npx tsx test/bench/desk.bench.ts (after a test run has built test/artifacts/atlas-test.sqlite).

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRouter } from '../../server/routers/app';
import { createCallerFactory } from '../../server/trpc';
import { SqliteStore } from '../../server/store/sqlite-store';
import { MS_PER_DAY } from '../../server/domain/china-time';
import { principalFor, testContext } from '../support/context';
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

if (process.argv[1]?.endsWith('desk.bench.ts')) await runDeskBench();
