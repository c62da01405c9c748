// Planner map draw cost (BENCH_ONLY=plan): one frame of /plan over 沈河区 at 1440 × 900 in headless Chromium
// (SwiftShader WebGL, as the browser tests), for the plain population map (?coverage=off) and for each
// question on the map. A frame is timed in the page: a repaint asked of MapLibre, its render event, then
// a one-pixel readPixels that waits for the GPU to finish (SwiftShader draws asynchronously); median and
// spread of RUNS frames after a warm-up, the map idle with all data drawn. Target: a question's frame at
// most 2 × the plain map's. First, the table's sort of 10,000 rows (in Node, the browser's code), which
// must stay well inside a frame. PLAN_BENCH_CLIENT_DIR serves another build of the client (e.g. an older
// commit's, for a before/after comparison against the same server and data).

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, paths } from '../../server/paths';
import { buildClientIfStale } from '../../server/client-build';
import { startServer } from '../../server/index';
import { ensureDatabase } from '../../server/ingest/build-database';
import { TEST_DEMO } from '../support/global-setup';
import { launchBrowser } from '../support/browser';
import { measure, printTimings } from './measure';
import { nameRanks, numericKeys, sortedIndices } from '../../client/src/modes/plan/table-sort';

const RUNS = 5;
const VIEWPORT = { width: 1440, height: 900 };
const CASES: { name: string; path: string }[] = [
  { name: 'plain population map (?coverage=off)', path: '/plan?region=210103&coverage=off' },
  { name: 'coverage', path: '/plan?region=210103' },
  { name: 'gaps', path: '/plan?region=210103&q=gaps' },
  { name: 'completeness', path: '/plan?region=210103&q=completeness' },
];

/** Frame times in ms (repaint → render event → GPU finished), `runs` of them after one warm-up. */
async function frameTimes(page: Page, runs: number): Promise<number[]> {
  // A string, not a function: tsx's transform may wrap named functions in a helper the page lacks.
  return page.evaluate(`(async () => {
    const map = document.querySelector('.atlas-map').maplibreMap;
    const gl = map.getCanvas().getContext('webgl2') || map.getCanvas().getContext('webgl');
    const pixel = new Uint8Array(4);
    const frame = () => new Promise((resolve) => {
      const start = performance.now();
      map.once('render', () => {
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
        resolve(performance.now() - start);
      });
      map.triggerRepaint();
    });
    await frame();
    const times = [];
    for (let i = 0; i < ${runs}; i++) times.push(await frame());
    return times;
  })()`);
}

/** Sorting a table of 10,000 grids (seeded values): keys once per answer, then one permutation per click. */
export async function runPlanTableSortBench(): Promise<void> {
  let seed = 1;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const rows = Array.from({ length: 10_000 }, (_, i) => ({ name: `网格${(random() * 1e6).toFixed(0)}-${i}`, rate: random() < 0.02 ? null : random(), population: Math.round(random() * 3000) }));
  const out = new Uint32Array(rows.length);
  const rateKeys = numericKeys(rows, (row) => row.rate);
  const names = rows.map((row) => row.name);
  printTimings('Client: /plan table sort, 10,000 rows (Node, same code as the browser)', [
    await measure('rate keys (once per answer)', () => numericKeys(rows, (row) => row.rate)),
    await measure('name ranks, zh-CN collation (once per answer)', () => nameRanks(names, 'zh-CN'), { runs: 5, warmup: 1 }),
    await measure('sort by rate (per click)', () => sortedIndices(rateKeys, 'desc', out)),
  ]);
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function runPlanBench(): Promise<void> {
  await runPlanTableSortBench();
  const databasePath = join(REPO_ROOT, 'test', 'artifacts', 'atlas-test.sqlite');
  ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  const clientDir = process.env.PLAN_BENCH_CLIENT_DIR ?? paths.clientDir;
  if (!process.env.PLAN_BENCH_CLIENT_DIR) await buildClientIfStale();
  const server = await startServer({ databasePath, clientDir, port: 0 });
  const browser = await launchBrowser();
  try {
    console.log(`\n## Client: /plan frame over 沈河区, 1440 × 900, headless Chromium (SwiftShader)${process.env.PLAN_BENCH_CLIENT_DIR ? ` — client from ${clientDir}` : ''}`);
    console.log('| view | frames | median ms | p10 ms | p90 ms | × plain |');
    console.log('|---|---:|---:|---:|---:|---:|');
    let plain = 0;
    for (const { name, path } of CASES) {
      const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector('.atlas-map[data-map-state="idle"]', { state: 'attached', timeout: 600_000 });
      // The pointer away from the map: no hover highlight redraws during the frames.
      await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
      const times = (await frameTimes(page, RUNS)).sort((a, b) => a - b);
      const median = quantile(times, 0.5);
      if (plain === 0) plain = median;
      console.log(`| ${name} | ${RUNS} | ${median.toFixed(0)} | ${quantile(times, 0.1).toFixed(0)} | ${quantile(times, 0.9).toFixed(0)} | ${(median / plain).toFixed(2)} |`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
