// Browser tests of the situation wall (/screen) in headless Chromium against a server in its own
// process (so it can be stopped and restarted) with the demo live feed running: every panel shows the
// API's numbers, the map and charts are drawn, the layout scales from 1920 × 1080 to 3840 × 2160 and a
// 7680 × 2160 wall without CSS scaling of the map, the scenes tour by themselves, the live stream
// recovers from a server restart without a reload, and axe-core finds no critical violation.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../server/paths';
import { SEQUENTIAL_PALETTES } from '../../client/src/layers/color-scales';
import { HOTSPOT_CLASS_COLORS } from '../../client/src/layers/hotspot-colors';
import { axeViolations, blend, colorDistance, decodeScreenshot, launchBrowser, newTrackedPage, type TrackedPage, waitForMapIdle } from '../support/browser';
import { spawnDatabaseServer, type ServerProcess } from '../support/server-process';
import { createTestClient } from '../support/trpc-client';
import { MS_PER_DAY, chinaMonthStart } from '../../server/domain/china-time';
import { HEALTH_CIRCLE, KPI_DEFINITIONS, kpiStatus } from '../../server/domain/kpis';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const DARK_BACKGROUND = [7, 16, 31];
/** One live event a second: enough to see the stream move, little enough to keep the numbers readable. */
const LIVE_RATE_PER_MINUTE = 60;
const REGION = '2101';

let dir: string;
let databasePath: string;
let server: ServerProcess;
let browser: Browser;
/** Pages of the running test: closed after it even when it fails, so a stuck page cannot slow the next. */
const openPages: Page[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-wall-'));
  databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: LIVE_RATE_PER_MINUTE });
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterEach(async () => {
  await Promise.all(openPages.splice(0).map((page) => page.close().catch(() => {})));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openWall(query: string, viewport = { width: 1920, height: 1080 }, waitIdle = true): Promise<TrackedPage> {
  const wall = await newTrackedPage(browser, viewport);
  const { page } = wall;
  openPages.push(page);
  // SwiftShader draws a 4K or 8K wall slowly: screenshots and locators get time.
  page.setDefaultTimeout(120_000);
  await page.goto(`${server.url}/screen?${query}`);
  if (waitIdle) {
    await waitForMapIdle(page, 150_000);
    // Panels fill in as their queries answer; the list waits for the first live news.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-kpi] .stat-value')].every((el) => !el.textContent!.startsWith('—')) &&
        document.querySelectorAll('.panel-chart canvas').length === 4 &&
        document.querySelectorAll('.event-list li').length > 0,
      undefined,
      { timeout: 60_000, polling: 500 },
    );
  }
  return wall;
}

/** The text of a KPI's value. */
const kpiText = (page: Page, kpi: string): Promise<string> => page.locator(`[data-kpi="${kpi}"] .stat-value`).innerText();
const parseInteger = (text: string): number => Number(text.replace(/[^\d]/g, ''));
const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Share of non-transparent pixels of each chart canvas. */
function chartInk(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('.panel-chart canvas')].map((canvas) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink += 1;
      return ink / (canvas.width * canvas.height);
    }),
  );
}

/**
 * Panels whose content does not fit (the wall hides overflow, so it would be cut off unseen) and figures
 * whose one-line label or value is wider than its box. The latest cases are cut by design.
 */
function layoutOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const panel of document.querySelectorAll<HTMLElement>('.screen-panel:not(.panel-latest)')) {
      if (panel.scrollHeight > panel.clientHeight + 1) problems.push(`${panel.className}: ${panel.scrollHeight} > ${panel.clientHeight}`);
    }
    for (const side of document.querySelectorAll<HTMLElement>('.screen-side')) {
      if (side.scrollHeight > side.clientHeight + 1) problems.push(`${side.className}: ${side.scrollHeight} > ${side.clientHeight}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('.stat-label, .stat-value, .stat-note span')) {
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.className} "${el.textContent}": ${el.scrollWidth} > ${el.clientWidth}`);
    }
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.panel-chart canvas')) {
      const fontSize = parseFloat(getComputedStyle(document.querySelector('.screen-wall')!).fontSize);
      if (canvas.clientHeight < 6 * fontSize - 1) problems.push(`chart ${canvas.closest('.screen-panel')!.className} only ${canvas.clientHeight} px high`);
    }
    return problems;
  });
}

