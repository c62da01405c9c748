// Client benchmark: initial JavaScript per mode (gzip, what the browser fetched until the map was
// idle) and the time to the first complete frame of /screen on localhost, against an empty MapLibre
// page in the same headless Chromium (SwiftShader makes absolute times meaningless, ratios less so).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { REPO_ROOT, paths } from '../../server/paths';
import { buildClientIfStale } from '../../server/client-build';
import { startServer } from '../../server/index';
import { ensureDatabase } from '../../server/ingest/build-database';
import { TEST_DEMO } from '../support/global-setup';
import { launchBrowser, waitForMapIdle } from '../support/browser';

const RUNS = 3;
const MODES = ['/screen?region=2101&tour=0', '/plan?region=2101', '/brief'] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** JS files a page loads until its map is idle, and their gzip size. */
async function initialScripts(browser: Browser, url: string): Promise<{ files: string[]; gzipBytes: number }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const files = new Set<string>();
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.js')) files.add(path);
  });
  await page.goto(url);
  await waitForMapIdle(page, 180_000);
  await page.close();
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipSync(readFileSync(join(paths.clientDir, file))).length;
  return { files: [...files].sort(), gzipBytes };
}

/** ms from navigation to the wall complete: map idle, every figure filled and every chart drawn. */
async function screenFirstFrame(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<number> {
  const page = await browser.newPage({ viewport });
  const start = Date.now();
  await page.goto(url);
  await waitForMapIdle(page, 180_000);
  // Every panel has answered: figures filled ("—" is a final answer for an empty period) and each chart
  // drawn or marked empty.
  await page.waitForFunction(
    () =>
      !document.querySelector('[data-kpi="grids"] .stat-value')?.textContent?.startsWith('—') &&
      document.querySelectorAll('.panel-chart [_echarts_instance_], .panel-chart .echart-empty[data-loaded]').length === 4,
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  const elapsed = Date.now() - start;
  await page.close();
  return elapsed;
}

/** ms from navigation to the first idle of a MapLibre map with an empty style, same viewport. */
async function emptyMapFirstFrame(browser: Browser, serverUrl: string, viewport: { width: number; height: number }): Promise<number> {
  const require = createRequire(import.meta.url);
  const page = await browser.newPage({ viewport });
  // Served from the project's own origin so fetches and caching match the wall's.
  const start = Date.now();
  await page.goto(`${serverUrl}/trpc/meta.health`);
  await page.setContent('<!doctype html><html><body style="margin:0"><div id="map" style="width:100vw;height:100vh"></div></body></html>');
  await page.addScriptTag({ path: require.resolve('maplibre-gl/dist/maplibre-gl.js') });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const maplibre = (window as unknown as { maplibregl: { Map: new (options: object) => { once: (event: string, f: () => void) => void } } }).maplibregl;
        const map = new maplibre.Map({
          container: 'map',
          style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#07101f' } }] },
          center: [123.4, 41.8],
          zoom: 8,
        });
        map.once('idle', () => resolve());
      }),
  );
  const elapsed = Date.now() - start;
  await page.close();
  return elapsed;
}

export async function runScreenBench(): Promise<void> {
  await buildClientIfStale();
  const databasePath = join(REPO_ROOT, 'test', 'artifacts', 'atlas-test.sqlite');
  ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  const server = await startServer({ databasePath, clientDir: paths.clientDir, port: 0 });
  const browser = await launchBrowser();
  try {
    console.log('\n## Client: initial JavaScript per mode (gzip -6 of each file fetched until the map is idle)');
    console.log('| mode | files | gzip KiB | loads planner or briefing code |');
    console.log('|---|---:|---:|---|');
    for (const mode of MODES) {
      const { files, gzipBytes } = await initialScripts(browser, `${server.url}${mode}`);
      const name = mode.split('?')[0]!;
      const foreign = files.filter((file) => (name !== '/plan' && /plan-mode/.test(file)) || (name !== '/brief' && /brief-mode/.test(file)));
      console.log(`| ${name} | ${files.length} | ${(gzipBytes / 1024).toFixed(0)} | ${foreign.length ? foreign.join(', ') : 'no'} |`);
    }

    console.log('\n## Client: time to the first complete frame (headless Chromium, SwiftShader WebGL)');
    console.log('| viewport | /screen median ms | empty MapLibre median ms | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ]) {
      const wall: number[] = [];
      const empty: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        empty.push(await emptyMapFirstFrame(browser, server.url, viewport));
        wall.push(await screenFirstFrame(browser, `${server.url}/screen?region=2101&tour=0`, viewport));
      }
      console.log(`| ${viewport.width}×${viewport.height} | ${median(wall)} | ${median(empty)} | ${(median(wall) / median(empty)).toFixed(1)} |`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
