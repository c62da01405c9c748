// Browser test of escalation and review on the command desk (/desk) at 1366 × 768, on a writable copy of
// the test database served with escalation by rule looking every second (ATLAS_ESCALATION_EVERY_MS) and
// deadlines of seconds (ATLAS_SLA_DAYS): an overdue case in hand at grid level, shown on a street
// officer's desk, goes up to the community by itself — the row changes level live and is marked 已升级,
// and the timeline reads 系统自动升级 with the rule; a county officer opens the review sample, reviews a
// case at feedback and reopens a closed one, which the queue then shows as assigned, and events.get has
// both steps.

import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index';
import { launchBrowser, startWritableTestServer, type WritableTestServer } from '../support/browser';
import { tokenHeaders } from '../support/accounts';
import { LoggedInPages, type LoggedInPage } from '../support/logged-in-pages';
import { createTestClient } from '../support/trpc-client';

/** 沈河区 and its 滨河街道 in the test database. */
const SHENHE = '210103';
const BINHE = '210103005';
const PASSWORD = 'desk-review-password-2026';
/** A general case's deadline: 0.00005 days, about 4.3 s after its report. */
const SLA_DAYS = 'general=0.00005';
/** A general case in hand at grid level escalates 0.005 h (18 s) after its deadline: time to see it overdue first. */
const RULES = 'general.grid=0.005';

let served: WritableTestServer;
let server: RunningServer;
let browser: Browser;
/** A street officer through the API: reports and the steps before the desk's. */
let api: ReturnType<typeof createTestClient>;
let placeInStreet: [number, number];
/** Officers' pages, closed after each test. */
let pages: LoggedInPages;

beforeAll(async () => {
  served = await startWritableTestServer('atlas-desk-review-e2e-', { ATLAS_SLA_DAYS: SLA_DAYS, ATLAS_ESCALATION_RULES: RULES, ATLAS_ESCALATION_EVERY_MS: '1000' });
  server = served.server;
  await server.accounts.addUser('test', { username: 'review-street', role: 'street-officer', jurisdiction: BINHE, password: PASSWORD });
  await server.accounts.addUser('test', { username: 'review-county', role: 'county-officer', jurisdiction: SHENHE, password: PASSWORD });
  api = createTestClient(server.url, tokenHeaders(server.accounts, 'street-officer', BINHE));
  const listed = await api.events.list.query({ within: BINHE, limit: 100 });
  // A place in a grid of the street itself (not across a boundary line: its own side acts on it).
  placeInStreet = listed.items.find((item) => item.placeCode.startsWith(BINHE) && item.placeCode.length === 15 && item.otherSideCode === null)!.lngLat;
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD);
});

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** A desk logged in as `username`, opened at `path` once its queue is live. */
const openDesk = (username: string, path: string): Promise<LoggedInPage> => pages.open(username, path, '.mode-desk[data-desk-ready][data-live="live"]');

let reportCount = 0;
/** Reports a general case in the street and takes it through `actions` (by the street officer); its id and version. */
async function caseThrough(
  actions: readonly ('assign' | 'accept' | 'handle' | 'feedback' | 'review' | 'close')[],
  severity: 'general' | 'major' = 'general',
): Promise<{ id: number; version: number }> {
  reportCount += 1;
  const { id } = await api.events.report.mutate({ lngLat: placeInStreet, type: 'neighbour', source: 'hotline', severity, idempotencyKey: `desk-review-e2e-${Date.now()}-${reportCount}` });
  let version = 1;
  for (const action of actions) {
    const before = await api.events.get.query({ id });
    const grid = action === 'assign' && before.placeCode.length === 15 ? { handlerUnit: before.placeCode } : {};
    ({ version } = await api.events.transition.mutate({ id, action, version, ...grid, ...(action === 'close' ? { outcome: 'mediated' as const } : {}) }));
  }
  return { id, version };
}

const row = (page: Page, id: number) => page.locator(`.queue-row[data-case="${id}"]`);