/**
 * The trend chart's last two days read from its pixels: the day under way drawn as a hollow ring (its
 * inside empty) at the end of a dashed segment (ink, gap, ink … along it), where a whole day would be
 * solid. The plot's box follows trendChartOption's grid: 3 type sizes left, 1 right, 30 days in bands.
 */
function trendPartialPixels(page: Page, fontSize: number): Promise<{ ringFound: boolean; hollow: boolean; gaps: number; solidGaps: number }> {
  return page.evaluate((font) => {
    const canvas = document.querySelector<HTMLCanvasElement>('.panel-trend canvas')!;
    const ratio = canvas.width / canvas.clientWidth;
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    // The series colour, #4cc3ff, drawn opaque (the area beneath is 18 % opaque).
    const isLine = (x: number, y: number): boolean => {
      const i = (Math.round(y) * width + Math.round(x)) * 4;
      return data[i + 3]! > 150 && Math.abs(data[i]! - 76) + Math.abs(data[i + 1]! - 195) + Math.abs(data[i + 2]! - 255) < 90;
    };
    const band = (canvas.clientWidth - 4 * font) / 30;
    const xOf = (day: number): number => (3 * font + (day + 0.5) * band) * ratio;
    const linePixelsIn = (x: number): number[] => {
      const ys: number[] = [];
      for (let y = 0; y < height; y++) if (isLine(x, y)) ys.push(y);
      return ys;
    };
    // Today's ring: its top and bottom in its column; its centre between them.
    const todayX = xOf(29);
    const ring = linePixelsIn(todayX);
    if (ring.length === 0) return { ringFound: false, hollow: false, gaps: 0, solidGaps: 0 };
    const radius = (font * 0.9 * ratio) / 2;
    const top = ring[0]!;
    const centreY = top + radius;
    // Above the centre inside the ring: the segment comes in from below left, so nothing should be drawn.
    const hollow = !isLine(todayX, centreY - radius * 0.45) && !isLine(todayX + 1, centreY - radius * 0.45);
    // Yesterday's end of the segment: the solid line just left of yesterday's point.
    const yesterdayX = xOf(28);
    const before = linePixelsIn(yesterdayX - 2 * ratio);
    const yesterdayY = before.length > 0 ? before[Math.floor(before.length / 2)]! : height - 2 * font * ratio;
    /** Gaps (runs of samples with no ink) along the straight line between two points, ends left out. */
    const gapsAlong = (x0: number, y0: number, x1: number, y1: number): number => {
      let gaps = 0;
      let inGap = false;
      const samples = 200;
      for (let k = 10; k <= samples - 10; k++) {
        const t = k / samples;
        const x = x0 + (x1 - x0) * t;
        const y = y0 + (y1 - y0) * t;
        const ink = isLine(x, y) || isLine(x + 1, y) || isLine(x - 1, y);
        if (!ink && !inGap) gaps += 1;
        inGap = !ink;
      }
      return gaps;
    };
    const gaps = gapsAlong(yesterdayX, yesterdayY, todayX, centreY);
    // A control: the same walk along the whole days' line (between two earlier days) finds no gap.
    const middleOf = (x: number): number => {
      const ys = linePixelsIn(x);
      return ys.length > 0 ? ys[Math.floor(ys.length / 2)]! : height - 2 * font * ratio;
    };
    const [x0, x1] = [xOf(26) + 2 * ratio, xOf(27) - 2 * ratio];
    const solidGaps = gapsAlong(x0, middleOf(x0), x1, middleOf(x1));
    return { ringFound: true, hollow, gaps, solidGaps };
  }, fontSize);
}

/** The map's box in CSS pixels. */
function mapBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.evaluate(() => {
    const rect = document.querySelector('.atlas-map')!.getBoundingClientRect();
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  });
}

/** Share of the map's pixels within `tolerance` of any of `colors`. */
async function mapShareOf(page: Page, colors: readonly (readonly number[])[], tolerance = 10): Promise<number> {
  const shot = decodeScreenshot(await page.screenshot());
  const box = await mapBox(page);
  let hits = 0;
  let total = 0;
  for (let y = Math.ceil(box.y) + 2; y < box.y + box.height - 2; y += 3) {
    for (let x = Math.ceil(box.x) + 2; x < box.x + box.width - 2; x += 3) {
      total += 1;
      const pixel = shot.pixel(x, y);
      if (colors.some((color) => colorDistance(pixel, color) <= tolerance)) hits += 1;
    }
  }
  return hits / total;
}

