// Browser test of the briefing (/brief) on a tablet (1180 × 820, touch emulation, taps): from 辽宁省 down
// to a community by the ranked lists and back up by the breadcrumbs, the URL following; every KPI card
// shows brief.kpis's value, counts and rating; every number in the narrative is the text of one of
// brief.narrative's facts (place names aside), in Chinese and in English; inside a community the facility
// KPIs rank no grids; a swipe changes the KPI; the print button's A4 PDF, read back with pdftotext, holds
// the cover, the KPI values, the narrative and the map picture; axe-core finds no critical violation; and
// from a 390-px phone to a 1366-px tablet nothing scrolls sideways and every target is at least 44 px.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import { KPI_DEFINITIONS, KPI_IDS } from '../../server/domain/kpis';
import { axeViolations, launchBrowser, startTestServer, waitForMapIdle } from '../support/browser';
import { createTestClient } from '../support/trpc-client';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const TABLET = { width: 1180, height: 820 };
/** October 2026: the last whole month of the test data (its "now" is 1 November 2026, China time). */
const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const PERIOD_PARAM = `${PERIOD.from}..${PERIOD.to}`;
const PROVINCE = '21';
/** 沈阳市 › 沈河区 › 滨河街道 › 永顺社区 in the test database. */
const PATH = ['2101', '210103', '210103005', '210103005003'];
const [SHENYANG, , BINHE, YONGSHUN] = PATH as [string, string, string, string];

let server: RunningServer;
let browser: Browser;
let client: ReturnType<typeof createTestClient>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  client = createTestClient(server.url);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Tablet {
  page: Page;
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** Answers with an HTTP error status (a refused query would show here). */
  failed: string[];
}

/** A page in a touch context (taps, no mouse hover) at `viewport`, opened at `path`. */
async function openTablet(path: string, viewport = TABLET): Promise<Tablet> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: true, isMobile: true, serviceWorkers: 'block' });
  contexts.push(context);
  const page = await context.newPage();
  // SwiftShader draws the map slowly on a busy machine: locators and waits get time.
  page.setDefaultTimeout(180_000);
  const tablet: Tablet = { page, errors: [], failed: [] };
  page.on('pageerror', (error) => tablet.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') tablet.errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) tablet.failed.push(`${response.status()} ${decodeURIComponent(response.url())}`);
  });
  await page.goto(`${server.url}${path}`);
  return tablet;
}

/** Waits until the first view of `region` is complete (place, KPI cards and narrative, or their errors). */
async function waitForBriefing(page: Page, region: string): Promise<void> {
  await page.waitForSelector(`.mode-brief[data-region="${region}"][data-brief-ready]`, { state: 'attached' });
}

/** Waits until every list of the page has answered (ranking, hot spots, boundary lines). */
async function waitForLists(page: Page): Promise<void> {
  await page.waitForSelector('.brief-ranking', { state: 'attached' });
  await page.waitForFunction(() => document.querySelectorAll('.mode-brief [data-state="loading"]').length === 0, undefined, { polling: 250 });
}

const urlParam = (page: Page, name: string): string | null => new URL(page.url()).searchParams.get(name);

type Card = Awaited<ReturnType<typeof client.brief.kpis.query>>[number];
type Narrative = Awaited<ReturnType<typeof client.brief.narrative.query>>;

const zhInteger = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** A KPI value as a Chinese briefing writes it: a percentage with one decimal, cases with 件. */
function valueText(value: number | null, unit: Card['unit']): string {
  if (value === null) return '—';
  return unit === 'share' ? `${(value * 100).toFixed(1)}%` : `${zhInteger.format(value)}件`;
}

/** Checks every KPI card against brief.kpis; answers the cards. */
async function expectCardsEqualApi(page: Page, within: string): Promise<Card[]> {
  const cards = await client.brief.kpis.query({ within, ...PERIOD });
  const shown = await page.$$eval('.kpi-card', (elements) =>
    elements.map((element) => ({
      id: (element as HTMLElement).dataset.kpi,
      status: (element as HTMLElement).dataset.status,
      value: element.querySelector('.kpi-value')?.textContent,
      counts: element.querySelector('.kpi-fraction')?.textContent ?? null,
    })),
  );
  expect(shown, within).toEqual(
    cards.map((card) => ({
      id: card.id,
      status: card.status ?? 'none',
      value: valueText(card.value, card.unit),
      counts: card.numerator !== null && card.denominator !== null ? `${zhInteger.format(card.numerator)}/${zhInteger.format(card.denominator)}` : null,
    })),
  );
  expect(cards.map((card) => card.id)).toEqual([...KPI_IDS]);
  return cards;
}