describe('/desk escalation and review', () => {
  it('shows an overdue case in hand at grid level go up a level by rule, live, with the system step in its timeline', { timeout: 60_000 }, async () => {
    const { id } = await caseThrough(['assign']);
    const assigned = await api.events.get.query({ id });
    expect(assigned).toMatchObject({ status: 'assigned', handlingLevel: 'grid' });
    // Past its deadline (seconds), not yet past the rule's 18 s.
    await expect.poll(() => Date.now() > assigned.dueAt + 250, { timeout: 15_000, interval: 100 }).toBe(true);

    // The case's community and grid (older overdue cases of the street come first in the queue).
    const place = `region=${assigned.placeCode.slice(0, 12)}&grid=${assigned.placeCode}&column=assigned`;
    const { page, errors } = await openDesk('review-street', `/desk?${place}`);
    await page.waitForSelector(`.queue-row[data-case="${id}"]`);
    expect(await row(page, id).getAttribute('data-level')).toBe('grid');
    expect(await row(page, id).getAttribute('data-overdue')).toBe('true');
    expect(await row(page, id).getAttribute('data-escalated')).toBe('false');

    // The escalation run (every second) moves it to the community; the open desk follows on the live feed.
    await expect.poll(() => row(page, id).getAttribute('data-level'), { timeout: 40_000, interval: 250 }).toBe('community');
    expect(await row(page, id).getAttribute('data-escalated')).toBe('true');
    expect(await row(page, id).locator('.escalated-tag').innerText()).toBe('已升级 · 社区（村）');
    expect(await row(page, id).getAttribute('data-state')).toBe('assigned');

    await row(page, id).locator('button').click();
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-state="ready"]`);
    const system = page.locator('.case-timeline li[data-actor="system"][data-action="escalate"]');
    expect(await system.count()).toBe(1);
    expect(await system.locator('.step-action').innerText()).toBe('系统自动升级 · 超期自动升级（规则 general.grid：超期 0.005 小时）');
    const got = await api.events.get.query({ id });
    expect(got.handlingLevel).toBe('community');
    expect(got.history.at(-1)).toMatchObject({ action: 'escalate', actorRole: 'system' });
    expect(got.history.at(-1)!.note).toContain('general.grid');

    // In English the step says so too.
    await page.goto(`${server.url}/desk?${place}&case=${id}&lang=en`);
    await page.waitForSelector(`.case-panel[data-case="${id}"][data-state="ready"]`);
    expect(await page.locator('.case-timeline li[data-actor="system"] .step-action').innerText()).toBe('Escalated automatically · escalated by rule general.grid: 0.005 h overdue');
    expect(await row(page, id).locator('.escalated-tag').innerText()).toBe('Escalated · Community/village');
    expect(errors).toEqual([]);
  });

  it('lets a county officer review a sampled case at feedback and reopen a closed one, which goes back to the queue as assigned', { timeout: 60_000 }, async () => {
    // Major cases: the server's quick rule escalates only general ones, so nothing acts on these behind the test
    // (a reopened general case is overdue at once and would be sent up within seconds).
    const atFeedback = await caseThrough(['assign', 'accept', 'handle', 'feedback'], 'major');
    const closed = await caseThrough(['assign', 'accept', 'handle', 'feedback', 'review', 'close'], 'major');
    const county = createTestClient(server.url, tokenHeaders(server.accounts, 'county-officer', SHENHE));
    // The whole population at rate 1: both cases are drawn.
    const sample = await county.desk.reviewSample.query({ within: SHENHE, rate: 1 });
    expect(sample.cases.map((c) => c.id)).toEqual(expect.arrayContaining([atFeedback.id, closed.id]));

    const { page, errors } = await openDesk('review-county', '/desk');
    await page.locator('.desk-views .view-tab[data-view="review"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('review');
    await page.waitForSelector('.review-sample[data-state="ready"]');
    expect(await page.locator('.review-sample .review-facts').innerText()).toMatch(/^期间：.+ · 抽取 \d+ 件 \/ 期间内反馈 \d+ 件$/);
    await page.locator('.review-rate select').selectOption('1');
    await expect.poll(() => new URL(page.url()).searchParams.get('rate')).toBe('1');
    await page.waitForSelector(`.review-row[data-case="${atFeedback.id}"]`);
    expect(await page.locator('.review-sample .review-facts').getAttribute('data-population')).toBe(String(sample.population));
    expect(await row(page, atFeedback.id).getAttribute('data-state')).toBe('feedback');
    expect(await row(page, closed.id).getAttribute('data-state')).toBe('closed');

    // Review the one at feedback in the case panel.
    await row(page, atFeedback.id).locator('button').click();
    await page.waitForSelector(`.case-panel[data-case="${atFeedback.id}"][data-state="ready"]`);
    await page.locator('.note-field textarea').fill('抽查回访，双方满意');
    await page.locator('.case-actions button[data-action="review"]').click();
    await page.waitForSelector(`.case-panel[data-case="${atFeedback.id}"][data-status="reviewed"]`);
    await expect.poll(() => row(page, atFeedback.id).getAttribute('data-state'), { timeout: 10_000 }).toBe('reviewed');

    // Reopen the closed one, to the same level.
    await row(page, closed.id).locator('button').click();
    await page.waitForSelector(`.case-panel[data-case="${closed.id}"][data-state="ready"]`);
    expect(await page.locator('.case-actions .reopen-field select option').first().innerText()).toBe('原承办层级');
    await page.locator('.case-actions button[data-action="reopen"]').click();
    await page.waitForSelector(`.case-panel[data-case="${closed.id}"][data-status="assigned"]`);

    // Back in the queue it is assigned again.
    await page.locator('.desk-views .view-tab[data-view="queue"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe(null);
    // Its community's and grid's assigned column (the county's older overdue cases come first).
    const placeCode = (await api.events.get.query({ id: closed.id })).placeCode;
    await page.goto(`${server.url}/desk?region=${placeCode.slice(0, 12)}&grid=${placeCode}&column=assigned`);
    await page.waitForSelector('.mode-desk[data-view="queue"] .desk-queue[data-state="ready"]');
    await expect.poll(() => row(page, closed.id).getAttribute('data-state'), { timeout: 15_000 }).toBe('assigned');

    const reviewed = await api.events.get.query({ id: atFeedback.id });
    expect(reviewed.status).toBe('reviewed');
    expect(reviewed.history.at(-1)).toMatchObject({ action: 'review', note: '抽查回访，双方满意' });
    const reopened = await api.events.get.query({ id: closed.id });
    expect(reopened.status).toBe('assigned');
    expect(reopened.history.map((step) => step.action).slice(-2)).toEqual(['close', 'reopen']);
    expect(errors).toEqual([]);
  });
});
