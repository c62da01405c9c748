// Browser test of the /plan workspace over 沈河区 (210103) at 1440 × 900: the answer figures in view, the
// table's rows equal to coverage.rates and sorted by its headers (streets and grids), a clicked row
// outlined on the map and a hovered unit highlighting its row, the completeness map, legend and table
// against coverage.completeness for three communities, the PNG export (legend pixels) and the CSV read
// back, search flying to a unit, English labels, and no critical axe-core violation.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { REPO_ROOT } from '../../server/paths';
import type { RunningServer } from '../../server/index';
import type { CompletenessRow, CoverageRateRow } from '../../server/jobs/coverage';
import { FACILITY_KIND_LABELS } from '../../server/domain/facility-kinds';
import { RATE_PALETTES } from '../../client/src/layers/coverage-colors';
import { completenessColor } from '../../client/src/layers/completeness-colors';
import { MUTED_FILL } from '../../client/src/layers/color-scales';
import { UNIT_HIGHLIGHT_COLOR } from '../../client/src/layers/unit-highlight-layer';
import { axeViolations, blend, colorDistance, decodeScreenshot, launchBrowser, newTrackedPage, projectToPage, startTestServer, waitForMapIdle } from '../support/browser';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const SHENHE = '210103';
const VIEWPORT = { width: 1440, height: 900 };
const BACKGROUND: [number, number, number] = [238, 242, 246]; // light theme #eef2f6
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
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const tracked = await newTrackedPage(browser, VIEWPORT);
  await tracked.page.goto(`${server.url}${path}`);
  await waitForMapIdle(tracked.page, 300_000);
  return { page: tracked.page, errors: tracked.errors };
}

/** Hides the map's label layer (labels would cover sample points) and waits for the redraw. */
async function hideLabels(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const container = document.querySelector('.atlas-map') as HTMLDivElement & {
          maplibreMap: { setLayoutProperty: (layer: string, name: string, value: string) => void; once: (e: string, f: () => void) => void; triggerRepaint: () => void };
        };
        container.maplibreMap.once('idle', () => resolve());
        container.maplibreMap.setLayoutProperty('atlas-labels', 'visibility', 'none');
        container.maplibreMap.triggerRepaint();
      }),
  );
}

/** The table's rendered rows: code and cell texts. */
async function tableRows(page: Page): Promise<{ code: string; cells: string[] }[]> {
  return page.$$eval('.plan-table tbody tr[data-code]', (rows) =>
    rows.map((row) => ({ code: row.getAttribute('data-code')!, cells: [...row.querySelectorAll('td')].map((td) => td.textContent ?? '') })),
  );
}