/**
 * The numbers (digit groups, "1,987" and "83.1" whole) of a narrative that are not written as the text
 * of one of its facts: place names (which may hold digits, "第1网格") are taken out first, then every
 * occurrence of a fact's text that is not part of a longer number covers its characters.
 */
function numbersOutsideFacts(text: string, narrative: Pick<Narrative, 'facts' | 'places'>): string[] {
  let rest = text;
  for (const place of [...narrative.places].sort((a, b) => b.name.length - a.name.length)) rest = rest.split(place.name).join('〔地名〕');
  const covered = new Uint8Array(rest.length);
  const digitAt = (i: number): boolean => /\d/.test(rest[i] ?? '');
  const continuesNumber = (i: number, step: 1 | -1): boolean => digitAt(i) || (/[.,]/.test(rest[i] ?? '') && digitAt(i + step));
  for (const fact of narrative.facts) {
    if (!/\d/.test(fact.text)) continue;
    for (let i = rest.indexOf(fact.text); i >= 0; i = rest.indexOf(fact.text, i + 1)) {
      if (continuesNumber(i - 1, -1) || continuesNumber(i + fact.text.length, 1)) continue;
      covered.fill(1, i, i + fact.text.length);
    }
  }
  return [...rest.matchAll(/\d+(?:[.,]\d+)*/g)]
    .filter((match) => covered.subarray(match.index, match.index + match[0].length).includes(0))
    .map((match) => match[0]);
}

/** Checks the narrative on the page against brief.narrative and its facts against the cards. */
async function expectNarrativeFromFacts(page: Page, within: string, cards: Card[], lang: 'zh' | 'en' = 'zh'): Promise<void> {
  const narrative = await client.brief.narrative.query({ within, ...PERIOD, lang });
  const shown = await page.locator('.narrative-text').innerText();
  expect(shown, within).toBe(narrative.text);
  expect(numbersOutsideFacts(shown, narrative), `${within} ${lang}: ${shown}`).toEqual([]);
  // Not vacuous: the paragraph states figures.
  expect(shown.match(/\d+/g)?.length ?? 0, shown).toBeGreaterThan(3);
  // The facts are the cards' figures.
  for (const card of cards) {
    const value = narrative.facts.find((fact) => fact.id === `kpi.${card.id}.value`);
    if (value) expect(value.value, value.id).toBe(card.value);
    const target = narrative.facts.find((fact) => fact.id === `kpi.${card.id}.target`);
    if (target) expect(target.value, target.id).toBe(card.target);
  }
}

