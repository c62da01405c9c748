// Browser test: with lang=en no Chinese text remains on any mode but proper names. The wall (/screen over
// Shenyang, every scene), the planner (/plan over Shenhe district, siting panel unfolded) and the briefing
// (/brief) are read as a person or a screen reader would (the page's text, aria-label and title), the
// place names the API gives (units, ancestors and children, the latest cases' places) and the cases'
// masked party names are taken out, and whatever Chinese is left is listed.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index';
import { launchBrowser, newTrackedPage, startTestServer, waitForMapIdle, type TrackedPage } from '../support/browser';
import { createTestClient } from '../support/trpc-client';

const CJK = /[\u3400-\u9fff]/;
/** Chinese punctuation, out of place in English text: ：，、（）。 */
const CJK_PUNCTUATION = /[\uff1a\uff0c\u3001\uff08\uff09\u3002]/;
const VIEWPORT = { width: 1920, height: 1080 };

let server: RunningServer;
let browser: Browser;
const openPages: Page[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(openPages.map((page) => page.close().catch(() => {})));
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<TrackedPage> {
  const tracked = await newTrackedPage(browser, VIEWPORT);
  openPages.push(tracked.page);
  tracked.page.setDefaultTimeout(120_000);
  await tracked.page.goto(`${server.url}${path}`);
  await waitForMapIdle(tracked.page, 200_000);
  return tracked;
}

/** Names of a unit, its ancestors and its children, as geo.adminTree gives them. */
async function unitNames(codes: string[]): Promise<string[]> {
  const client = createTestClient(server.url);
  const trees = await Promise.all(codes.map((code) => client.geo.adminTree.query({ code })));
  return trees.flatMap((tree) => [tree.name, ...tree.ancestors.map((unit) => unit.name), ...tree.children.map((unit) => unit.name)]);
}

/** What the page says: its text, and the aria-label and title attributes a screen reader or a hover shows. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[aria-label], [title]')].flatMap((element) =>
      ['aria-label', 'title'].map((name) => element.getAttribute(name) ?? ''),
    );
    return [document.title, document.body.innerText, ...attributes].join('\n');
  });
}

/** The lines of `text` that still hold Chinese once every name is taken out (longest names first). */
function chineseLeft(text: string, names: string[]): string[] {
  const sorted = [...new Set(names)].filter((name) => name.length > 0).sort((a, b) => b.length - a.length);
  const stripped = sorted.reduce((out, name) => out.split(name).join(' '), text);
  return [...new Set(stripped.split('\n').map((line) => line.trim()).filter((line) => CJK.test(line) || CJK_PUNCTUATION.test(line)))];
}

async function expectEnglish(page: Page, names: string[], where: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  const text = await pageText(page);
  // The check must read a filled page, not an empty shell.
  expect(text.length).toBeGreaterThan(200);
  expect(chineseLeft(text, names), `Chinese left on ${where}`).toEqual([]);
}

/** Changes the URL the way a link would, without reloading (react-router follows popstate). */
async function navigateInPage(page: Page, path: string): Promise<void> {
  await page.evaluate((target) => {
    window.history.pushState(null, '', target);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

describe('lang=en', { timeout: 900_000 }, () => {
  it('leaves no Chinese but proper names on the wall, the planner and the briefing', async () => {
    const client = createTestClient(server.url);

    // The wall over Shenyang: header, figures, charts' panels, the latest cases, then every scene's legend.
    const wall = await open('/screen?region=2101&lang=en&tour=0');
    // Filled: the figures every query answers (rates of no cases this month stay "—"), each chart given its
    // data or marked empty, and the latest cases listed.
    await wall.page
      .waitForFunction(
        () =>
          ['grids', 'workstationRate', 'healthCircle', 'reported', 'overdue'].every(
            (kpi) => !document.querySelector(`[data-kpi="${kpi}"] .stat-value`)!.textContent!.startsWith('—'),
          ) &&
          [...document.querySelectorAll('.panel-chart')].every((panel) => panel.querySelector('.echart:not(.echart-empty), .echart-empty[data-loaded]')) &&
          document.querySelectorAll('.event-list li').length > 0,
        undefined,
        { timeout: 120_000, polling: 500 },
      )
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nThe wall showed:\n${await wall.page.evaluate(() => document.body.innerText)}`);
      });
    const latest = await client.dashboard.latest.query({ within: '2101', limit: 12 });
    expect(latest.length).toBeGreaterThan(0);
    const wallNames = [
      ...(await unitNames(['2101'])),
      ...latest.flatMap((item) => item.placeName.split(' · ')),
      // Masked party names ("张**") are people's names, written as they are in every language.
      ...latest.flatMap((item) => item.parties.map((party) => party.name)),
    ];
    // The type and status of each case are named in English (the API's typeLabel and statusLabel are Chinese).
    expect(await wall.page.locator('.event-type').first().innerText()).not.toMatch(CJK);
    await expectEnglish(wall.page, wallNames, '/screen overview');
    for (const scene of ['hotspots', 'boundary', 'coverage', 'live'] as const) {
      await navigateInPage(wall.page, `/screen?region=2101&lang=en&tour=0&scene=${scene}`);
      await wall.page.waitForSelector(`.screen-map[data-scene="${scene}"]`);
      await waitForMapIdle(wall.page, 200_000);
      if (scene !== 'live') await wall.page.waitForSelector('.screen-map .legend');
      await expectEnglish(wall.page, wallNames, `/screen ${scene}`);
    }
    expect(wall.errors).toEqual([]);
    await wall.page.close();

    // The planner over Shenhe district, coverage summary and the siting form shown.
    const plan = await open('/plan?region=210103&lang=en');
    await plan.page.waitForSelector('.coverage-panel .coverage-rate');
    await plan.page.locator('.plan-siting summary').click();
    await plan.page.waitForSelector('.siting-panel');
    await expectEnglish(plan.page, await unitNames(['210103']), '/plan');
    expect(plan.errors).toEqual([]);
    await plan.page.close();

    // The briefing over the province.
    const brief = await open('/brief?lang=en');
    await brief.page.waitForSelector('.breadcrumbs');
    await expectEnglish(brief.page, await unitNames(['21']), '/brief');
    expect(brief.errors).toEqual([]);
  });
});