const zhInteger = (value: number) => value.toLocaleString('zh-CN', { maximumFractionDigits: 0 });
const zhPercent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`);

/** Pixels of a screenshot region close to a colour. */
function countNear(shot: ReturnType<typeof decodeScreenshot>, colour: readonly number[], box: { x0: number; y0: number; x1: number; y1: number }, tolerance: number): number {
  let count = 0;
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(shot.png.height, box.y1); y++) {
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(shot.png.width, box.x1); x++) if (colorDistance(shot.pixel(x, y), colour) <= tolerance) count++;
  }
  return count;
}

describe('/plan workspace', { timeout: 900_000 }, () => {
  it('answers first, lists the streets as coverage.rates does, sorts, and highlights rows and units both ways', async () => {
    const { page, errors } = await open(`/plan?region=${SHENHE}`);
    writeFileSync(join(ARTIFACTS, 'plan-workspace-shenhe.png'), await page.screenshot({ timeout: 120_000 }));
    expect(errors).toEqual([]);

    // The answer figures lie in the viewport at 1440 × 900.
    const answer = (await page.locator('.plan-answer').boundingBox())!;
    expect(answer.y).toBeGreaterThan(0);
    expect(answer.y + answer.height).toBeLessThanOrEqual(VIEWPORT.height);
    const rates = await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: SHENHE, groupBy: 'street' });
    const covered = rates.reduce((sum, row) => sum + row.coveredPopulation, 0);
    const population = rates.reduce((sum, row) => sum + row.population, 0);
    expect(await page.locator('.plan-answer').innerText()).toContain(`覆盖率 ${zhPercent(covered / population)}`);
    expect(await page.locator('.plan-questions button[aria-pressed="true"]').innerText()).toBe('覆盖率');

    // Every street's row equals the API's numbers; the default order is the lowest rate first.
    await page.waitForSelector('.plan-table tbody tr[data-code]');
    const rows = await tableRows(page);
    expect(rows).toHaveLength(rates.length);
    for (const row of rows) {
      const expected = rates.find((r) => r.code === row.code)!;
      expect(row.cells).toEqual([expected.name, zhInteger(expected.population), zhInteger(expected.coveredPopulation), zhPercent(expected.rate), zhInteger(expected.population - expected.coveredPopulation)]);
    }
    const byRate = [...rates].sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2));
    expect(rows.map((row) => rates.find((r) => r.code === row.code)!.rate)).toEqual(byRate.map((r) => r.rate));

    // Sorting by residents: descending first, ascending on a second click.
    await page.locator('.plan-table th button[data-column="population"]').click();
    expect((await tableRows(page)).map((row) => row.code)).toEqual([...rates].sort((a, b) => b.population - a.population).map((r) => r.code));
    expect(await page.locator('.plan-table th[aria-sort="descending"]').innerText()).toContain('常住人口');
    await page.locator('.plan-table th button[data-column="population"]').click();
    expect((await tableRows(page)).map((row) => row.code)).toEqual([...rates].sort((a, b) => a.population - b.population).map((r) => r.code));

    // Clicking a row outlines its street on the map in the highlight colour (none of it before).
    await hideLabels(page);
    const streets = await api<FeatureCollection<MultiPolygon, { code: string; labelLngLat: [number, number] }>>('geo.adminUnits', { level: 'street', parent: SHENHE });
    const target = [...rates].sort((a, b) => b.population - a.population)[0]!;
    const ring = streets.features.find((f) => f.properties.code === target.code)!.geometry.coordinates.flat(2);
    const corners = await Promise.all(ring.filter((_, i) => i % Math.max(1, Math.floor(ring.length / 40)) === 0).map((p) => projectToPage(page, p as [number, number])));
    const box = { x0: Math.min(...corners.map((c) => c.x)) - 4, y0: Math.min(...corners.map((c) => c.y)) - 4, x1: Math.max(...corners.map((c) => c.x)) + 4, y1: Math.max(...corners.map((c) => c.y)) + 4 };
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 10);
    const before = countNear(decodeScreenshot(await page.screenshot({ timeout: 120_000 })), UNIT_HIGHLIGHT_COLOR, box, 40);
    await page.locator(`.plan-table tbody tr[data-code="${target.code}"]`).click();
    await expect.poll(() => page.locator(`.plan-table tbody tr[data-code="${target.code}"]`).getAttribute('aria-selected'), { timeout: 60_000 }).toBe('true');
    await waitForMapIdle(page, 120_000);
    const shot = decodeScreenshot(await page.screenshot({ timeout: 120_000 }));
    writeFileSync(join(ARTIFACTS, 'plan-workspace-highlight.png'), PNG.sync.write(shot.png));
    const after = countNear(shot, UNIT_HIGHLIGHT_COLOR, box, 40);
    expect(before).toBeLessThan(10);
    expect(after).toBeGreaterThan(100);

    // Hovering another street on the map highlights its row.
    const other = streets.features.find((f) => f.properties.code !== target.code && f.properties.code.startsWith(SHENHE))!;
    const point = await projectToPage(page, other.properties.labelLngLat);
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => page.locator(`.plan-table tbody tr[data-code="${other.properties.code}"]`).getAttribute('aria-selected'), { timeout: 60_000 }).toBe('true');

    // Keyboard: the table's rows are reachable and arrow keys move focus and highlight (the clicked row is last).
    await page.locator('.plan-table tbody tr[tabindex="0"]').focus();
    const last = await page.locator('.plan-table tbody tr[tabindex="0"]').getAttribute('data-code');
    expect(last).toBe(target.code);
    await page.keyboard.press('ArrowUp');
    const above = rows.length > 1 ? (await tableRows(page))[rows.length - 2]!.code : last;
    // A software-rendered frame of the map takes seconds and holds the page's thread: generous waits.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-code')), { timeout: 60_000 }).toBe(above);
    expect(await page.locator(`.plan-table tbody tr[data-code="${above}"]`).getAttribute('aria-selected')).toBe('true');

    // No critical accessibility violation (axe-core).
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts the district\'s grids by coverage as coverage.rates answers', async () => {
    const { page, errors } = await open(`/plan?region=${SHENHE}&units=grid`);
    const grids = await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: SHENHE, groupBy: 'grid' });
    expect(grids.length).toBeGreaterThan(100);
    await expect.poll(() => page.locator('.plan-table-count').innerText(), { timeout: 60_000 }).toBe(`共 ${zhInteger(grids.length)} 行`);
    await page.locator('.plan-table th button[data-column="uncovered"]').click();
    const rows = await tableRows(page);
    // Windowed: only the rows in view are in the page, and they are the most uncovered.
    expect(rows.length).toBeLessThan(60);
    const expected = [...grids].sort((a, b) => b.population - b.coveredPopulation - (a.population - a.coveredPopulation));
    expect(rows.slice(0, 10).map((row) => row.cells[4])).toEqual(expected.slice(0, 10).map((r) => zhInteger(r.population - r.coveredPopulation)));
    // The last row after End.
    await page.locator('.plan-table tbody tr[tabindex="0"]').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-position')), { timeout: 60_000 }).toBe(String(grids.length - 1));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('maps life-circle completeness per community as coverage.completeness answers (map, legend, table)', async () => {
    const { page, errors } = await open(`/plan?region=${SHENHE}&q=completeness`);
    expect(errors).toEqual([]);
    const completeness = await api<CompletenessRow[]>('coverage.completeness', { within: SHENHE, groupBy: 'community' });
    expect(completeness.length).toBeGreaterThan(3);
    const legend = await page.locator('.plan-legend').innerText();
    expect(legend).toContain('GB 50180-2018');
    expect(legend).toContain(`社区卫生服务站 300 米`);
    expect(legend).toContain(`全部 ${completeness[0]!.kindsTotal} 类`);
    const complete = completeness.filter((row) => row.kindsWithin === row.kindsTotal).length;
    expect(await page.locator('.plan-answer').innerText()).toContain(`${complete} / ${completeness.length}`);

    // Three communities of different completeness: their rows (kinds, what is missing) and their colour on the map.
    await page.waitForSelector('.plan-table tbody tr[data-code]');
    const rows = await tableRows(page);
    const byCode = new Map(completeness.map((row) => [row.code, row]));
    const chosen: CompletenessRow[] = [];
    for (const row of rows) {
      const answer = byCode.get(row.code)!;
      if (chosen.length < 3 && !chosen.some((c) => c.kindsWithin === answer.kindsWithin)) chosen.push(answer);
    }
    for (const row of rows.slice(-3)) if (chosen.length < 3 && !chosen.some((c) => c.code === row.code)) chosen.push(byCode.get(row.code)!);
    expect(chosen).toHaveLength(3);
    for (const answer of chosen) {
      const row = rows.find((r) => r.code === answer.code)!;
      expect(row.cells[0]).toBe(answer.name);
      expect(row.cells[1]).toBe(zhInteger(answer.population));
      expect(row.cells[2]).toBe(`${answer.kindsWithin}/${answer.kindsTotal}`);
      expect(row.cells[3]).toBe(answer.missing.length === 0 ? '无' : answer.missing.map((kind) => FACILITY_KIND_LABELS[kind].zh).join('、'));
    }
    await hideLabels(page);
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 10);
    const communities = await api<FeatureCollection<MultiPolygon, { code: string; labelLngLat: [number, number] }>>('geo.adminUnits', { level: 'community', parent: SHENHE });
    const shot = decodeScreenshot(await page.screenshot({ timeout: 120_000 }));
    writeFileSync(join(ARTIFACTS, 'plan-workspace-completeness.png'), PNG.sync.write(shot.png));
    const under = blend(MUTED_FILL.light, BACKGROUND);
    let matches = 0;
    for (const answer of chosen) {
      const feature = communities.features.find((f) => f.properties.code === answer.code)!;
      const point = await projectToPage(page, feature.properties.labelLngLat);
      const expected = blend(completenessColor(answer.kindsWithin, answer.kindsTotal, answer.population)!, under);
      // The label point, or a pixel beside it (a boundary line may pass through it).
      const near = [0, 3, -3].some((d) => colorDistance(shot.pixel(point.x + d, point.y), expected) <= 14);
      if (near) matches++;
    }
    expect(matches).toBe(3);
    await page.close();
  });

  it('exports the map as a PNG with its legend and the table as a CSV that reads back', async () => {
    const { page, errors } = await open(`/plan?region=${SHENHE}`);
    const [png] = await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.locator('.plan-export-png').click()]);
    expect(png.suggestedFilename()).toBe(`plan-${SHENHE}-coverage.png`);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.length).toBeGreaterThan(0);
    const picture = PNG.sync.read(bytes);
    writeFileSync(join(ARTIFACTS, 'plan-workspace-export.png'), bytes);
    expect(picture.width).toBeGreaterThan(500);
    const shot = { png: picture, pixel: (x: number, y: number) => [0, 1, 2].map((c) => picture.data[(Math.round(y) * picture.width + Math.round(x)) * 4 + c]!) as [number, number, number] };
    // The legend box (top left, white) holds every rate class swatch.
    const legendBox = { x0: 0, y0: 0, x1: 420, y1: 320 };
    for (const swatch of RATE_PALETTES.light) expect(countNear(shot, blend(swatch, [255, 255, 255]), legendBox, 16)).toBeGreaterThan(40);

    await page.locator('.plan-table tbody tr[data-code]').first().waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.plan-export-csv').click()]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    const rates = await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: SHENHE, groupBy: 'street' });
    expect(lines[0]).toBe('代码,名称,常住人口,已覆盖,覆盖率 (%),未覆盖');
    expect(lines).toHaveLength(rates.length + 1);
    for (const line of lines.slice(1)) {
      const [code, name, residents, covered, rate, uncovered] = line.split(',');
      const row = rates.find((r) => r.code === code)!;
      expect([name, Number(residents), Number(covered), rate === '' ? null : Number(rate), Number(uncovered)]).toEqual([
        row.name,
        row.population,
        row.coveredPopulation,
        row.rate === null ? null : Math.round(row.rate * 1000) / 10,
        row.population - row.coveredPopulation,
      ]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds a unit by name and flies to it, keeping the question in the URL; English labels with ?lang=en', async () => {
    const { page, errors } = await open(`/plan?region=${SHENHE}&q=gaps&lang=en`);
    expect(await page.locator('.plan-questions button[aria-pressed="true"]').innerText()).toBe('Uncovered residents');
    expect(await page.locator('.plan-answer').innerText()).toContain('residents uncovered');
    const streets = await api<CoverageRateRow[]>('coverage.rates', { ...HEALTH_15, within: SHENHE, groupBy: 'street' });
    const street = streets[0]!;
    await page.locator('.plan-search input').fill(street.name);
    await page.locator('.plan-search input').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('region'), { timeout: 60_000 }).toBe(street.code);
    expect(new URL(page.url()).searchParams.get('q')).toBe('gaps');
    await waitForMapIdle(page, 300_000);
    await page.locator('.plan-questions button[data-question="completeness"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q'), { timeout: 60_000 }).toBe('completeness');
    // The page may still be drawing the last frame (seconds in software WebGL): wait for the new legend.
    await expect.poll(() => page.locator('.plan-legend').innerText(), { timeout: 120_000 }).toContain('Life-circle completeness');
    await waitForMapIdle(page, 300_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
