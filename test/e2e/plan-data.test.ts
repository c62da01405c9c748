// Browser test of /plan/data (数据管理) at 1366 × 768 on a writable copy of the test database: an
// administrator of the whole deployment uploads a small facilities CSV as a dry run, reads the report
// (counts, the system used, no errors), commits it, sees the history entry and the facilities layer
// marked imported from that file (as meta.health says), then undoes it behind the confirmation and the
// layer is demonstration data again; a file with bad rows lists them with their kinds in Chinese and
// offers no commit; a viewer, and a city's administrator (imports replace a layer for the whole
// deployment), see the provenance and the message, no form; ?lang=en speaks English.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import { launchBrowser, startWritableTestServer, type WritableTestServer } from '../support/browser';
import { LoggedInPages } from '../support/logged-in-pages';
import { exportFacilities, toCsv } from '../server/import/import-fixtures';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const PASSWORD = 'data-page-test-password-2026';
const FILE_NAME = '沈阳设施台账.csv';

let served: WritableTestServer;
let server: RunningServer;
let browser: Browser;
let pages: LoggedInPages;
let csv: string;

beforeAll(async () => {
  served = await startWritableTestServer('atlas-plan-data-e2e-');
  server = served.server;
  await server.accounts.addUser('test', { username: 'data-admin', role: 'admin', jurisdiction: '21', password: PASSWORD });
  await server.accounts.addUser('test', { username: 'data-viewer', role: 'viewer', jurisdiction: '2101', password: PASSWORD });
  await server.accounts.addUser('test', { username: 'city-admin', role: 'admin', jurisdiction: '2101', password: PASSWORD });
  const facilities = exportFacilities(inject('databasePath'), '1 = 1', 120);
  csv = toCsv(['kind', 'name', 'lng', 'lat', 'unitCode'], facilities.map((f) => [f.kind, f.name, f.lng, f.lat, f.unitCode]));
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD);
});

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('/plan/data', () => {
  it('uploads a facilities CSV as a dry run, commits it, sees it in the history and the layer, and undoes it', { timeout: 240_000 }, async () => {
    const { page, errors } = await pages.open('data-admin', '/plan/data', '.mode-data[data-ready="true"]');
    const facilitiesRow = page.locator('.data-layers tr[data-layer="facilities"]');
    expect(await facilitiesRow.getAttribute('data-source')).toBe('demonstration');
    expect(await facilitiesRow.textContent()).toContain('演示数据');
    expect(await page.locator('.data-history').textContent()).toContain('尚无导入记录');

    await page.setInputFiles('input[type="file"]', { name: FILE_NAME, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.selectOption('select[name="layer"]', 'facilities');
    await page.selectOption('select[name="crs"]', 'wgs84');
    expect(await page.isChecked('input[name="dryRun"]')).toBe(true);
    await page.click('button.data-start');

    const report = page.locator('.data-report[data-dry-run="true"]');
    await report.waitFor();
    expect(await report.locator('.report-counts').textContent()).toBe('读取 120 条，通过 120 条，拒绝 0 条');
    expect(await report.locator('.report-issue-counts').textContent()).toMatch(/^错误 0 个/);
    expect(await report.locator('.report-crs').textContent()).toContain('按所选');
    expect(await report.locator('.report-shift').textContent()).toContain('吻合');
    expect(await report.locator('.report-outcome').textContent()).toContain('可以提交导入');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'plan-data-dry-run.png'), fullPage: true });

    await page.click('button.data-commit');
    await page.locator('.data-report[data-committed="true"]').waitFor();
    expect(await page.locator('.data-report .report-outcome').textContent()).toContain('已导入');
    // The history and the layer's provenance are read again after the commit.
    const entry = page.locator('.history-row[data-undone="false"]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain(FILE_NAME);
    await page.locator('.data-layers tr[data-layer="facilities"][data-source="imported"]').waitFor();
    expect(await facilitiesRow.textContent()).toContain(FILE_NAME);
    const health = (await (await fetch(`${server.url}/trpc/meta.health`)).json()) as { result: { data: { layers: { facilities: { source: string } } } } };
    expect(health.result.data.layers.facilities.source).toBe('imported');

    // Undo asks first; cancelling changes nothing.
    await page.click('button.data-undo');
    expect(await page.locator('.data-confirm').textContent()).toContain(FILE_NAME);
    await page.click('.data-confirm button:not(.data-confirm-undo)');
    expect(await page.locator('.data-confirm').count()).toBe(0);
    await page.click('button.data-undo');
    await page.click('button.data-confirm-undo');
    await page.locator('.data-undone').waitFor();
    await page.locator('.history-row[data-undone="true"]').waitFor();
    await page.locator('.data-layers tr[data-layer="facilities"][data-source="demonstration"]').waitFor();
    expect(await page.locator('button.data-undo').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('lists a file\'s errors by row with their kinds in Chinese, and offers no commit', { timeout: 120_000 }, async () => {
    const { page } = await pages.open('data-admin', '/plan/data', '.mode-data[data-ready="true"]');
    const lines = csv.trimEnd().split('\n');
    const bad = [lines[0], lines[1], lines[2]!.replace(/^[^,]+/, 'spaceship'), lines[3]!.replace(/^([^,]+),[^,]+/, '$1,')].join('\n') + '\n';
    await page.setInputFiles('input[type="file"]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.click('button.data-start');
    const report = page.locator('.data-report');
    await report.waitFor();
    expect(await report.locator('.report-counts').textContent()).toBe('读取 3 条，通过 1 条，拒绝 2 条');
    const rows = await report.locator('.data-issues tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toContainEqual(['2', '错误', '类型错误', expect.stringContaining('spaceship'), 'kind']);
    expect(rows).toContainEqual(['3', '错误', '缺少字段', expect.any(String), 'name']);
    expect(await report.locator('.report-outcome').textContent()).toContain('存在错误');
    expect(await page.locator('button.data-commit').count()).toBe(0);
  });

  it('shows a viewer where the data comes from, and no form', async () => {
    const { page } = await pages.open('data-viewer', '/plan/data', '.mode-data[data-ready="true"]');
    expect(await page.locator('.data-note').textContent()).toContain('仅对全域系统管理员开放');
    expect(await page.locator('form.data-form').count()).toBe(0);
    expect(await page.locator('.data-layers tbody tr').count()).toBe(7);
  });

  it('tells an administrator of a city that imports are for the whole deployment, with no form', async () => {
    const { page } = await pages.open('city-admin', '/plan/data', '.mode-data[data-ready="true"]');
    expect(await page.locator('.data-note').textContent()).toContain('whole deployment');
    expect(await page.locator('form.data-form').count()).toBe(0);
  });

  it('speaks English with ?lang=en', async () => {
    const { page } = await pages.open('data-admin', '/plan/data?lang=en', '.mode-data[data-ready="true"]');
    expect(await page.locator('#data-layers-title').textContent()).toBe('Where each layer comes from');
    expect(await page.locator('button.data-start').textContent()).toBe('Upload and validate');
  });
});
