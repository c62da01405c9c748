// Browser test of the command desk (/desk) at 1366 × 768 on a writable copy of the test database, with
// officers of 沈河区滨河街道, of the street across one of its boundary lines and of 沈阳市 logged in (session
// cookies). The flow: a grid worker reports a case on the phone form (/report at 390 × 844: type,
// a party, summary, the place tapped on the map) at a place within 500 m of a street boundary line while
// two desks of the street and one of the street across are open; the case appears on all three within
// seconds (events.live), one officer dispatches it jointly to the first suggested handler
// (desk.suggestHandlers, the button key `a` names) and the others — on both sides of the line — see it change column, the
// counts following; the open case's map draws the case point in its severity colour. Further cases are
// reported through the API: a boundary case goes jointly to a handler of its own side; a stale action (the case changed behind the page's back) shows the conflict message and its
// reload keeps the typed note; a city's queue pages by cursor; parties are masked for a viewer and shown
// to an officer; the keyboard moves, opens and shows its help; ?lang=en speaks English; axe-core finds
// no critical violation.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DISPUTE_STATUS_LABELS, type DisputeStatus } from '../../server/domain/dispute-workflow';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import { SEVERITY_COLORS } from '../../client/src/layers/live-event-layer';
import { axeViolations, colorDistance, decodeScreenshot, launchBrowser, projectToPage, startWritableTestServer, type WritableTestServer } from '../support/browser';
import { tokenHeaders } from '../support/accounts';
import { LoggedInPages, type LoggedInPage } from '../support/logged-in-pages';
import { fillReport, PHONE_CONTEXT, waitForReportForm } from '../support/report-form';
import { createTestClient } from '../support/trpc-client';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
/** 沈河区滨河街道 in the test database. */
const BINHE = '210103005';
const SHENYANG = '2101';
const PASSWORD = 'desk-test-password-2026';

let served: WritableTestServer;
let server: RunningServer;
let browser: Browser;
/** An officer of the street, through the API (reports and changes behind the pages' backs). */
let api: ReturnType<typeof createTestClient>;
/** A place inside the street within 500 m of a street boundary line: an existing boundary case's. */
let placeInStreet: [number, number];
/** The street across that boundary line (the other side of cases reported there). */
let otherSideCode: string;
/** Officers' pages, closed after each test. */
let pages: LoggedInPages;

