// Browser test: /plan over Shenyang asking for the uncovered residents (?q=gaps) shows the 15-minute
// health-station service areas as outlines and the uncovered residents as circles on a muted map; over
// Shenhe district the coverage question colours the streets by rate with the service areas outlined only
// (each sample's expected colour is the stack of what covers it, composited over the background);
// ?coverage=off brings back the population map.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { REPO_ROOT } from '../../server/paths';
import type { RunningServer } from '../../server/index';
import type { CoverageRateRow, GapProperties, ServiceAreaProperties } from '../../server/jobs/coverage';
import { rateColor } from '../../client/src/layers/coverage-colors';
import { gapFill, gapRadiusPixels } from '../../client/src/layers/coverage-gap-layer';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks, type Rgba } from '../../client/src/layers/color-scales';
import { blend, colorDistance, decodeScreenshot, launchBrowser, startTestServer, waitForMapIdle, type Screenshot } from '../support/browser';
import { insideMultiPolygon } from '../server/analysis/coverage/coverage-helpers';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const BACKGROUND: [number, number, number] = [238, 242, 246]; // light theme #eef2f6
const VIEWPORT = { width: 1600, height: 1000 };
const HEALTH_15 = { kind: 'health_station', maxMinutes: 15 };

let server: RunningServer;
let browser: Browser;

async function api<T>(procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${server.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[]; hosts: Set<string> }> {
  const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const hosts = new Set<string>();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:') hosts.add(url.host);
  });
  await page.goto(`${server.url}${path}`);
  await waitForMapIdle(page, 200_000);
  return { page, errors, hosts };
}

/** Hides the map's label layer (labels would cover sample points) and waits for the redraw. */
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

/** Page pixels of many [lng, lat] at once. */
async function projectMany(page: Page, points: number[][]): Promise<[number, number][]> {
  return page.evaluate((positions) => {
    const container = document.querySelector('.atlas-map') as HTMLDivElement & {
      maplibreMap: { project: (p: [number, number]) => { x: number; y: number } };
    };
    const rect = container.getBoundingClientRect();
    return positions.map((p) => {
      const q = container.maplibreMap.project(p as [number, number]);
      return [rect.left + q.x, rect.top + q.y] as [number, number];
    });
  }, points);
}

type Polygons<P> = FeatureCollection<MultiPolygon, P>;
type Units = Polygons<{ code: string; population: number; labelLngLat: [number, number] }>;

/** Every edge of the polygons as pixel segments [x0, y0, x1, y1]. */
async function edgesInPixels(page: Page, features: readonly Feature<MultiPolygon>[]): Promise<Float64Array> {
  const rings = features.flatMap((f) => f.geometry.coordinates.flat());
  const pixels = await projectMany(page, rings.flat());
  const out: number[] = [];
  let k = 0;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++, k++) if (i > 0) out.push(pixels[k - 1]![0], pixels[k - 1]![1], pixels[k]![0], pixels[k]![1]);
  }
  return Float64Array.from(out);
}

function distanceToEdges(edges: Float64Array, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i < edges.length; i += 4) {
    const ax = edges[i]!;
    const ay = edges[i + 1]!;
    const dx = edges[i + 2]! - ax;
    const dy = edges[i + 3]! - ay;
    const l2 = dx * dx + dy * dy;
    const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx - x, ay + t * dy - y));
  }
  return best;
}

interface Scene {
  /** The question on the map: coverage colours the units by rate; gaps draws the uncovered on muted units. */
  question: 'coverage' | 'gaps';
  units: Units;
  rates: CoverageRateRow[];
  areas: Polygons<ServiceAreaProperties>;
  gaps: FeatureCollection<MultiPolygon | Point, GapProperties>;
}

/**
 * The colour a point should have: background, its unit's rate class (coverage) or the muted fill (gaps),
 * then its gap (gaps only). Service areas are outlines only: samples lie clear of their edges.
 */
