// Browser test: /screen in headless Chromium draws Liaoning's counties from the API with the right
// colours, labels in Chinese, and contacts no host but the local server.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { REPO_ROOT } from '../../server/paths';
import type { RunningServer } from '../../server/index';
import { SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks } from '../../client/src/layers/color-scales';
import { THEME_COLORS } from '../../client/src/map/offline-style';
import {
  blend,
  colorDistance,
  decodeScreenshot,
  launchBrowser,
  newTrackedPage,
  projectToPage,
  startTestServer,
  waitForMapIdle,
  type TrackedPage,
} from '../support/browser';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const DARK_BACKGROUND = [7, 16, 31]; // #07101f
type Counties = FeatureCollection<MultiPolygon, { code: string; name: string; population: number; labelLngLat: [number, number] }>;

let server: RunningServer;
let browser: Browser;
let counties: Counties;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const input = encodeURIComponent(JSON.stringify({ level: 'county' }));
  const response = await fetch(`${server.url}/trpc/geo.adminUnits?input=${input}`);
  counties = ((await response.json()) as { result: { data: Counties } }).result.data;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Visit = TrackedPage;

async function openScreen(path: string): Promise<Visit> {
  const visit = await newTrackedPage(browser, { width: 1920, height: 1080 });
  const { page } = visit;
  await page.goto(`${server.url}${path}`);
  await waitForMapIdle(page, 150_000);
  return visit;
}

/** Hides the label layer (so label text does not cover sample points) and waits for the redraw. */
async function hideLabels(page: Page): Promise<void> {
  await page.evaluate(() => {
    const container = document.querySelector('.atlas-map') as HTMLDivElement & {
      maplibreMap: { setLayoutProperty: (layer: string, name: string, value: string) => void; once: (e: string, f: () => void) => void; triggerRepaint: () => void };
    };
    return new Promise<void>((resolve) => {
      container.maplibreMap.once('idle', () => resolve());
      container.maplibreMap.setLayoutProperty('atlas-labels', 'visibility', 'none');
      container.maplibreMap.triggerRepaint();
    });
  });
}

/** For each county in focus: is the pixel at its pole of inaccessibility the colour of its class? */
async function sampleCountyColors(page: Page, focus: string) {
  const inFocus = counties.features.filter((f) => f.properties.code.startsWith(focus));
  const breaks = quantileBreaks(inFocus.map((f) => f.properties.population), 5);
  const palette = SEQUENTIAL_PALETTES.dark;
  await hideLabels(page);
  const shot = decodeScreenshot(await page.screenshot());
  const results = [];
  for (const feature of inFocus) {
    const { x, y } = await projectToPage(page, feature.properties.labelLngLat);
    const expected = blend(classColor(palette, classOf(feature.properties.population, breaks), breaks.length), DARK_BACKGROUND);
    const actual = shot.pixel(x, y);
    results.push({ code: feature.properties.code, expected, actual, matches: colorDistance(expected, actual) <= 10 });
  }
  return results;
}

describe('/screen map', { timeout: 300_000 }, () => {
  it('draws every county of Liaoning in its population class colour, offline', async () => {
    const { page, hosts, errors } = await openScreen('/screen?kpi=population&tour=0');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'screen-1920x1080.png'), await page.screenshot());

    expect([...hosts]).toEqual([new URL(server.url).host]);
    expect(errors).toEqual([]);
    expect(await page.locator('.screen-title h1').innerText()).toContain('辽宁省');
    expect(await page.locator('.credits').innerText()).toContain('国家统计局');

    // The map's top-left corner lies outside Liaoning: the theme's background.
    const box = (await page.locator('.atlas-map').boundingBox())!;
    const background = decodeScreenshot(await page.screenshot()).pixel(box.x + 4, box.y + 4);
    expect(colorDistance(background, DARK_BACKGROUND)).toBeLessThanOrEqual(2);

    const samples = await sampleCountyColors(page, '21');
    expect(samples).toHaveLength(100);
    const mismatches = samples.filter((s) => !s.matches);
    // Tiny urban districts are a few pixels wide at province zoom: a boundary stroke may cover their centre.
    expect(mismatches.length, JSON.stringify(mismatches.slice(0, 5))).toBeLessThanOrEqual(8);
    await page.close();
  });

  it('drills into Shenyang: its 13 counties coloured by class, the rest muted', async () => {
    const { page, errors } = await openScreen('/screen?region=2101&kpi=population&tour=0');
    writeFileSync(join(ARTIFACTS, 'screen-shenyang-1920x1080.png'), await page.screenshot());
    expect(errors).toEqual([]);
    expect(await page.locator('.screen-title h1').innerText()).toContain('沈阳市');

    const samples = await sampleCountyColors(page, '2101');
    expect(samples).toHaveLength(13);
    expect(samples.filter((s) => !s.matches)).toEqual([]);

    // A county outside the focus (Dalian's Zhuanghe, far from Shenyang) is off screen; Tieling's
    // Kaiyuan borders Shenyang on the north-east and is drawn muted.
    const kaiyuan = counties.features.find((f) => f.properties.code === '211282')!;
    const { x, y } = await projectToPage(page, kaiyuan.properties.labelLngLat);
    const shot = decodeScreenshot(await page.screenshot());
    const box = (await page.locator('.atlas-map').boundingBox())!;
    if (x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) {
      expect(colorDistance(shot.pixel(x, y), [30, 41, 59])).toBeLessThanOrEqual(12);
    }
    await page.close();
  });
});

describe('/plan drill-down into generated streets', { timeout: 300_000 }, () => {
  it('colours Shenhe district\'s 11 streets by population, under the demo-data badge', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/plan?region=210103&coverage=off`);
    await waitForMapIdle(page, 150_000);
    writeFileSync(join(ARTIFACTS, 'plan-shenhe-streets.png'), await page.screenshot());
    expect(errors).toEqual([]);
    expect(await page.locator('.demo-badge').innerText()).toBe('演示数据');
    expect(await page.locator('.breadcrumbs').innerText()).toMatch(/沈阳市[\s\S]*沈河区/);

    const input = encodeURIComponent(JSON.stringify({ level: 'street', parent: '210103' }));
    const streets = ((await (await fetch(`${server.url}/trpc/geo.adminUnits?input=${input}`)).json()) as { result: { data: Counties } }).result.data;
    expect(streets.features).toHaveLength(11);
    const breaks = quantileBreaks(streets.features.map((f) => f.properties.population), 5);
    await hideLabels(page);
    const shot = decodeScreenshot(await page.screenshot());
    const background = [238, 242, 246]; // light theme background #eef2f6
    const mismatches = [];
    for (const feature of streets.features) {
      const { x, y } = await projectToPage(page, feature.properties.labelLngLat);
      const expected = blend(classColor(SEQUENTIAL_PALETTES.light, classOf(feature.properties.population, breaks), breaks.length), background);
      if (colorDistance(expected, shot.pixel(x, y)) > 10) mismatches.push({ code: feature.properties.code, expected, actual: shot.pixel(x, y) });
    }
    expect(mismatches).toEqual([]);
    await page.close();
  });
});

// Keeps the theme constant in the test honest if the style changes.
it('uses the dark and light theme backgrounds of the offline style', () => {
  expect(THEME_COLORS.dark.background).toBe('#07101f');
  expect(THEME_COLORS.light.background).toBe('#eef2f6');
});
