// Browser test of what-if editing on /plan: from "社区卫生服务站, 15 分钟, 沈河区" a planner adds a
// station, drags it, closes an existing one and draws a footbridge across a barrier; the delta shown
// equals plan.evaluate of the same edits, and the station is drawn where it was dropped. The edits are
// saved as scenario A, scenario B is made of five accepted proposals, A and B are compared (the
// table's totals equal scenario.compare), and reloading ?scenario=A restores A's edits and delta.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FeatureCollection, LineString } from 'geojson';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../server/paths';
import type { RunningServer } from '../../server/index';
import { Accounts } from '../../server/auth/accounts';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { colorDistance, decodeScreenshot, launchBrowser, newTrackedPage, projectToPage, startTestServer, waitForMapIdle } from '../support/browser';
import { createTestClient } from '../support/trpc-client';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const ACCOUNTS_PATH = join(ARTIFACTS, 'accounts-whatif.sqlite');
const SHENHE = '210103';
const PLANNER = { username: 'whatif-planner', password: 'whatif-planner-2026' };
/** A grid worker of a community of 沈河区滨河街道: no planning. */
const GRID_WORKER = { username: 'whatif-grid-worker', password: 'whatif-grid-2026' };
const VIEWPORT = { width: 1600, height: 1000 };
const PLAN_URL = `/plan?region=${SHENHE}&kind=health_station&minutes=15`;
/** The added station's fill (WHATIF_COLORS.site). */
const SITE_BLUE: [number, number, number] = [0, 90, 181];

let server: RunningServer;
let browser: Browser;
let api: ReturnType<typeof createTestClient>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${ACCOUNTS_PATH}${suffix}`, { force: true });
  const accounts = new Accounts(new SqliteAccountStore(ACCOUNTS_PATH), { anonymous: 'viewer', deploymentCode: '21' });
  await accounts.addUser('test', { ...PLANNER, role: 'planner', jurisdiction: '2101' });
  // The grid worker's community: the first of 滨河街道 in the test database.
  const db = new Database(inject('databasePath'), { readonly: true });
  const community = db.prepare("SELECT code FROM admin_unit WHERE code LIKE '210103005%' AND length(code) = 12 ORDER BY code LIMIT 1").pluck().get() as string;
  db.close();
  await accounts.addUser('test', { ...GRID_WORKER, role: 'grid-worker', jurisdiction: community });
  const { token } = accounts.addToken('test', { role: 'planner', jurisdiction: '2101', screenOnly: false });
  accounts.store.close();
  server = await startTestServer({ accountsPath: ACCOUNTS_PATH, anonymous: 'viewer' });
  api = createTestClient(server.url, { authorization: `Bearer ${token}` });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page, user = PLANNER): Promise<void> {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(PLAN_URL)}`);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === '/plan');
}

/** Waits for the what-if delta to answer edit number `count` (the edit counter, then no request pending). */
async function waitForDelta(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('.whatif-count')?.textContent?.includes(` ${n}`) ?? false, count, { timeout: 60_000 });
  await page.waitForSelector('.whatif-delta[data-state="ready"]', { state: 'attached', timeout: 120_000 });
}

async function deltaShown(page: Page): Promise<Record<string, string>> {
  return page.locator('.whatif-delta dd').evaluateAll((dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-value')!, dd.textContent!.trim()])));
}

const signed = (value: number): string => (Math.round(value) === 0 ? '0' : `${value > 0 ? '+' : '−'}${Math.abs(Math.round(value)).toLocaleString('zh-CN')}`);
const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** Whether (x, y) lies on the map and clear of the side column, the header, the breadcrumbs and the legend. */
async function inView(page: Page, x: number, y: number): Promise<boolean> {
  const side = await page.locator('.plan-side').boundingBox();
  if (side && x > side.x - 16) return false;
  for (const box of await page.locator('.plan-legend, .breadcrumbs').evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
    if (x > box.left - 16 && x < box.right + 16 && y > box.top - 16 && y < box.bottom + 16) return false;
  }
  return x > 40 && y > 120 && x < VIEWPORT.width - 40 && y < VIEWPORT.height - 40;
}

/** Whether any pixel within `radius` of (x, y) has the colour. */
function colourNear(shot: ReturnType<typeof decodeScreenshot>, x: number, y: number, colour: readonly number[], radius = 6): boolean {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) if (colorDistance(shot.pixel(Math.round(x + dx), Math.round(y + dy)), colour) <= 14) return true;
  }
  return false;
}

