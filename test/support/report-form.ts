// The grid worker's report form (/report) on a phone, for browser tests: the phone's browser context, the
// wait for a ready form (outbox loaded, map idle), a tap on its map, and filling it as a worker would —
// type, severity, parties, summary, then the place tapped on the map.

import type { BrowserContextOptions, Page } from 'playwright-core';
import { projectToPage, waitForMapIdle } from './browser';

export const PHONE = { width: 390, height: 844 };

/** A touch phone of 390 × 844 CSS px at device scale 1, service workers blocked. */
export const PHONE_CONTEXT: BrowserContextOptions = { viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true, serviceWorkers: 'block' };

/** Waits until the form, its outbox and its map are ready. */
export async function waitForReportForm(page: Page): Promise<void> {
  await page.waitForSelector('.mode-report[data-outbox-ready]', { state: 'attached' });
  await waitForMapIdle(page, 120_000);
}

/** Taps the map at [lng, lat] (scrolled into view first). */
export async function tapReportMap(page: Page, lngLat: [number, number]): Promise<void> {
  await page.locator('.report-map-frame').scrollIntoViewIfNeeded();
  const { x, y } = await projectToPage(page, lngLat);
  await page.touchscreen.tap(x, y);
}

export interface ReportInput {
  /** A dispute type key (the type select's value). */
  type: string;
  /** The severity button's label as shown (e.g. 较大); unset keeps the form's default. */
  severity?: string;
  /** Each party's name, and phone or role (身份) when given. */
  parties?: { name: string; phone?: string; role?: string }[];
  summary: string;
  /** Where to tap the map. */
  lngLat: [number, number];
}

/**
 * Fills the form on a Chinese page as a worker would and taps the place on the map; answers the place the
 * form took from the tap ([lng, lat] of #report-place). Submitting is left to the caller.
 */
export async function fillReport(page: Page, input: ReportInput): Promise<[number, number]> {
  await page.locator('#report-type').selectOption(input.type);
  if (input.severity) await page.getByRole('button', { name: input.severity }).tap();
  const parties = input.parties ?? [];
  for (let i = 0; i < parties.length; i += 1) await page.getByRole('button', { name: '添加当事人' }).tap();
  const rows = page.locator('.party-row');
  for (const [i, party] of parties.entries()) {
    await rows.nth(i).getByLabel('姓名').fill(party.name);
    if (party.phone !== undefined) await rows.nth(i).getByLabel('电话').fill(party.phone);
    if (party.role !== undefined) await rows.nth(i).getByLabel('身份').fill(party.role);
  }
  await page.locator('#report-summary').fill(input.summary);
  await tapReportMap(page, input.lngLat);
  await page.waitForSelector('#report-place[data-lng-lat]', { state: 'attached' });
  const [lng, lat] = (await page.locator('#report-place').getAttribute('data-lng-lat'))!.split(',').map(Number);
  return [lng!, lat!];
}
