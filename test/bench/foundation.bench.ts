// Foundation benchmarks: database build, start-up reuse, and GeoJSON API latency and size per zoom band.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { paths } from '../../server/paths';
import { buildDatabase, ensureDatabase } from '../../server/ingest/build-database';
import { SqliteStore } from '../../server/store/sqlite-store';
import { appRouter } from '../../server/routers/app';
import { createCallerFactory } from '../../server/trpc';
import { measure, printTimings, type Timing } from './measure';
import { testContext } from '../support/context';

export async function runFoundationBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-'));
  try {
    const databasePath = join(dir, 'atlas.sqlite');
    const build = await measure('build database from data/sources (geography only)', () => buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: null }), {
      runs: 3,
      warmup: 0,
    });
    const reuse = await measure('start-up: check data version and open the store', () => {
      ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: null });
      new SqliteStore(databasePath).close();
    });
    printTimings('Database', [build, reuse]);

    const store = new SqliteStore(databasePath);
    const caller = createCallerFactory(appRouter)(testContext(store, { version: 'bench' }));
    const timings: Timing[] = [];
    for (const zoom of [5, 7, 9, undefined]) {
      const input = { level: 'county' as const, ...(zoom === undefined ? {} : { zoom }) };
      const body = JSON.stringify(await caller.geo.adminUnits(input));
      timings.push(
        await measure(`geo.adminUnits county zoom ${zoom ?? 'full'}`, async () => JSON.stringify(await caller.geo.adminUnits(input)), {
          note: `${(body.length / 1024).toFixed(0)} KiB JSON, ${(gzipSync(body).length / 1024).toFixed(0)} KiB gzip`,
        }),
      );
    }
    for (const zoom of [5, undefined]) {
      const input = zoom === undefined ? {} : { zoom };
      const body = JSON.stringify(await caller.geo.boundaryLines(input));
      timings.push(
        await measure(`geo.boundaryLines all levels zoom ${zoom ?? 'full'}`, async () => JSON.stringify(await caller.geo.boundaryLines(input)), {
          note: `${(body.length / 1024).toFixed(0)} KiB JSON, ${(gzipSync(body).length / 1024).toFixed(0)} KiB gzip`,
        }),
      );
    }
    timings.push(await measure('geo.adminTree 210103', () => caller.geo.adminTree({ code: '210103' })));
    printTimings('API (in process, including JSON serialisation)', timings);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