describe('/plan what-if editing and scenarios', { timeout: 600_000 }, () => {
  it('adds, drags, closes and links with the API\'s delta, saves A, makes B from proposals, compares them and reopens A from the URL', async () => {
    const { page, errors } = await newTrackedPage(browser, VIEWPORT);
    page.on('dialog', (dialog) => void dialog.accept());
    await logIn(page);
    await waitForMapIdle(page, 200_000);
    const panel = page.locator('.whatif-panel');
    await expect.poll(() => panel.locator('button[data-tool="add"]').isEnabled()).toBe(true);

    // 1. Add a station at an uncovered place: the first proposal of the optimisation for 沈河区.
    const optimized = await api.plan.optimize.query({ kind: 'health_station', maxMinutes: 15, within: SHENHE, objective: 'mclp', candidates: 'grid-centroids', newSites: 5 });
    const firstSite = optimized.proposals[0]!.lngLat;
    await panel.locator('button[data-tool="add"]').click();
    const at = await projectToPage(page, firstSite);
    expect(await inView(page, at.x, at.y), `first proposal at ${at.x},${at.y}`).toBe(true);
    await page.mouse.click(at.x, at.y);
    await waitForDelta(page, 1);

    // 2. Drag it 60 px right, 40 px down: the map stays put, the station moves.
    await waitForMapIdle(page, 120_000);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 30, at.y + 20, { steps: 4 });
    await page.mouse.move(at.x + 60, at.y + 40, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('.whatif-delta[data-state="ready"]', { state: 'attached', timeout: 120_000 });
    // The map did not pan: the first site still projects where it was.
    const again = await projectToPage(page, firstSite);
    expect(Math.hypot(again.x - at.x, again.y - at.y)).toBeLessThan(1);

    // 3. Close an existing station in view.
    await panel.locator('button[data-tool="close"]').click();
    await page.waitForSelector('.whatif-panel[data-tool-ready="true"]', { state: 'attached', timeout: 60_000 });
    await waitForMapIdle(page, 120_000);
    const facilities = await api.geo.facilities.query({ kinds: ['health_station'], within: SHENHE });
    let closed: { id: number; x: number; y: number } | null = null;
    for (const feature of facilities.features) {
      const p = await projectToPage(page, feature.geometry.coordinates as [number, number]);
      if ((await inView(page, p.x, p.y)) && Math.hypot(p.x - at.x - 60, p.y - at.y - 40) > 40) {
        closed = { id: feature.properties.id, ...p };
        break;
      }
    }
    expect(closed, 'a health station in view').not.toBeNull();
    await page.mouse.click(closed!.x, closed!.y);
    await waitForDelta(page, 2);

    // 4. A footbridge across a barrier (river, rail or wall) in view: 2 × 120 m across its middle.
    const bounds = await page.evaluate(() => {
      const map = (document.querySelector('.atlas-map') as HTMLDivElement & { maplibreMap: { getBounds: () => { toArray: () => number[][] } } }).maplibreMap;
      return map.getBounds().toArray();
    });
    const roads = (await api.geo.roads.query({ bbox: [bounds[0]![0]!, bounds[0]![1]!, bounds[1]![0]!, bounds[1]![1]!] })) as FeatureCollection<LineString, { layer: string }>;
    let bridge: [[number, number], [number, number]] | null = null;
    for (const feature of roads.features.filter((f) => f.properties.layer === 'barrier')) {
      const line = feature.geometry.coordinates;
      for (let i = 1; i < line.length && !bridge; i++) {
        const [a, b] = [line[i - 1]!, line[i]!];
        const mid: [number, number] = [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2];
        const p = await projectToPage(page, mid);
        if (!(await inView(page, p.x, p.y))) continue;
        // Perpendicular to the barrier's segment, 120 m each side (metres → degrees at this latitude).
        const dx = (b[0]! - a[0]!) * Math.cos((mid[1] * Math.PI) / 180);
        const dy = b[1]! - a[1]!;
        const norm = Math.hypot(dx, dy);
        if (!(norm > 0)) continue;
        const off = 120 / 111_195;
        const nx = (-dy / norm) * off / Math.cos((mid[1] * Math.PI) / 180);
        const ny = (dx / norm) * off;
        const ends: [[number, number], [number, number]] = [
          [mid[0] - nx, mid[1] - ny],
          [mid[0] + nx, mid[1] + ny],
        ];
        const [p0, p1] = [await projectToPage(page, ends[0]), await projectToPage(page, ends[1])];
        if ((await inView(page, p0.x, p0.y)) && (await inView(page, p1.x, p1.y))) bridge = ends;
      }
      if (bridge) break;
    }
    expect(bridge, 'a barrier in view').not.toBeNull();
    await panel.locator('button[data-tool="link"]').click();
    const [from, to] = [await projectToPage(page, bridge![0]), await projectToPage(page, bridge![1])];
    await page.mouse.click(from.x, from.y);
    await expect.poll(() => panel.locator('.whatif-hint').textContent()).toBe('点击通道终点');
    await page.mouse.click(to.x, to.y);
    await waitForDelta(page, 3);
    await expect.poll(() => panel.locator('.whatif-edits li[data-edit="link"]').count()).toBe(1);
    await panel.locator('button[data-tool="none"]').click();

    // The station is drawn where it was dropped.
    await waitForMapIdle(page, 120_000);
    const shot = decodeScreenshot(await page.screenshot());
    writeFileSync(join(ARTIFACTS, 'plan-whatif-shenhe.png'), await page.screenshot());
    expect(colourNear(shot, at.x + 60, at.y + 40, SITE_BLUE), 'the dragged station').toBe(true);
    // The closed station is marked ✕ (WHATIF_COLORS.closed) where it stands.
    expect(colourNear(shot, closed!.x, closed!.y, [40, 40, 40], 10), 'the closed station\'s ✕').toBe(true);

    // 5. Save as scenario A: the URL names it; its edits are what was drawn; the delta equals plan.evaluate's.
    await panel.getByLabel('方案名称').fill('方案A 新站+关停+天桥');
    await panel.getByRole('button', { name: '保存方案', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.has('scenario'), { timeout: 30_000 });
    const idA = Number(new URL(page.url()).searchParams.get('scenario'));
    const scenarioA = await api.scenario.get.query({ id: idA });
    expect(scenarioA.edits.addFacilities).toHaveLength(1);
    expect(scenarioA.edits.removeFacilities).toEqual([closed!.id]);
    expect(scenarioA.edits.addLinks).toHaveLength(1);
    // Dropped 60 px right and 40 px down: east and south of the first place.
    expect(scenarioA.edits.addFacilities[0]!.lngLat[0]).toBeGreaterThan(firstSite[0]);
    expect(scenarioA.edits.addFacilities[0]!.lngLat[1]).toBeLessThan(firstSite[1]);
    const evaluateA = await api.plan.evaluate.query({
      kind: 'health_station',
      maxMinutes: 15,
      within: SHENHE,
      add: scenarioA.edits.addFacilities.map((site) => site.lngLat),
      remove: scenarioA.edits.removeFacilities,
      addLinks: scenarioA.edits.addLinks,
      removeLinks: scenarioA.edits.removeLinks,
    });
    const shownA = await deltaShown(page);
    expect(shownA['newly-covered']).toBe(signed(evaluateA.newlyCovered));
    expect(shownA['newly-uncovered']).toBe(signed(-evaluateA.newlyUncovered));
    expect(shownA.rate).toContain(`${percent(evaluateA.before.coverageRate)} → ${percent(evaluateA.after.coverageRate)}`);
    expect(evaluateA.newlyCovered).toBeGreaterThan(0);

    // 6. B: the five proposals accepted into fresh edits, saved as a new scenario.
    await panel.getByRole('button', { name: '清空' }).click();
    await page.locator('.plan-siting > summary').click();
    const siting = page.locator('.siting-panel');
    await siting.getByRole('button', { name: '计算方案' }).click();
    await page.waitForSelector('.siting-marginal', { timeout: 200_000 });
    await siting.getByRole('button', { name: '全部采纳到方案' }).click();
    await waitForDelta(page, 5);
    expect(await panel.locator('.whatif-edits li[data-edit="add"]').count()).toBe(5);
    await panel.getByLabel('方案名称').fill('方案B 采纳五处');
    await panel.getByRole('button', { name: '另存为新方案' }).click();
    await page.waitForURL((url) => url.searchParams.get('scenario') !== String(idA), { timeout: 30_000 });
    const idB = Number(new URL(page.url()).searchParams.get('scenario'));
    const scenarioB = await api.scenario.get.query({ id: idB });
    expect(scenarioB.edits.addFacilities.map((site) => site.source)).toEqual(['proposal', 'proposal', 'proposal', 'proposal', 'proposal']);
    expect(scenarioB.edits.addFacilities.map((site) => site.lngLat)).toEqual(optimized.proposals.map((p) => p.lngLat.map((v) => Math.round(v * 1e6) / 1e6)));
    await page.locator('.plan-siting > summary').click();

    // 7. Compare A and B: the table's totals equal scenario.compare's.
    const pick = panel.locator('.whatif-compare-pick');
    await pick.getByLabel('方案 A').selectOption(String(idA));
    await pick.getByLabel('方案 B').selectOption(String(idB));
    await pick.getByRole('button', { name: '对比两个方案' }).click();
    await page.waitForURL((url) => url.searchParams.get('compare') === `${idA},${idB}`);
    await page.waitForSelector('.whatif-compare tfoot tr[data-row="total"]', { timeout: 200_000 });
    const compared = await api.scenario.compare.query({ a: idA, b: idB, groupBy: 'street' });
    const totals = await page.locator('.whatif-compare tfoot td').evaluateAll((tds) => Object.fromEntries(tds.map((td) => [td.getAttribute('data-col')!, td.textContent!.trim()])));
    expect(totals.population).toBe(compared.population.toLocaleString('zh-CN'));
    expect(totals.coveredA).toContain(compared.a.coveredPopulation.toLocaleString('zh-CN'));
    expect(totals.coveredB).toContain(compared.b.coveredPopulation.toLocaleString('zh-CN'));
    expect(await page.locator('.whatif-compare tbody tr').count()).toBe(compared.units.length);
    await waitForMapIdle(page, 200_000);
    writeFileSync(join(ARTIFACTS, 'plan-whatif-compare.png'), await page.screenshot());
    // Sorting by name reorders the rows; the sum of the B − A column equals the totals' difference.
    const deltas = await page.locator('.whatif-compare tbody td:nth-child(5)').allTextContents();
    const sum = deltas.reduce((total, text) => total + Number(text.replace(/[+,]/g, '').replace('−', '-')), 0);
    expect(sum).toBe(compared.b.coveredPopulation - compared.a.coveredPopulation);
    await page.locator('.whatif-compare thead button').first().click();
    const names = await page.locator('.whatif-compare tbody th').allTextContents();
    expect(names).toEqual([...names].sort(new Intl.Collator('zh-CN').compare));

    // 8. Reload ?scenario=A: its edits and delta come back.
    await page.goto(`${server.url}${PLAN_URL}&scenario=${idA}`);
    await waitForMapIdle(page, 200_000);
    await waitForDelta(page, 3);
    expect(await deltaShown(page)).toEqual(shownA);
    expect(await panel.locator('[data-open-scenario]').getAttribute('data-open-scenario')).toBe(String(idA));

    expect(errors).toEqual([]);
    await page.close();
  });

  it('cuts a road segment at street zoom with the API\'s delta and marks it with a red ✕; the map does not drill down', async () => {
    const { page, errors } = await newTrackedPage(browser, VIEWPORT);
    await logIn(page);
    await waitForMapIdle(page, 200_000);
    const facilities = await api.geo.facilities.query({ kinds: ['health_station'], within: SHENHE });
    const centre = facilities.features[0]!.geometry.coordinates as [number, number];
    await page.evaluate((c) => {
      const map = (document.querySelector('.atlas-map') as HTMLDivElement & { maplibreMap: { jumpTo: (o: object) => void } }).maplibreMap;
      map.jumpTo({ center: c, zoom: 15.5 });
    }, centre);
    const panel = page.locator('.whatif-panel');
    await panel.locator('button[data-tool="cut"]').click();
    await page.waitForSelector('.whatif-panel[data-tool-ready="true"]', { state: 'attached', timeout: 60_000 });
    await waitForMapIdle(page, 120_000);

    // A road segment in view, clicked at the middle of its longest piece.
    const bounds = await page.evaluate(() => {
      const map = (document.querySelector('.atlas-map') as HTMLDivElement & { maplibreMap: { getBounds: () => { toArray: () => number[][] } } }).maplibreMap;
      return map.getBounds().toArray();
    });
    const roads = (await api.geo.roads.query({ bbox: [bounds[0]![0]!, bounds[0]![1]!, bounds[1]![0]!, bounds[1]![1]!] })) as FeatureCollection<LineString, { layer: string; id: number }>;
    let target: { x: number; y: number } | null = null;
    for (const feature of roads.features.filter((f) => f.properties.layer === 'road')) {
      const line = feature.geometry.coordinates;
      let best = 0;
      let mid: [number, number] | null = null;
      for (let i = 1; i < line.length; i++) {
        const length = Math.hypot(line[i]![0]! - line[i - 1]![0]!, line[i]![1]! - line[i - 1]![1]!);
        if (length > best) [best, mid] = [length, [(line[i]![0]! + line[i - 1]![0]!) / 2, (line[i]![1]! + line[i - 1]![1]!) / 2]];
      }
      if (!mid) continue;
      const p = await projectToPage(page, mid);
      if (await inView(page, p.x, p.y)) {
        target = p;
        break;
      }
    }
    expect(target, 'a road segment in view').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await waitForDelta(page, 1);
    const cutText = await panel.locator('.whatif-edits li[data-edit="cut"]').textContent();
    const edgeId = Number(/#(\d+)/.exec(cutText ?? '')![1]);
    expect(roads.features.some((f) => f.properties.id === edgeId && f.properties.layer === 'road')).toBe(true);
    const expected = await api.plan.evaluate.query({ kind: 'health_station', maxMinutes: 15, within: SHENHE, removeLinks: [edgeId] });
    const shown = await deltaShown(page);
    expect(shown['newly-covered']).toBe(signed(expected.newlyCovered));
    expect(shown['newly-uncovered']).toBe(signed(-expected.newlyUncovered));
    expect(shown.rate).toContain(`${percent(expected.before.coverageRate)} → ${percent(expected.after.coverageRate)}`);
    expect(new URL(page.url()).searchParams.get('region')).toBe(SHENHE);

    await waitForMapIdle(page, 120_000);
    const shot = decodeScreenshot(await page.screenshot());
    expect(colourNear(shot, target!.x, target!.y, [213, 0, 0], 14), 'the red ✕ of the cut').toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the tools locked, saying why, to a grid worker (no planning)', async () => {
    const { page, errors } = await newTrackedPage(browser, VIEWPORT);
    await logIn(page, GRID_WORKER);
    const panel = page.locator('.whatif-panel');
    await expect.poll(() => panel.locator('.whatif-locked').textContent(), { timeout: 120_000 }).toBe('假设分析仅对规划人员和综治工作人员开放。');
    for (const tool of ['add', 'move', 'close', 'link', 'cut']) expect(await panel.locator(`button[data-tool="${tool}"]`).isDisabled()).toBe(true);
    expect(await panel.locator('.whatif-scenarios').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