function expectedColor(scene: Scene, lng: number, lat: number, gapCircleAt: (lng: number, lat: number) => Feature<Point, GapProperties> | null): number[] | null {
  const unit = scene.units.features.find((f) => insideMultiPolygon(f.geometry.coordinates, lng, lat));
  if (!unit) return null;
  const rate = scene.rates.find((row) => row.code === unit.properties.code)?.rate ?? null;
  let colour: number[] = blend(scene.question === 'coverage' ? rateColor(rate, 'light')! : MUTED_FILL.light, BACKGROUND);
  if (scene.question === 'coverage') return colour;
  for (const gap of scene.gaps.features) {
    if (gap.geometry.type === 'MultiPolygon' && insideMultiPolygon(gap.geometry.coordinates, lng, lat)) colour = blend(gapFill(gap.properties.uncoveredShare), colour);
  }
  const circle = gapCircleAt(lng, lat);
  if (circle) colour = blend(gapFill(1) as Rgba, colour);
  return colour;
}

/** Compares sample points that lie clear of every drawn edge; returns [compared, mismatches]. */
async function compareSamples(
  page: Page,
  shot: Screenshot,
  scene: Scene,
  samples: number[][],
  options: { clearPixels: number; circles?: { centres: [number, number][]; radii: number[] } },
): Promise<{ compared: number; mismatches: unknown[] }> {
  const edges = await edgesInPixels(page, [
    ...scene.units.features,
    ...scene.areas.features,
    ...(scene.gaps.features.filter((f) => f.geometry.type === 'MultiPolygon') as Feature<MultiPolygon>[]),
  ]);
  const pixels = await projectMany(page, samples);
  const circles = options.circles;
  let compared = 0;
  const mismatches = [];
  for (let s = 0; s < samples.length; s++) {
    const [x, y] = pixels[s]!;
    if (x < 30 || y < 110 || x > VIEWPORT.width - 380 || y > VIEWPORT.height - 250) continue;
    if (distanceToEdges(edges, x, y) < options.clearPixels) continue;
    // Clear of circle rims: either well inside one (its centre) or well outside all.
    let inCircle: number | null = null;
    let onRim = false;
    if (circles) {
      for (let c = 0; c < circles.centres.length; c++) {
        const r = circles.radii[c]!;
        if (r === 0) continue;
        const d = Math.hypot(circles.centres[c]![0] - x, circles.centres[c]![1] - y);
        if (d < 0.5 && r >= 2) inCircle = c;
        else if (d < r + 2) onRim = true;
      }
    }
    if (onRim) continue;
    const [lng, lat] = samples[s]!;
    const expected = expectedColor(scene, lng!, lat!, () => (inCircle === null ? null : (scene.gaps.features[inCircle] as Feature<Point, GapProperties>)));
    if (!expected) continue;
    compared++;
    const actual = shot.pixel(x, y);
    if (colorDistance(expected, actual) > 12) mismatches.push({ lng, lat, expected, actual });
  }
  return { compared, mismatches };
}