/** Changes the URL the way a link would, without reloading (react-router follows popstate). */
async function navigateInPage(page: Page, query: string): Promise<void> {
  await page.evaluate((search) => {
    window.history.pushState(null, '', `/screen?${search}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, query);
}

describe('/screen wall', { timeout: 300_000 }, () => {
  it('shows every panel with the API\'s numbers, a drawn map and charts at 1920 × 1080, offline, with no scrollbar or cursor', async () => {
    const client = createTestClient(server.url);
    const summary = await client.dashboard.summary.query({ within: REGION });
    // The 15-minute health circle as the shared KPI definitions state it, urban and rural residents apart.
    const circle = { ...HEALTH_CIRCLE, kind: [...HEALTH_CIRCLE.kind], within: REGION, groupBy: 'county' as const };
    const urban = await client.coverage.rates.query({ ...circle, residents: 'urban' });
    const rural = await client.coverage.rates.query({ ...circle, residents: 'rural' });
    const now = Date.now();
    const monthStart = chinaMonthStart(now);
    const from = now - monthStart < 3 * MS_PER_DAY ? now - 30 * MS_PER_DAY : monthStart;
    const kpisBefore = await client.events.kpis.query({ within: REGION, from, to: now });

    const { page, hosts, scripts, errors } = await openWall(`region=${REGION}&tour=0`);
    writeFileSync(join(ARTIFACTS, 'screen-wall-1920x1080.png'), await page.screenshot());
    // Code-split: the wall loads no planner or briefing code.
    expect([...scripts].some((path) => path.includes('screen-mode'))).toBe(true);
    expect([...scripts].filter((path) => /plan-mode|brief-mode/.test(path))).toEqual([]);

    // Header: region, clock, freshness, demo flag.
    expect(await page.locator('.screen-title h1').innerText()).toContain('沈阳市');
    expect(await page.locator('.clock-time').innerText()).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(await page.locator('.clock-date').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日星期.$/);
    expect(await page.locator('.freshness').innerText()).toMatch(/^实时 · 数据截至 \d\d:\d\d:\d\d$/);
    expect(await page.locator('.demo-badge').innerText()).toBe('演示数据');

    // Governance figures equal the API's.
    expect(parseInteger(await kpiText(page, 'grids'))).toBe(summary.grids);
    expect(parseInteger(await kpiText(page, 'gridWorkers'))).toBe(summary.gridWorkers);
    // Labels, targets and red/amber/green from the shared KPI definitions, as the briefing shows them.
    const statusWords = { green: '达标', amber: '接近目标', red: '未达标' } as const;
    const expectShareKpi = async (testId: string, id: keyof typeof KPI_DEFINITIONS, value: number | null, targetText: string | null): Promise<void> => {
      const figure = page.locator(`[data-kpi="${testId}"]`);
      expect(await figure.locator('.stat-label').innerText()).toBe(KPI_DEFINITIONS[id].label.zh);
      expect(await kpiText(page, testId)).toBe(percent(value));
      const status = kpiStatus(KPI_DEFINITIONS[id], value);
      expect(await figure.getAttribute('data-status')).toBe(status);
      expect(await figure.getAttribute('class')).toContain(status ? { green: 'stat-good', amber: 'stat-warn', red: 'stat-bad' }[status] : 'stat');
      const note = await figure.locator('.stat-note').innerText();
      if (targetText) expect(note).toContain(targetText);
      if (status) expect(note).toContain(statusWords[status]);
    };
    await expectShareKpi('workstationRate', 'workstationCoverage', summary.workstationRate, '基线 82%');
    await expectShareKpi('healthStandardised', 'healthStandardised', summary.healthStandardisedRate, '目标 90%');
    const share = (rows: typeof urban): number | null => {
      const residents = rows.reduce((sum, row) => sum + row.population, 0);
      return residents > 0 ? rows.reduce((sum, row) => sum + row.coveredPopulation, 0) / residents : null;
    };
    const urbanRate = share(urban);
    const ruralRate = share(rural);
    // Shenyang has both, and its villages are far less covered than its towns.
    expect(urbanRate).toBeGreaterThan(ruralRate!);
    await expectShareKpi('healthCircleUrban', 'healthCircleUrban', urbanRate, null);
    await expectShareKpi('healthCircleRural', 'healthCircleRural', ruralRate, null);
    // No target is defined for the circle, so no colour claims one.
    expect(await page.locator('[data-kpi="healthCircleUrban"]').getAttribute('data-status')).toBeNull();

    // The trend: 30 China-time days, today drawn as partial and labelled with the time it runs to.
    expect(await page.locator('.panel-trend .echart').getAttribute('aria-label')).toMatch(/^近30天受理趋势 · 今日（截至\d\d:\d\d）$/);
    const trendPixels = await trendPartialPixels(page, 13);
    expect(trendPixels).toEqual({ ringFound: true, hollow: true, gaps: expect.any(Number) as number, solidGaps: 0 });
    expect(trendPixels.gaps).toBeGreaterThanOrEqual(1);

    // Dispute KPIs: at least what the API said before the page opened (the live feed only adds cases).
    const reported = parseInteger(await kpiText(page, 'reported'));
    expect(reported).toBeGreaterThanOrEqual(kpisBefore.current.reported);
    expect(reported).toBeLessThan(kpisBefore.current.reported + 600);
    expect(parseInteger(await kpiText(page, 'resolved'))).toBeGreaterThanOrEqual(kpisBefore.current.closed);
    expect(await kpiText(page, 'inGridRate')).toMatch(/^\d{1,3}\.\d%$/);
    expect(await kpiText(page, 'overdue')).toMatch(/^[\d,]+件$/);

    // Charts have ink; the map shows the choropleth (Shenyang's counties in palette colours).
    const ink = await chartInk(page);
    expect(ink).toHaveLength(4);
    for (const share of ink) expect(share).toBeGreaterThan(0.01);
    const palette = SEQUENTIAL_PALETTES.dark.map((color) => blend(color, DARK_BACKGROUND));
    expect(await mapShareOf(page, palette)).toBeGreaterThan(0.1);

    // The latest cases, parties masked.
    const parties = await page.locator('.event-parties').allInnerTexts();
    expect(parties.length).toBeGreaterThan(0);
    for (const text of parties) expect(text).toMatch(/^(\S\*\*)(、\S\*\*)*$/);

    // Offline, quiet, nothing to scroll, no cursor until the mouse moves.
    expect([...hosts]).toEqual([new URL(server.url).host]);
    expect(errors).toEqual([]);
    const overflow = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth - window.innerWidth,
      height: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ width: 0, height: 0 });
    expect(await layoutOverflow(page)).toEqual([]);
    expect(await page.locator('.screen-wall').getAttribute('data-cursor')).toBe('hidden');
    await page.mouse.move(500, 500);
    expect(await page.locator('.screen-wall').getAttribute('data-cursor')).toBeNull();

    // Accessibility: axe-core finds no critical violation.
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('scales the same layout to 3840 × 2160 and renders the map at true pixels', async () => {
    const { page, errors } = await openWall(`region=${REGION}&tour=0`, { width: 3840, height: 2160 });
    writeFileSync(join(ARTIFACTS, 'screen-wall-3840x2160.png'), await page.screenshot());
    expect(errors).toEqual([]);
    const layout = await page.evaluate(() => {
      const wall = document.querySelector('.screen-wall')!;
      const map = document.querySelector('.atlas-map')!;
      const canvas = map.querySelector('canvas')!;
      const transforms: string[] = [];
      for (let el: Element | null = canvas; el; el = el.parentElement) {
        const transform = getComputedStyle(el).transform;
        if (transform !== 'none') transforms.push(`${el.className}: ${transform}`);
      }
      return {
        rootFont: parseFloat(getComputedStyle(wall).fontSize),
        left: document.querySelector('.screen-left')!.getBoundingClientRect().width,
        statFont: parseFloat(getComputedStyle(document.querySelector('.stat-value')!).fontSize),
        mapWidth: map.clientWidth,
        mapHeight: map.clientHeight,
        canvasWidth: canvas.width,
        canvasHeight: canvas.height,
        transforms,
      };
    });
    expect(layout.rootFont).toBe(32);
    expect(layout.left).toBeCloseTo(25 * 32, 0);
    // Figures readable from 5 m: 64 px numerals on a 4K wall.
    expect(layout.statFont).toBeGreaterThanOrEqual(60);
    expect(layout.transforms).toEqual([]);
    expect(layout.canvasWidth).toBe(layout.mapWidth);
    expect(layout.canvasHeight).toBe(layout.mapHeight);
    for (const share of await chartInk(page)) expect(share).toBeGreaterThan(0.01);
    // The urban and rural health-circle figures fit, as every panel does, at twice the size.
    expect(await layoutOverflow(page)).toEqual([]);
    expect(await page.locator('[data-kpi="healthCircleRural"] .stat-value').innerText()).toMatch(/^\d{1,3}\.\d%$/);
    await page.close();
  });

  it('gives a 7680 × 2160 wall\'s extra width to the map, within the GPU\'s canvas limit', async () => {
    const { page } = await openWall(`region=${REGION}&tour=0&scene=live`, { width: 7680, height: 2160 }, false);
    await page.waitForSelector('.atlas-map canvas', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('.atlas-map canvas')!.width > 300, undefined, { timeout: 120_000 });
    const layout = await page.evaluate(() => {
      const map = document.querySelector('.atlas-map')!;
      const canvas = map.querySelector('canvas')!;
      const gl = document.createElement('canvas').getContext('webgl2')!;
      return {
        rootFont: parseFloat(getComputedStyle(document.querySelector('.screen-wall')!).fontSize),
        mapWidth: map.clientWidth,
        canvasWidth: canvas.width,
        maxTexture: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
        scrollWidth: document.documentElement.scrollWidth,
      };
    });
    expect(layout.rootFont).toBe(32);
    expect(layout.mapWidth).toBeGreaterThan(5500);
    expect(layout.scrollWidth).toBe(7680);
    expect(layout.canvasWidth).toBeLessThanOrEqual(Math.min(8192, layout.maxTexture));
    expect(layout.canvasWidth).toBe(Math.min(layout.mapWidth, layout.maxTexture, 8192));
    await page.close();
  });

  it('draws each scene: hot spot cells, boundary lines by risk, coverage by unit, live events; and tours by itself', async () => {
    const { page, errors } = await openWall(`region=${REGION}&scene=hotspots`);
    writeFileSync(join(ARTIFACTS, 'screen-wall-hotspots.png'), await page.screenshot());
    expect(await page.locator('.hotspot-legend figcaption').first().innerText()).toContain('Gi*');
    // Measured against the residents by default, and the legend says so.
    expect(await page.locator('.legend-stack').getAttribute('data-baseline')).toBe('residents');
    expect(await page.locator('.hotspot-basis-text').innerText()).toContain('按常住人口基线');
    const hot = [3, 2, 1].map((cls) => blend(HOTSPOT_CLASS_COLORS.dark[cls]!, [30, 41, 59]));
    const hotAgainstResidents = await mapShareOf(page, hot, 24);
    expect(hotAgainstResidents).toBeGreaterThan(0.002);
    const countsAgainstResidents = await page.locator('.hotspot-legend .legend-count').allInnerTexts();

    // Raw counts one click away: the legend says which, the URL keeps it, the map redraws.
    await page.locator('.hotspot-basis-switch').click();
    await page.waitForSelector('.legend-stack[data-baseline="none"]', { timeout: 120_000 });
    expect(new URL(page.url()).searchParams.get('baseline')).toBe('none');
    expect(await page.locator('.hotspot-basis-text').innerText()).toContain('按原始件数');
    expect(await page.locator('.hotspot-basis-switch').innerText()).toBe('改按人口基线');
    await waitForMapIdle(page, 120_000);
    await expect.poll(() => mapShareOf(page, hot, 24), { timeout: 60_000 }).toBeGreaterThan(0.002);
    writeFileSync(join(ARTIFACTS, 'screen-wall-hotspots-counts.png'), await page.screenshot());
    expect(await page.locator('.hotspot-legend .legend-count').allInnerTexts()).not.toEqual(countsAgainstResidents);
    // And back.
    await page.locator('.hotspot-basis-switch').click();
    await page.waitForSelector('.legend-stack[data-baseline="residents"]', { timeout: 120_000 });
    expect(new URL(page.url()).searchParams.has('baseline')).toBe(false);

    await navigateInPage(page, `region=${REGION}&scene=boundary`);
    await page.waitForSelector('.screen-map[data-scene="boundary"]');
    await waitForMapIdle(page, 120_000);
    writeFileSync(join(ARTIFACTS, 'screen-wall-boundary.png'), await page.screenshot());
    expect(await page.locator('.screen-map .legend figcaption').innerText()).toContain('边界线风险');

    await navigateInPage(page, `region=${REGION}&scene=coverage`);
    await page.waitForSelector('.screen-map[data-scene="coverage"]');
    await waitForMapIdle(page, 120_000);
    writeFileSync(join(ARTIFACTS, 'screen-wall-coverage.png'), await page.screenshot());
    // The urban residents' circle, named as the KPI is.
    expect(await page.locator('.screen-map .legend figcaption').innerText()).toBe(KPI_DEFINITIONS.healthCircleUrban.label.zh);
    // Uncovered residents: a magenta dot per grid over the choropleth.
    expect(await page.locator('.screen-map .legend-extra').innerText()).toContain('未覆盖居民');
    const gapOver = SEQUENTIAL_PALETTES.dark.map((color) => blend([244, 63, 170, 170], blend(color, DARK_BACKGROUND)));
    expect(await mapShareOf(page, gapOver, 16)).toBeGreaterThan(0.0003);
    const palette = SEQUENTIAL_PALETTES.dark.map((color) => blend(color, DARK_BACKGROUND));
    expect(await mapShareOf(page, palette)).toBeGreaterThan(0.1);

    // The tour: every scene in order, by itself.
    await navigateInPage(page, `region=${REGION}&tour=5`);
    // The tour starts again from the overview (the page showed the coverage scene until now).
    await page.waitForSelector('.screen-wall[data-scene="overview"]');
    const seen: string[] = ['overview'];
    const deadline = Date.now() + 40_000;
    while (seen.length < 6 && Date.now() < deadline) {
      const scene = await page.locator('.screen-wall').getAttribute('data-scene');
      if (scene && scene !== seen[seen.length - 1]) seen.push(scene);
      await page.waitForTimeout(250);
    }
    expect(seen).toEqual(['overview', 'hotspots', 'boundary', 'coverage', 'live', 'overview']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says "reconnecting · data as of" when the server stops and recovers by itself when it restarts, without a reload', async () => {
    const { page } = await openWall(`region=${REGION}&tour=0&scene=live`);
    await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 42));
    const received = async (): Promise<number> => Number(await page.locator('.screen-wall').getAttribute('data-live-received'));
    await page.waitForFunction(() => Number(document.querySelector('.screen-wall')!.getAttribute('data-live-received')) > 0, undefined, { timeout: 30_000 });

    const port = server.port;
    await server.stop();
    await page.waitForFunction(() => document.querySelector('.freshness')!.textContent!.startsWith('重连中'), undefined, { timeout: 45_000 });
    const freshness = await page.locator('.freshness').innerText();
    expect(freshness).toMatch(/^重连中 · 数据截至 \d\d:\d\d:\d\d$/);
    writeFileSync(join(ARTIFACTS, 'screen-wall-reconnecting.png'), await page.screenshot());
    const before = await received();

    server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: LIVE_RATE_PER_MINUTE, port });
    await page.waitForFunction(() => document.querySelector('.freshness')!.textContent!.startsWith('实时'), undefined, { timeout: 90_000 });
    // New events arrive over the resumed stream, on the same page.
    await page.waitForFunction((count) => Number(document.querySelector('.screen-wall')!.getAttribute('data-live-received')) > count, before, {
      timeout: 60_000,
    });
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)).toBe(42);
    await page.close();
  });

  it('follows theme and lang in the URL', async () => {
    const { page } = await openWall(`region=${REGION}&tour=0&theme=light&lang=en`, { width: 1920, height: 1080 }, false);
    await page.waitForSelector('.screen-title h1', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('.screen-title h1')!.textContent!.includes('沈阳市'), undefined, { timeout: 120_000 });
    expect(await page.locator('.screen-title h1').innerText()).toBe('沈阳市 · Pingan Atlas');
    expect(await page.locator('.scene-steps li').first().innerText()).toBe('Overview');
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.screen-wall')!).backgroundColor);
    expect(background).toBe('rgb(245, 247, 250)');
    await page.close();
  });
});