/** A one-finger swipe across `selector` by `dx` CSS pixels, through the DevTools touch input. */
async function swipe(page: Page, selector: string, dx: number): Promise<void> {
  const target = page.locator(selector);
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const y = box.y + box.height / 2;
  const x = dx < 0 ? box.x + box.width * 0.85 : box.x + box.width * 0.15;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let step = 1; step <= 6; step++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + (dx * step) / 6, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe('/brief on a tablet', { timeout: 900_000 }, () => {
  it('taps from 辽宁省 down to a community by the ranked lists and back up by the breadcrumbs; cards and narrative equal the API', async () => {
    const { page, errors, failed } = await openTablet(`/brief?period=${PERIOD_PARAM}`);
    await waitForBriefing(page, PROVINCE);
    expect(await page.locator('.brief-place').innerText()).toBe('辽宁省');
    expect(await page.locator('.brief-period').innerText()).toBe('自定义 · 2026年10月1日至31日');
    await expectNarrativeFromFacts(page, PROVINCE, await expectCardsEqualApi(page, PROVINCE));

    for (const code of PATH) {
      // The children of the place ranked on the selected KPI: tap the next unit down.
      await page.waitForSelector('.brief-ranking[data-state="ready"]', { state: 'attached' });
      await page.locator(`.brief-ranking li[data-code="${code}"] > button`).tap();
      await waitForBriefing(page, code);
      expect(urlParam(page, 'region')).toBe(code);
      expect(urlParam(page, 'period')).toBe(PERIOD_PARAM);
      const tree = await client.geo.adminTree.query({ code });
      expect(await page.locator('.brief-place').innerText()).toBe(tree.name);
      const crumbs = await page.locator('.brief-toolbar .breadcrumbs li').allInnerTexts();
      expect(crumbs.map((crumb) => crumb.trim())).toEqual([...tree.ancestors.map((unit) => unit.name), tree.name]);
      await expectNarrativeFromFacts(page, code, await expectCardsEqualApi(page, code));
    }
    writeFileSync(join(ARTIFACTS, 'brief-community-1180x820.png'), await page.screenshot());

    // Inside a community the facility KPIs (counted per community) rank no grids: not offered, and said so.
    await waitForLists(page);
    const ranking = page.locator('.brief-ranking');
    expect(await ranking.getAttribute('data-kpi')).toBe('workstationCoverage');
    expect(await ranking.getAttribute('data-state')).toBe('unranked');
    expect(await ranking.locator('.ranking-unranked').innerText()).toContain('不细分到网格');
    const offered = await ranking.locator('select option:not([disabled])').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(KPI_IDS.filter((id) => KPI_DEFINITIONS[id].finestLevel === 'grid'));

    // Tapping a card ranks the community's grids on it, worst first, as brief.ranking does.
    await page.locator('.kpi-card[data-kpi="inGridResolution"] > button').tap();
    await page.waitForSelector('.brief-ranking[data-kpi="inGridResolution"][data-state="ready"]', { state: 'attached' });
    expect(urlParam(page, 'kpi')).toBe('inGridResolution');
    const grids = await client.brief.ranking.query({ within: YONGSHUN, ...PERIOD, kpi: 'inGridResolution' });
    expect(grids.rows.length).toBeGreaterThan(1);
    expect(await ranking.locator('li[data-code]').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.code))).toEqual(grids.rows.map((row) => row.code));
    expect(await ranking.locator('.ranking-value').allInnerTexts()).toEqual(grids.rows.map((row) => valueText(row.value, 'share')));

    // A swipe to the left shows the next KPI, to the right the one before.
    await swipe(page, '.brief-ranking .swipe-hint', -220);
    await page.waitForSelector('.brief-ranking[data-kpi="overdueCases"]', { state: 'attached' });
    await swipe(page, '.brief-ranking .swipe-hint', 220);
    await page.waitForSelector('.brief-ranking[data-kpi="inGridResolution"]', { state: 'attached' });

    // Back up by the breadcrumbs: the street, then the city; the browser's back button returns to the street.
    const crumb = (name: string) => page.locator('.brief-toolbar .breadcrumbs').getByRole('button', { name, exact: true });
    await crumb('滨河街道').tap();
    await waitForBriefing(page, BINHE);
    expect(urlParam(page, 'region')).toBe(BINHE);
    await crumb('沈阳市').tap();
    await waitForBriefing(page, SHENYANG);
    expect(urlParam(page, 'region')).toBe(SHENYANG);
    await expectCardsEqualApi(page, SHENYANG);
    await page.goBack();
    await waitForBriefing(page, BINHE);
    expect(await page.locator('.brief-place').innerText()).toBe('滨河街道');

    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('writes the narrative in English with ?lang=en, its numbers still the facts’ texts', async () => {
    const { page, errors, failed } = await openTablet(`/brief?region=${YONGSHUN}&period=${PERIOD_PARAM}&lang=en`);
    await waitForBriefing(page, YONGSHUN);
    const cards = await client.brief.kpis.query({ within: YONGSHUN, ...PERIOD });
    expect(await page.locator('.kpi-card .kpi-label').allInnerTexts()).toEqual(cards.map((card) => card.label.en));
    await expectNarrativeFromFacts(page, YONGSHUN, cards, 'en');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('prints an A4 briefing from the print button (cover, KPI table, map picture, narrative) and has no critical axe-core violation', async (context) => {
    const { page, errors, failed } = await openTablet(`/brief?region=${SHENYANG}&period=${PERIOD_PARAM}`);
    await waitForBriefing(page, SHENYANG);
    await waitForMapIdle(page, 300_000);
    await waitForLists(page);
    writeFileSync(join(ARTIFACTS, 'brief-shenyang-1180x820.png'), await page.screenshot({ fullPage: true }));
    const cards = await expectCardsEqualApi(page, SHENYANG);
    const narrative = await client.brief.narrative.query({ within: SHENYANG, ...PERIOD, lang: 'zh' });

    // Accessibility: no critical axe-core violation.
    expect(await axeViolations(page)).toEqual([]);

    // The print button takes a picture of the map (a WebGL canvas does not print), then opens the print dialog.
    await page.evaluate(() => {
      window.print = () => {
        document.documentElement.dataset.printed = 'yes';
      };
    });
    await page.locator('.print-button').tap();
    await page.waitForSelector('html[data-printed="yes"]', { state: 'attached', timeout: 600_000 });
    expect(await page.locator('.map-picture').count()).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const pdfPath = join(ARTIFACTS, 'brief-shenyang.pdf');
    writeFileSync(pdfPath, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);

    if (spawnSync('pdftotext', ['-v']).error) {
      context.skip('pdftotext (Debian poppler-utils) is not installed here: the printed PDF is not read back');
    }
    const pdfText = (...args: string[]): string => execFileSync('pdftotext', [...args, pdfPath, '-'], { encoding: 'utf8' });
    // The cover: place, title and period, alone on the first page.
    const cover = pdfText('-f', '1', '-l', '1');
    for (const line of ['沈阳市', '平安态势简报', '自定义 · 2026年10月1日至31日', '辽宁省 · 沈阳市']) expect(cover).toContain(line);
    expect(cover).not.toContain('关键指标一览');
    // The KPI table holds every value as the API gives it, and the narrative follows (lines broken anywhere).
    const text = pdfText('-layout');
    expect(text).toContain('关键指标一览 · 沈阳市 · 2026年10月1日至31日');
    for (const card of cards) expect(text, card.id).toContain(valueText(card.value, card.unit));
    expect(text.replace(/\s+/g, '')).toContain(narrative.text.replace(/\s+/g, ''));
    // The map prints as its picture: an image at least 300 px wide.
    const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 4);
    expect(images.some((fields) => Number(fields[3]) >= 300), images.join('\n')).toBe(true);
  });

  it('lays out from a 390-px phone to a 1366-px tablet, landscape and portrait: no sideways scrolling, every target ≥ 44 px', async () => {
    const { page, errors } = await openTablet(`/brief?region=${BINHE}&period=${PERIOD_PARAM}`);
    await waitForBriefing(page, BINHE);
    await waitForMapIdle(page, 300_000);
    await waitForLists(page);
    const sizes: [number, number][] = [
      [1180, 820],
      [820, 1180],
      [1024, 768],
      [768, 1024],
      [1366, 1024],
      [1024, 1366],
      [390, 844],
    ];
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      await page.waitForFunction((w) => window.innerWidth === w, width);
      const layout = await page.evaluate(() => {
        const small: string[] = [];
        for (const element of document.querySelectorAll('.mode-brief :is(button, a[href], select, input, summary)')) {
          const rect = element.getBoundingClientRect();
          if (rect.width === 0 || rect.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
          if (rect.width < 43.5 || rect.height < 43.5) small.push(`${element.tagName.toLowerCase()}.${element.className} “${(element.textContent ?? '').trim().slice(0, 16)}” ${rect.width.toFixed(0)}×${rect.height.toFixed(0)}`);
        }
        const cards = document.querySelector('.kpi-grid')!;
        return {
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          small,
          cardsScroll: cards.scrollWidth > cards.clientWidth + 1,
          snap: getComputedStyle(cards).scrollSnapType,
        };
      });
      expect(layout.overflow, `${width}×${height}`).toBeLessThanOrEqual(0);
      expect(layout.small, `${width}×${height}`).toEqual([]);
      // On a phone the cards are one row to swipe through, card by card; on a tablet all are in view.
      expect(layout.cardsScroll, `${width}×${height}`).toBe(width < 600);
      if (width < 600) expect(layout.snap).toBe('x mandatory');
    }
    writeFileSync(join(ARTIFACTS, 'brief-street-390x844.png'), await page.screenshot());
    expect(errors).toEqual([]);
  });
});
