// Browser test: on /plan over Shenyang a planner unfolds the siting panel, asks for the next five
// 15-minute health stations (maximal covering) and reads the same answer plan.optimize gives — sites,
// coverage before and after, the optimality gap — while the proposals are drawn on the map in their
// marker colour, and stay drawn when the panel is folded again; its Excel, CSV and GeoJSON downloads open in GDAL.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/paths';
import type { RunningServer } from '../../server/index';
import { colorDistance, decodeScreenshot, launchBrowser, newTrackedPage, projectToPage, startTestServer, waitForMapIdle } from '../support/browser';
import { createTestClient } from '../support/trpc-client';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const MARKER: [number, number, number] = [214, 68, 40];
const REQUEST = { kind: 'health_station', maxMinutes: 15, within: '2101', objective: 'mclp', candidates: 'grid-centroids', newSites: 5 } as const;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** Whether any pixel within `radius` of (x, y) has the marker colour. */
function markerNear(shot: ReturnType<typeof decodeScreenshot>, x: number, y: number, radius = 8): boolean {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      if (colorDistance(shot.pixel(Math.round(x + dx), Math.round(y + dy)), MARKER) <= 12) return true;
    }
  }
  return false;
}

describe('/plan site selection', { timeout: 400_000 }, () => {
  it('proposes the next five health stations for Shenyang with the API\'s sites, coverage and gap, and draws them', async () => {
    const expected = await createTestClient(server.url).plan.optimize.query(REQUEST);
    expect(expected.proposals).toHaveLength(5);

    const { page, errors, hosts } = await newTrackedPage(browser, { width: 1600, height: 1000 });
    await page.goto(`${server.url}/plan?region=${REQUEST.within}`);
    await waitForMapIdle(page, 200_000);

    // Folded at first; the panel's defaults are the request above.
    expect(await page.locator('.plan-siting').getAttribute('open')).toBeNull();
    await page.locator('.plan-siting > summary').click();
    const panel = page.locator('.siting-panel');
    await panel.getByRole('button', { name: '计算方案' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.siting-panel tbody tr').length > 0, undefined, { timeout: 200_000 });

    const rows = await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(rows.map((row) => row[1])).toEqual(expected.proposals.map((proposal) => proposal.label));
    const answer = await panel.locator('dl').innerText();
    expect(answer).toContain(percent(expected.before.coverageRate));
    expect(answer).toContain(percent(expected.after.coverageRate));
    expect(answer).toContain(expected.optimality.provedOptimal ? '已证明最优' : `≤ ${(expected.optimality.gap * 100).toFixed(2)}%`);
    expect(expected.after.coverageRate).toBeGreaterThan(expected.before.coverageRate);

    // Every export downloads and opens in GDAL (ogrinfo, as QGIS would) with the five proposals.
    const downloads = mkdtempSync(join(tmpdir(), 'plan-siting-exports-'));
    try {
      for (const [button, extension] of [['Excel', 'xlsx'], ['CSV', 'csv'], ['GEOJSON', 'geojson']] as const) {
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 200_000 }), panel.getByRole('button', { name: button, exact: true }).click()]);
        const path = join(downloads, download.suggestedFilename());
        await download.saveAs(path);
        expect(path.endsWith(`.${extension}`)).toBe(true);
        const open = extension === 'csv' ? ['-oo', 'X_POSSIBLE_NAMES=经度', '-oo', 'Y_POSSIBLE_NAMES=纬度'] : [];
        const listing = execFileSync('ogrinfo', ['-ro', '-al', ...open, path], { encoding: 'utf8' });
        const counts = [...listing.matchAll(/^Feature Count: (\d+)$/gm)].map((m) => Number(m[1]));
        if (extension === 'geojson') expect(listing.match(/role \(String\) = proposal/g)).toHaveLength(5);
        else expect(counts, `${extension} layers`).toContain(5);
        for (const proposal of expected.proposals) expect(listing).toContain(proposal.label);
      }
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }

    // Fold the panel: the proposals stay on the map, each marker where its site is.
    await page.locator('.plan-siting > summary').click();
    await waitForMapIdle(page, 120_000);
    await page.waitForTimeout(500);
    const shot = decodeScreenshot(await page.screenshot());
    writeFileSync(join(ARTIFACTS, 'plan-siting-shenyang.png'), await page.screenshot());
    const side = await page.locator('.plan-side').boundingBox();
    let checked = 0;
    for (const proposal of expected.proposals) {
      const { x, y } = await projectToPage(page, proposal.lngLat);
      // Skip sites under the side column or the page's edges.
      if (side && x > side.x - 12 && y < side.y + side.height) continue;
      if (x < 12 || y < 80 || x > 1588 || y > 988) continue;
      expect(markerNear(shot, x, y), `marker of proposal ${proposal.rank} at ${x.toFixed(0)},${y.toFixed(0)}`).toBe(true);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual([new URL(server.url).host]);
    await page.close();
  });
});