describe('/plan coverage', { timeout: 400_000 }, () => {
  it('shows 15-minute health-station service areas and uncovered residents over Shenyang', async () => {
    const { page, errors, hosts } = await open('/plan?region=2101&q=gaps');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'plan-coverage-shenyang.png'), await page.screenshot({ timeout: 120_000 }));
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual([new URL(server.url).host]);

    const rates = await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: '2101', groupBy: 'county' });
    const covered = rates.reduce((sum, row) => sum + row.coveredPopulation, 0);
    const population = rates.reduce((sum, row) => sum + row.population, 0);
    const panel = await page.locator('.coverage-panel').innerText();
    expect(panel).toContain(`覆盖率 ${(Math.round((covered / population) * 1000) / 10).toLocaleString('zh-CN')}%`);
    expect(panel).toContain('绕行系数 1.3');
    expect(await page.locator('.coverage-legend').innerText()).toContain('服务范围（路网）');

    const scene: Scene = {
      question: 'gaps',
      units: await api<Units>('geo.adminUnits', { level: 'county', parent: '2101' }),
      rates,
      areas: await api<Polygons<ServiceAreaProperties>>('coverage.serviceAreas', { ...HEALTH_15, within: '2101', zoom: 9 }),
      gaps: await api<FeatureCollection<Point, GapProperties>>('coverage.gaps', { ...HEALTH_15, within: '2101', as: 'points' }),
    };
    const network = scene.areas.features.find((f) => f.properties.method === 'network')!;
    expect(network.geometry.coordinates.length).toBeGreaterThan(10);
    expect(scene.gaps.features.length).toBeGreaterThan(1000);

    await hideLabels(page);
    const shot = decodeScreenshot(await page.screenshot({ timeout: 120_000 }));
    const largest = Math.max(...scene.gaps.features.map((f) => f.properties.uncoveredPopulation));
    const centres = await projectMany(page, scene.gaps.features.map((f) => f.geometry.coordinates as number[]));
    const radii = scene.gaps.features.map((f) => gapRadiusPixels(f.properties.uncoveredPopulation, largest, 3));
    const circles = { centres, radii };
    // At city zoom the service areas are a lace of small polygons (their pixels are checked over Shenhe
    // below); here: the network areas are drawn at all, and the largest gap circles in the gap colour.
    const positions = network.geometry.coordinates.flat(2);
    const pixels = await projectMany(page, positions.filter((_, i) => i % 50 === 0));
    const tinted = pixels.filter(([x, y]) => x > 30 && y > 110 && x < VIEWPORT.width - 380 && y < VIEWPORT.height - 250).filter(([x, y]) => {
      const [r, , b] = shot.pixel(x, y);
      return b > r + 10;
    });
    expect(tinted.length).toBeGreaterThan(20);
    // The largest circles crowd the city centre and overlap; enough of them stand clear to compare.
    const biggest = [...scene.gaps.features.keys()].sort((a, b) => radii[b]! - radii[a]!).slice(0, 300);
    const gapCheck = await compareSamples(page, shot, scene, biggest.map((g) => scene.gaps.features[g]!.geometry.coordinates as number[]), { clearPixels: 3, circles });
    expect(gapCheck.compared).toBeGreaterThanOrEqual(5);
    expect(gapCheck.mismatches.length, JSON.stringify(gapCheck.mismatches.slice(0, 3))).toBeLessThanOrEqual(Math.floor(gapCheck.compared / 5));
    await page.close();
  });

  it('colours Shenhe\'s streets by coverage with the service areas outlined', async () => {
    const { page, errors } = await open('/plan?region=210103');
    writeFileSync(join(ARTIFACTS, 'plan-coverage-shenhe.png'), await page.screenshot({ timeout: 120_000 }));
    expect(errors).toEqual([]);
    const scene: Scene = {
      question: 'coverage',
      units: await api<Units>('geo.adminUnits', { level: 'street', parent: '210103' }),
      rates: await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: '210103', groupBy: 'street' }),
      areas: await api<Polygons<ServiceAreaProperties>>('coverage.serviceAreas', { ...HEALTH_15, within: '210103', zoom: 11 }),
      gaps: await api<Polygons<GapProperties>>('coverage.gaps', { ...HEALTH_15, within: '210103' }),
    };
    expect(scene.units.features).toHaveLength(11);
    expect(scene.gaps.features.length).toBeGreaterThan(10);
    await hideLabels(page);
    const shot = decodeScreenshot(await page.screenshot({ timeout: 120_000 }));
    // Samples: every grid's label point (inside or outside the gaps and service areas).
    const grids = await api<Polygons<{ labelLngLat: [number, number] }>>('geo.grids', { within: '210103' });
    const { compared, mismatches } = await compareSamples(page, shot, scene, grids.features.map((f) => f.properties.labelLngLat), { clearPixels: 3 });
    expect(compared).toBeGreaterThanOrEqual(100);
    expect(mismatches.length, JSON.stringify(mismatches.slice(0, 3))).toBeLessThanOrEqual(Math.floor(compared / 10));
    await page.close();
  });

  it('shows the plain population map with ?coverage=off', async () => {
    const { page, errors } = await open('/plan?region=2101&coverage=off');
    expect(errors).toEqual([]);
    expect(await page.locator('.coverage-panel').innerText()).toContain('显示生活圈覆盖');
    const counties = await api<Units>('geo.adminUnits', { level: 'county', parent: '2101' });
    const breaks = quantileBreaks(counties.features.map((f) => f.properties.population), 5);
    await hideLabels(page);
    const shot = decodeScreenshot(await page.screenshot({ timeout: 120_000 }));
    const pixels = await projectMany(page, counties.features.map((f) => f.properties.labelLngLat));
    const mismatches = counties.features.filter((county, i) => {
      const expected = blend(classColor(SEQUENTIAL_PALETTES.light, classOf(county.properties.population, breaks), breaks.length), BACKGROUND);
      return colorDistance(expected, shot.pixel(pixels[i]![0], pixels[i]![1])) > 10;
    });
    // A county's label point may sit under a city line at this zoom: allow one.
    expect(mismatches.length, mismatches.map((c) => c.properties.code).join(', ')).toBeLessThanOrEqual(1);
    await page.close();
  });
});
