// Browser test of a department's grid layer (多格合一) imported on /plan/data at 1366 × 768, on a writable copy
// of the test database: an administrator picks 部门网格（多格合一）, must name the department, dry-runs a
// GeoJSON of copies of one street's unified grids, reads the reconciliation (every copy a good match, no
// crossing), commits what the dry run checked, sees the department listed under the layers, and follows the link to /plan/grids,
// which shows that department on the unit holding them; undone on the data page, the department is gone.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningServer } from '../../server/index';
import { REPO_ROOT } from '../../server/paths';
import { launchBrowser, startWritableTestServer, type WritableTestServer } from '../support/browser';
import { LoggedInPages } from '../support/logged-in-pages';
import { exportGrids } from '../server/import/import-fixtures';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const PASSWORD = 'department-data-test-password-2026';
const DEPARTMENT = '安全生产';
const FILE_NAME = '安全生产网格.geojson';
/** Unified grids of 和平区's first street copied into the departmental layer. */
const COPIED = 4;

let served: WritableTestServer;
let server: RunningServer;
let browser: Browser;
let pages: LoggedInPages;
let layerJson: string;

beforeAll(async () => {
  served = await startWritableTestServer('atlas-plan-data-department-e2e-');
  server = served.server;
  await server.accounts.addUser('test', { username: 'data-admin', role: 'admin', jurisdiction: '21', password: PASSWORD });
  const unified = exportGrids(inject('databasePath'), "code LIKE '210102001%'");
  layerJson = JSON.stringify({
    type: 'FeatureCollection',
    features: unified.features.slice(0, COPIED).map((feature, index) => ({ type: 'Feature', properties: { 编码: `AQ-${index + 1}`, 名称: `安监网格${index + 1}` }, geometry: feature.geometry })),
  });
  browser = await launchBrowser();
  pages = new LoggedInPages(browser, server, PASSWORD);
});

afterEach(() => pages.closeAll());

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe("/plan/data: a department's grid layer", () => {
  it('needs the department, dry-runs with the reconciliation, commits, links to /plan/grids showing it, and undoes', { timeout: 240_000 }, async () => {
    const { page, errors } = await pages.open('data-admin', '/plan/data', '.mode-data[data-ready="true"]');
    await page.setInputFiles('input[type="file"]', { name: FILE_NAME, mimeType: 'application/geo+json', buffer: Buffer.from(layerJson, 'utf8') });
    expect(await page.locator('input[name="department"]').count()).toBe(0);
    await page.selectOption('select[name="layer"]', 'department-grids');
    expect(await page.locator('select[name="layer"] option:checked').textContent()).toBe('部门网格（多格合一）');
    const department = page.locator('input[name="department"]');
    expect(await department.getAttribute('required')).not.toBeNull();
    await page.selectOption('select[name="crs"]', 'wgs84');

    // Without a name nothing is uploaded: the browser's own check stops the form first.
    await page.click('button.data-start');
    expect(await department.evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
    expect(await page.locator('.data-report').count()).toBe(0);

    await department.fill(DEPARTMENT);
    await page.click('button.data-start');
    const report = page.locator('.data-report[data-dry-run="true"] .report-department');
    await report.waitFor();
    expect(await page.locator('.data-report .report-counts').textContent()).toBe(`读取 ${COPIED} 条，通过 ${COPIED} 条，拒绝 0 条`);
    expect(await report.locator('h4').textContent()).toContain(DEPARTMENT);
    expect(await report.locator('[data-figure="department"] dd').textContent()).toBe(String(COPIED));
    expect(await report.locator('[data-figure="good"] dt').textContent()).toContain('吻合');
    expect(await report.locator('[data-figure="good"] dd').textContent()).toBe(String(COPIED));
    expect(await report.locator('[data-figure="crossings"] dd').textContent()).toBe('0');
    expect(await report.locator('[data-figure="meanIou"] dt').textContent()).toBe('平均最佳 IoU');
    expect(await page.locator('.report-grids-link').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'plan-data-department-dry-run.png'), fullPage: true });

    // What is committed is what the dry run checked, even when the form was changed since.
    await department.fill('市场监管');
    await page.click('button.data-commit');
    await page.locator('.data-report[data-committed="true"]').waitFor();
    expect(await page.locator('.report-department').getAttribute('data-department')).toBe(DEPARTMENT);
    const listed = page.locator(`.data-layers tr[data-layer="department-grids"][data-department="${DEPARTMENT}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain(FILE_NAME);
    expect(await page.locator('.data-layers tr[data-department="市场监管"]').count()).toBe(0);
    await page.locator('.history-row[data-undone="false"]', { hasText: `部门网格：${DEPARTMENT}` }).waitFor();

    const link = page.locator('.report-grids-link');
    expect(await link.textContent()).toContain(DEPARTMENT);
    // The room opens on the unit the copied grids lie in (a province's grids are too many to draw).
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/plan/grids\\?department=${encodeURIComponent(DEPARTMENT)}&within=210102001(\\d{3})?$`));
    await link.click();
    await page.waitForURL((url) => url.pathname === '/plan/grids' && url.searchParams.get('department') === DEPARTMENT);
    await page.locator('.mode-grids[data-ready="true"]').waitFor();
    expect(await page.locator('.mode-grids select').first().inputValue()).toBe(DEPARTMENT);
    await page.locator('.grids-summary').waitFor({ timeout: 120_000 });

    // Undone on the data page: the department is no longer listed.
    await page.goto(`${server.url}/plan/data`);
    await page.locator('.mode-data[data-ready="true"]').waitFor();
    await listed.waitFor();
    await page.click('button.data-undo');
    expect(await page.locator('.data-confirm').textContent()).toContain(`部门网格：${DEPARTMENT}`);
    await page.click('button.data-confirm-undo');
    await page.locator('.history-row[data-undone="true"]').waitFor();
    await listed.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