beforeAll(async () => {
  served = await startWritableTestServer('atlas-desk-e2e-');
  server = served.server;
  api = createTestClient(server.url, tokenHeaders(server.accounts, 'street-officer', BINHE));
  // A case placed in the street itself (cases across a boundary line are listed on both sides), by a
  // boundary line: its reports are visible across it and offer joint handling. 滨河街道 has many in the test
  // data (most of its cases lie within 500 m of a line to another street of 沈河区 or of 大东区), so no
  // search wider (沈河区) is needed.
  const listed = await api.events.list.query({ within: BINHE, limit: 100 });
  const own = listed.items.find((item) => item.placeCode.startsWith(BINHE) && item.otherSideCode !== null);
  if (!own) throw new Error(`desk.test: no case of ${BINHE} by a street boundary line among ${listed.items.length} listed`);
  placeInStreet = own.lngLat;
  otherSideCode = own.otherSideCode!;
  // The grid worker serves the community holding the place (a grid code is its community's plus 3 digits).
  await server.accounts.addUser('test', { username: 'desk-grid', role: 'grid-worker', jurisdiction: own.placeCode.slice(0, 12), password: PASSWORD });
  await server.accounts.addUser('test', { username: 'desk-across', role: 'street-officer', jurisdiction: otherSideCode, password: PASSWORD });
  for (const [username, role] of [
    ['desk-a', 'street-officer'],
    ['desk-b', 'street-officer'],
    ['desk-viewer', 'viewer'],
  ] as const) {
    await server.accounts.addUser('test', { username, role, jurisdiction: BINHE, password: PASSWORD });
  }
  await server.accounts.addUser('test', { username: 'desk-city', role: 'city-officer', jurisdiction: SHENYANG, password: PASSWORD });
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** A desk logged in as `username`, opened at `path` once its queue is live. */
const openDesk = (username: string, path: string): Promise<LoggedInPage> => pages.open(username, path, '.mode-desk[data-desk-ready][data-live="live"]');

let reportCount = 0;
/** Reports a case in the street through the API; answers its id. */
async function reportCase(extra: { summary?: string; parties?: { name: string; phone?: string }[] } = {}): Promise<number> {
  reportCount += 1;
  const [lng, lat] = placeInStreet;
  const { id } = await api.events.report.mutate({ lngLat: [lng, lat], type: 'neighbour', source: 'hotline', severity: 'general', ...extra, idempotencyKey: `desk-e2e-${Date.now()}-${reportCount}` });
  return id;
}

const row = (page: Page, id: number) => page.locator(`.queue-row[data-case="${id}"]`);
const countOf = async (page: Page, column: string): Promise<number> => Number(await page.locator(`.column-tab[data-column="${column}"] .column-count`).getAttribute('data-count'));

describe('the command desk', { timeout: 240_000 }, () => {
  it('shows a case reported on the phone form on two desks of the street and on the desk across the boundary line; one dispatches it jointly, the others see it move column; the map draws the case', async () => {
    // Two desks of the street, one of the street across the line, and the grid worker's phone.
    const [a, b, across, phone] = await Promise.all([
      openDesk('desk-a', '/desk'),
      openDesk('desk-b', '/desk'),
      openDesk('desk-across', '/desk'),
      pages.open('desk-grid', '/report', '.mode-report[data-outbox-ready]', PHONE_CONTEXT),
    ]);
    const countsOf = async (page: Page) => ({ new: await countOf(page, 'new'), assigned: await countOf(page, 'assigned') });
    const before = { b: await countsOf(b.page), across: await countsOf(across.page) };

    // The grid worker reports it on the phone: type, a party, summary, the place tapped on the map.
    await waitForReportForm(phone.page);
    const chosen = await fillReport(phone.page, { type: 'neighbour', parties: [{ name: '王五', phone: '13700001111' }], summary: '楼上噪音扰民，双方争执', lngLat: placeInStreet });
    expect(Math.abs(chosen[0] - placeInStreet[0]) + Math.abs(chosen[1] - placeInStreet[1])).toBeLessThan(0.001);
    await phone.page.locator('.report-submit').tap();
    await phone.page.waitForSelector('.report-sent[data-case-id]', { timeout: 60_000 });
    const id = Number(await phone.page.locator('.report-sent').getAttribute('data-case-id'));
    expect(await phone.page.locator('.report-sent strong').innerText()).toBe(`已上报 · 编号 ${id}`);
    const case_ = await api.events.get.query({ id });
    expect(case_).toMatchObject({ type: 'neighbour', source: 'patrol', severity: 'general', status: 'reported', otherSideCode });

    // All three desks hear of it through events.live: no reload — on both sides of the line.
    await Promise.all([a, b, across].map((desk) => row(desk.page, id).waitFor({ timeout: 10_000 })));
    expect(await row(b.page, id).getAttribute('data-state')).toBe('reported');
    expect(await row(across.page, id).getAttribute('data-state')).toBe('reported');
    await expect.poll(() => countOf(b.page, 'new'), { timeout: 10_000 }).toBe(before.b.new + 1);
    await expect.poll(() => countOf(across.page, 'new'), { timeout: 10_000 }).toBe(before.across.new + 1);
    // Most urgent first: deadlines never fall down the list; overdue rows say so in red.
    const deadlines = await b.page.locator('.queue-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-deadline'))));
    expect(deadlines).toEqual([...deadlines].sort((x, y) => x - y));
    const overdue = b.page.locator('.queue-row[data-overdue="true"] .row-left').first();
    if ((await overdue.count()) > 0) {
      expect(await overdue.innerText()).toMatch(/^已超期 /);
      expect(await overdue.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)');
    }

    // A opens it: URL, facts, timeline with the report, the dispatch actions.
    await row(a.page, id).locator('button').click();
    await a.page.waitForSelector(`.case-panel[data-case="${id}"][data-state="ready"]`);
    expect(new URL(a.page.url()).searchParams.get('case')).toBe(String(id));
    expect(await a.page.locator('.case-panel .case-status').innerText()).toBe('登记受理');
    expect(await a.page.locator('.case-timeline li').count()).toBe(1);
    // A neighbours' dispute has 10 days at the grid, from its report.
    expect(await a.page.locator('.case-deadline strong').innerText()).toMatch(/^剩余 (9天|10天)/);
    expect(await a.page.locator('.case-stage').innerText()).toMatch(/^本阶段时限 10 天 · 网格（.+ 起）$/);
    expect(await a.page.locator('.case-actions button[data-action]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')))).toEqual(['assign']);

    // The small map: drawn, with the case point in the severity's colour.
    await a.page.waitForSelector('.case-map .atlas-map[data-map-state="idle"]', { state: 'attached', timeout: 120_000 });
    await a.page.evaluate(() => {
      const container = document.querySelector('.case-map .atlas-map') as HTMLDivElement & { maplibreMap: { setLayoutProperty: (l: string, n: string, v: string) => void; once: (e: string, f: () => void) => void; triggerRepaint: () => void } };
      return new Promise<void>((resolve) => {
        container.maplibreMap.once('idle', () => resolve());
        container.maplibreMap.setLayoutProperty('atlas-labels', 'visibility', 'none');
        container.maplibreMap.triggerRepaint();
      });
    });
    const point = await projectToPage(a.page, case_.lngLat);
    const shot = decodeScreenshot(await a.page.screenshot());
    expect(colorDistance(shot.pixel(point.x, point.y), SEVERITY_COLORS.general)).toBeLessThan(30);

    // Dispatch: the suggested handlers with their load and walk; the shortcut `a` takes the first one this
    // officer may hand the case to.
    await a.page.waitForSelector('.dispatch-panel[data-state="ready"] .suggestions li');
    const suggested = await api.desk.suggestHandlers.query({ id });
    expect(await a.page.locator('.dispatch-panel .suggestions li').evaluateAll((items) => items.map((li) => li.getAttribute('data-unit')))).toEqual(suggested.map((h) => h.unitCode));
    const firstAssignable = suggested.find((h) => h.assignable)!;
    expect(await a.page.locator('.dispatch-panel .suggestions li').first().locator('.suggestion-facts').innerText()).toMatch(/在办 \d+/);
    // A case by a boundary line may be handled jointly: A ticks it and dispatches with the key `a` to the
    // first assignable suggestion (the button `a` names), jointly as ticked.
    const joint = a.page.locator('.dispatch-panel .joint-toggle input');
    expect(await joint.count()).toBe(1);
    await joint.check();
    const firstButton = a.page.locator('.dispatch-panel .suggestions li button[aria-keyshortcuts="a"]');
    expect(await firstButton.locator('xpath=ancestor::li').getAttribute('data-unit')).toBe(firstAssignable.unitCode);
    // Keys are not commands while a form field has the focus: leave the box first.
    await a.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await a.page.keyboard.press('a');
    await a.page.waitForSelector(`.case-panel[data-case="${id}"][data-status="assigned"]`);
    expect(await a.page.locator('.case-handler').getAttribute('data-unit')).toBe(firstAssignable.unitCode);
    const dispatched = await api.events.get.query({ id });
    expect(dispatched.handlerUnit).toBe(firstAssignable.unitCode);
    expect(dispatched.jointUnit).toBeTruthy();
    expect(await a.page.locator('.case-joint').getAttribute('data-unit')).toBe(dispatched.jointUnit);
    expect(await a.page.locator('.case-timeline li').count()).toBe(2);

    // B, and the officer across the line, see it move from 待派送 to 待签收 without a reload.
    for (const [desk, counts] of [
      [b, before.b],
      [across, before.across],
    ] as const) {
      await expect.poll(() => row(desk.page, id).getAttribute('data-state'), { timeout: 10_000 }).toBe('assigned');
      expect(await row(desk.page, id).locator('.row-state').innerText()).toBe('派送交办');
      await expect.poll(() => countOf(desk.page, 'new'), { timeout: 10_000 }).toBe(counts.new);
      expect(await countOf(desk.page, 'assigned')).toBe(counts.assigned + 1);
    }
    // In B's 待派送 column it is gone.
    await b.page.locator('.column-tab[data-column="new"]').click();
    await b.page.waitForFunction(() => new URL(location.href).searchParams.get('column') === 'new');
    await b.page.waitForSelector('.desk-queue[data-state="ready"]');
    await expect.poll(() => row(b.page, id).count()).toBe(0);

    writeFileSync(join(ARTIFACTS, 'desk-1366x768.png'), await a.page.screenshot());
    expect(await axeViolations(a.page)).toEqual([]);
    expect([...a.errors, ...b.errors, ...across.errors, ...phone.errors]).toEqual([]);
  });

  it('tells of a stale action (the case changed behind the page) and reloads it without losing the note', async () => {
    const id = await reportCase();
    const first = await api.events.transition.mutate({ id, action: 'assign', version: 1 });
    const { page, errors } = await openDesk('desk-a', `/desk?case=${id}`);
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-status="assigned"]`);
    const note = '已电话联系双方，约定明早上门调解';
    await page.locator('.note-field textarea').fill(note);

    // Someone else accepts it meanwhile: the live stream says the case has news.
    await api.events.transition.mutate({ id, action: 'accept', version: first.version });
    await page.waitForSelector('.case-changed', { timeout: 10_000 });
    // The page still offers what was legal at version 2; acting on it is refused as stale.
    await page.locator('.case-actions button[data-action="escalate"]').click();
    await expect.poll(() => page.locator('.case-conflict').innerText(), { timeout: 10_000 }).toContain('该事件已被他人更新 — 重新加载');
    expect(await page.locator('.note-field textarea').inputValue()).toBe(note);

    await page.locator('.case-conflict button').click();
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-status="accepted"]`);
    expect(await page.locator('.case-conflict').count()).toBe(0);
    expect(await page.locator('.note-field textarea').inputValue()).toBe(note);
    expect(await page.locator('.case-timeline li').count()).toBe(3);
    // Now the action goes through, with the note in the timeline.
    await page.locator('.case-actions button[data-action="handle"]').click();
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-status="handled"]`);
    await expect.poll(() => page.locator('.case-timeline li').last().innerText()).toContain(note);
    expect(await page.locator('.note-field textarea').inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it('dispatches a boundary case jointly to a suggested handler of its own side', async () => {
    const id = await reportCase();
    const { page, errors } = await openDesk('desk-a', `/desk?case=${id}`);
    await page.waitForSelector('.dispatch-panel[data-state="ready"] .suggestions li');
    // The case names the street across and the line between, as the register does.
    const reported = await api.events.get.query({ id });
    const across = reported.otherSideCode!;
    const street = reported.placeCode.slice(0, 9);
    const register = await api.boundaries.register.query({ within: BINHE, levels: ['street'] });
    const line = register.lines.find((l) => (l.leftCode === street && l.rightCode === across) || (l.leftCode === across && l.rightCode === street))!;
    expect(line).toBeDefined();
    await page.waitForSelector('.case-panel .boundary-line-name');
    expect(await page.locator('.case-panel .other-side').innerText()).toBe(line.leftCode === across ? line.leftName : line.rightName);
    expect(await page.locator('.case-panel .boundary-line-name').getAttribute('data-line')).toBe(line.id);
    await page.locator('.dispatch-panel .joint-toggle input').check();
    const handler = page.locator('.dispatch-panel .suggestions li[data-side="own"][data-assignable="true"]').first();
    const unit = await handler.getAttribute('data-unit');
    const name = await handler.locator('.suggestion-name strong').innerText();
    await handler.locator('button').click();
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-status="assigned"]`);
    const got = await api.events.get.query({ id });
    expect(got.handlerUnit).toBe(unit);
    expect(got.jointUnit).toBeTruthy();
    // The case names its handler and the other side's unit.
    expect(await page.locator('.case-handler').getAttribute('data-unit')).toBe(unit);
    expect(await page.locator('.case-joint').getAttribute('data-unit')).toBe(got.jointUnit);
    expect(await page.locator('.case-handler').innerText()).toBe(name);
    expect(errors).toEqual([]);
  });

  it('pages a city\'s open cases 50 at a time by cursor, most urgent first, as desk.queue answers', async () => {
    const { page, context, errors, api: traffic } = await openDesk('desk-city', '/desk');
    await page.waitForSelector('.queue-row');
    // The page's Link header names the first page as the desk asks it, so the browser fetched it beside
    // auth.me rather than after its answer, and the desk did not ask again while it came.
    const link = (await context.request.get(`${server.url}/desk`)).headers().link ?? '';
    const named = /<([^>]*desk\.queue[^>]*)>/.exec(link)?.[1];
    expect(named).toBe(`/trpc/desk.queue?input=${encodeURIComponent(JSON.stringify({ within: SHENYANG, limit: 50 }))}`);
    const queueAsked = traffic.findIndex((entry) => entry.event === 'request' && entry.url.includes('desk.queue'));
    const queueAnswered = traffic.findIndex((entry) => entry.event === 'response' && entry.url.includes('desk.queue'));
    const meAnswered = traffic.findIndex((entry) => entry.event === 'response' && entry.url.includes('auth.me'));
    expect(queueAsked).toBeGreaterThan(-1);
    expect(meAnswered).toBeGreaterThan(-1);
    expect(traffic[queueAsked]!.url).toBe(decodeURIComponent(`${server.url}${named}`));
    expect(queueAsked).toBeLessThan(meAnswered);
    expect(traffic.slice(queueAsked + 1, queueAnswered).filter((entry) => entry.event === 'request' && entry.url.includes('desk.queue'))).toEqual([]);
    const cityApi = createTestClient(server.url, tokenHeaders(server.accounts, 'city-officer', SHENYANG));
    const first = await cityApi.desk.queue.query({ within: SHENYANG, limit: 50 });
    expect(first.nextCursor).not.toBe(null);
    const second = await cityApi.desk.queue.query({ within: SHENYANG, limit: 50, cursor: first.nextCursor! });
    expect(await countOf(page, 'all')).toBe(first.counts.new + first.counts.assigned + first.counts.inHand + first.counts.awaitingFeedback + first.counts.awaitingReview);
    expect(await countOf(page, 'overdue')).toBe(first.counts.overdue);
    const idsShown = () => page.locator('.queue-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case'))));
    expect(await idsShown()).toEqual(first.cases.map((c) => c.id));
    await page.locator('.more-button').click();
    await expect.poll(idsShown).toEqual([...first.cases, ...second.cases].map((c) => c.id));
    expect(errors).toEqual([]);
  });

  it('filters the street\'s queue by a boundary line, kept in the URL, as desk.queue answers', async () => {
    const { page, errors } = await openDesk('desk-a', '/desk');
    const register = await api.boundaries.register.query({ within: BINHE, levels: ['street'] });
    // The street's line with the most open cases by it.
    const queues = await Promise.all(
      register.lines.filter((line) => line.leftCode && line.rightCode).map(async (line) => ({ line, queue: await api.desk.queue.query({ within: BINHE, line: line.id, limit: 50 }) })),
    );
    const total = (q: (typeof queues)[number]['queue']) => q.counts.new + q.counts.assigned + q.counts.inHand + q.counts.awaitingFeedback + q.counts.awaitingReview;
    const { line, queue } = queues.sort((a, b) => total(b.queue) - total(a.queue))[0]!;
    expect(total(queue)).toBeGreaterThan(0);
    const options = await page.locator('select[name="line"] option').evaluateAll((items) => items.map((item) => (item as HTMLOptionElement).value).filter(Boolean));
    expect(options.sort()).toEqual(queues.map((q) => q.line.id).sort());
    await page.locator('select[name="line"]').selectOption(line.id);
    await expect.poll(() => new URL(page.url()).searchParams.get('line')).toBe(line.id);
    const idsShown = () => page.locator('.queue-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case'))));
    await expect.poll(idsShown).toEqual(queue.cases.map((c) => c.id));
    expect(await countOf(page, 'all')).toBe(total(queue));
    expect(await countOf(page, 'overdue')).toBe(queue.counts.overdue);
    expect(errors).toEqual([]);
  });

  it('masks the parties for a viewer and shows them to an officer', async () => {
    const id = await reportCase({ summary: '张三丰与邻居李四因漏水发生纠纷', parties: [{ name: '张三丰', phone: '13912345678' }, { name: '李四' }] });
    const officer = await openDesk('desk-a', `/desk?case=${id}`);
    await officer.page.waitForSelector(`.case-panel[data-case="${id}"][data-state="ready"]`);
    expect(await officer.page.locator('.case-parties .party-name').allInnerTexts()).toEqual(['张三丰', '李四']);
    expect(await officer.page.locator('.case-parties .party-phone').allInnerTexts()).toEqual(['13912345678']);
    expect(await officer.page.locator('.case-summary').innerText()).toContain('张三丰');
    writeFileSync(join(ARTIFACTS, 'desk-case-1366x768.png'), await officer.page.screenshot());

    const viewer = await openDesk('desk-viewer', `/desk?case=${id}`);
    await viewer.page.waitForSelector(`.case-panel[data-case="${id}"][data-state="ready"]`);
    const names = await viewer.page.locator('.case-parties .party-name').allInnerTexts();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^张\*+$/);
    const panel = await viewer.page.locator('.case-panel').innerText();
    const queue = await viewer.page.locator('.desk-queue').innerText();
    for (const secret of ['张三丰', '李四', '13912345678']) {
      expect(panel).not.toContain(secret);
      expect(queue).not.toContain(secret);
    }
    // A viewer reads; it acts on nothing.
    expect(await viewer.page.locator('.case-actions button[data-action]').count()).toBe(0);
    expect([...officer.errors, ...viewer.errors]).toEqual([]);
  });

  it('speaks English with ?lang=en and works from the keyboard (j/k, Enter, ?, Esc)', async () => {
    const { page, errors } = await openDesk('desk-b', '/desk?lang=en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('.column-tab .column-name').allInnerTexts()).toEqual(['All open', 'New', 'Assigned', 'In hand', 'Awaiting feedback', 'Awaiting review', 'Overdue']);
    expect(await page.locator('.desk-filters .filter > span').allInnerTexts()).toEqual(['Type', 'Source', 'Handling level', 'Boundary line']);
    await page.waitForSelector('.queue-row');
    const ids = await page.locator('.queue-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case'))));

    await page.locator('body').press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.queue-row[data-selected]').getAttribute('data-case')).toBe(String(ids[1]));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.case-panel[data-case="${ids[1]}"][data-state="ready"]`);
    expect(new URL(page.url()).searchParams.get('case')).toBe(String(ids[1]));
    expect(await page.locator('#timeline-title').innerText()).toBe('Timeline');
    const state = (await page.locator(`.queue-row[data-case="${ids[1]}"]`).getAttribute('data-state')) as DisputeStatus;
    expect(await page.locator('.case-panel .case-status').innerText()).toBe(DISPUTE_STATUS_LABELS[state].en);
    expect(await page.locator('.case-deadline strong').innerText()).toMatch(/ left$|^overdue by /);

    await page.keyboard.press('?');
    await page.waitForSelector('dialog.help-overlay[open]');
    expect(await page.locator('#help-title').innerText()).toBe('Keyboard shortcuts');
    // Modal: the page behind is inert, so Tab never takes focus out to it.
    for (let tab = 0; tab < 3; tab++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement === document.body || Boolean(document.activeElement?.closest('dialog.help-overlay')))).toBe(true);
    }
    // The desk's own words are all English (place names — the boundary lines' streets —, summaries and
    // notes are what they are).
    const uiText = await page.evaluate(() =>
      ['.desk-columns', '.desk-filters .filter > span', '.desk-filters select:not([name="line"]) option', '.desk-filters select[name="line"] option[value=""]', '.desk-toolbar .live-state', '.help-button', '.help-box', '.case-panel dt', '.case-panel h3', '.case-header', '.case-deadline', '.case-timeline .step-action', '.case-timeline .step-actor', '.case-actions']
        .flatMap((selector) => [...document.querySelectorAll<HTMLElement>(selector)].map((el) => el.innerText))
        .join('\n'),
    );
    expect(uiText.match(/[\u4e00-\u9fff]+/g)).toBe(null);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.help-overlay').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).searchParams.get('case')).toBe(null);

    // Column keys: 2 is 待派送 (new) … 7 overdue; 1 every open case.
    await page.keyboard.press('7');
    await expect.poll(() => new URL(page.url()).searchParams.get('column')).toBe('overdue');
    // A filter goes into the URL.
    await page.locator('.desk-filters select[name="source"]').selectOption('hotline');
    await expect.poll(() => new URL(page.url()).searchParams.get('source')).toBe('hotline');
    await page.waitForSelector('.desk-queue[data-state="ready"]');
    await expect.poll(async () => (await page.locator('.queue-row .row-source').allInnerTexts()).every((text) => text === '12345 hotline')).toBe(true);

    // Down to a community of the street: ?region= follows, and its grids can filter the queue.
    const community = await page.locator('.subunit-picker option').nth(1).getAttribute('value');
    await page.locator('.subunit-picker select').selectOption(community!);
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe(community);
    await page.waitForSelector('.mode-desk[data-region="' + community + '"] .desk-queue[data-state="ready"]');
    expect(await page.locator('.breadcrumbs [aria-current="page"]').innerText()).not.toBe('');
    await expect.poll(() => page.locator('.desk-filters select[name="grid"] option').count()).toBeGreaterThan(1);
    expect(await page.locator('.queue-row').count()).toBeLessThanOrEqual(await countOf(page, 'all'));
    expect(errors).toEqual([]);
  });
});
