// `npm run soak -- [--minutes 30] [--rate 600] [--tour 5] [--region 2101] [--width 1920 --height 1080]`
// An accelerated 24/7 run of the wall in headless Chromium: the tour switches scenes every few seconds
// while the demo feed sends `rate` events a minute (600 = 10 a second). Every minute, after a forced
// garbage collection, it samples the JS heap, DOM nodes, event listeners and live WebGL objects, then
// reports them with their trend after warm-up. Flat lines mean the wall can run for weeks.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, paths } from '../../server/paths';
import { buildClientIfStale } from '../../server/client-build';
import { ensureDatabase } from '../../server/ingest/build-database';
import { TEST_DEMO } from '../support/global-setup';
import { launchBrowser, waitForMapIdle } from '../support/browser';
import { spawnDatabaseServer } from '../support/server-process';
import { WEBGL_COUNTER_SCRIPT, readWebglCounts } from '../support/webgl-counter';

interface Sample {
  minute: number;
  heapMiB: number;
  domNodes: number;
  listeners: number;
  webglObjects: number;
  webgl: Record<string, number>;
  eventsReceived: number;
  scene: string | null;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function runScreenSoak(options: { minutes: number; rate: number; tour: number; region: string; width: number; height: number }): Promise<Sample[]> {
  await buildClientIfStale((message) => console.log(message));
  const testDatabase = join(REPO_ROOT, 'test', 'artifacts', 'atlas-test.sqlite');
  mkdirSync(join(REPO_ROOT, 'test', 'artifacts'), { recursive: true });
  ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath: testDatabase, demo: TEST_DEMO });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-soak-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(testDatabase, databasePath);
  const server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: options.rate });
  const browser = await launchBrowser();
  const samples: Sample[] = [];
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: options.width, height: options.height }, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript(WEBGL_COUNTER_SCRIPT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${server.url}/screen?region=${options.region}&tour=${options.tour}`);
    await waitForMapIdle(page, 180_000);
    const started = Date.now();
    console.log(`soak: ${options.minutes} min at ${options.rate} events/min, tour ${options.tour} s, ${options.width}×${options.height}, region ${options.region}`);
    console.log('| minute | JS heap MiB | DOM nodes | listeners | WebGL objects | events received | scene |');
    console.log('|---:|---:|---:|---:|---:|---:|---|');
    for (let minute = 0; minute <= options.minutes; minute++) {
      const due = started + minute * 60_000;
      if (Date.now() < due) await page.waitForTimeout(due - Date.now());
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
      const webgl = await readWebglCounts(page);
      const wall = await page.evaluate(() => {
        const root = document.querySelector('.screen-wall');
        return {
          nodes: document.getElementsByTagName('*').length,
          received: Number(root?.getAttribute('data-live-received') ?? 0),
          scene: root?.getAttribute('data-scene') ?? null,
        };
      });
      const sample: Sample = {
        minute,
        heapMiB: metric('JSHeapUsedSize') / 2 ** 20,
        domNodes: wall.nodes,
        listeners: metric('JSEventListeners'),
        webglObjects: Object.values(webgl).reduce((a, b) => a + b, 0),
        webgl,
        eventsReceived: wall.received,
        scene: wall.scene,
      };
      samples.push(sample);
      console.log(
        `| ${minute} | ${sample.heapMiB.toFixed(1)} | ${sample.domNodes} | ${sample.listeners} | ${sample.webglObjects} | ${sample.eventsReceived} | ${sample.scene} |`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  // Trend after warm-up (the first fifth of the run, at least 2 minutes: caches fill, every scene loads once).
  const warm = samples.filter((s) => s.minute >= Math.max(2, Math.round(options.minutes / 5)));
  const xs = warm.map((s) => s.minute / 60);
  const summary = {
    ...options,
    samples: samples.length,
    consoleErrors: errors.length,
    afterWarmUp: warm.length
      ? {
          heapMiB: { first: warm[0]!.heapMiB, last: warm.at(-1)!.heapMiB, max: Math.max(...warm.map((s) => s.heapMiB)), slopePerHour: slope(xs, warm.map((s) => s.heapMiB)) },
          domNodes: { first: warm[0]!.domNodes, last: warm.at(-1)!.domNodes, max: Math.max(...warm.map((s) => s.domNodes)), slopePerHour: slope(xs, warm.map((s) => s.domNodes)) },
          listeners: { first: warm[0]!.listeners, last: warm.at(-1)!.listeners, slopePerHour: slope(xs, warm.map((s) => s.listeners)) },
          webglObjects: { first: warm[0]!.webglObjects, last: warm.at(-1)!.webglObjects, max: Math.max(...warm.map((s) => s.webglObjects)), slopePerHour: slope(xs, warm.map((s) => s.webglObjects)) },
        }
      : null,
    eventsReceived: samples.at(-1)?.eventsReceived ?? 0,
  };
  console.log('\nsummary', JSON.stringify(summary, null, 2));
  if (errors.length) console.log('console errors:', errors.slice(0, 10));
  writeFileSync(join(REPO_ROOT, 'test', 'artifacts', 'screen-soak.json'), JSON.stringify({ summary, samples, errors: errors.slice(0, 50) }, null, 2));
  return samples;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '600' },
      tour: { type: 'string', default: '5' },
      region: { type: 'string', default: '2101' },
      width: { type: 'string', default: '1920' },
      height: { type: 'string', default: '1080' },
    },
  });
  await runScreenSoak({
    minutes: Number(values.minutes),
    rate: Number(values.rate),
    tour: Number(values.tour),
    region: values.region!,
    width: Number(values.width),
    height: Number(values.height),
  });
}
