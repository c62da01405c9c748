// Headless Chromium for browser tests (Debian's /usr/bin/chromium through playwright-core, WebGL2 via
// SwiftShader), and a server on a free port serving the built client and the test database.

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { inject } from 'vitest';
import { buildClientIfStale } from '../../server/client-build';
import { startServer, type RunningServer, type ServerOptions } from '../../server/index';
import { paths } from '../../server/paths';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium fonts-noto-cjk)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-sandbox',
    ],
  });
}

/** A page with what it asked for and what went wrong on it. */
export interface TrackedPage {
  page: Page;
  /** Hosts of every request (data: and blob: excepted): offline pages ask only their own server. */
  hosts: Set<string>;
  /** Paths of the JavaScript files loaded. */
  scripts: Set<string>;
  /** Uncaught exceptions and console errors. */
  errors: string[];
}

/** Opens a page at device scale 1 that records its requests and errors (navigate it yourself). */
export async function newTrackedPage(browser: Browser, viewport: { width: number; height: number }): Promise<TrackedPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const tracked: TrackedPage = { page, hosts: new Set(), scripts: new Set(), errors: [] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:') tracked.hosts.add(url.host);
    if (url.pathname.endsWith('.js')) tracked.scripts.add(url.pathname);
  });
  page.on('pageerror', (error) => tracked.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') tracked.errors.push(message.text());
  });
  return tracked;
}

/**
 * Builds the client if stale and serves it with the test database on a free port; `options` may name an
 * accounts file (users and tokens made beforehand) and what anonymous callers may do.
 */
export async function startTestServer(options: Pick<ServerOptions, 'accountsPath' | 'anonymous'> = {}): Promise<RunningServer> {
  await buildClientIfStale();
  return startServer({ databasePath: inject('databasePath'), clientDir: paths.clientDir, port: 0, ...options });
}

export interface WritableTestServer {
  server: RunningServer;
  /** Closes the server and deletes its copy of the database. */
  close(): Promise<void>;
}

/**
 * Builds the client if stale and serves it on a free port from a writable copy of the test database, in a
 * new temporary folder named from `prefix`, writes not rate-limited (tests write in bursts). `env` is set
 * while the server starts (settings it reads once, as ATLAS_SLA_DAYS) and put back at once.
 */
export async function startWritableTestServer(prefix: string, env: Record<string, string> = {}): Promise<WritableTestServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  await buildClientIfStale();
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  let server: RunningServer;
  try {
    server = await startServer({ databasePath, clientDir: paths.clientDir, port: 0, writable: true, httpLimits: { writes: null } });
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return {
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the map reports idle with all its data drawn. */
export async function waitForMapIdle(page: Page, timeout = 90_000): Promise<void> {
  await page.waitForSelector('.atlas-map[data-map-state="idle"]', { state: 'attached', timeout });
}

/** Projects [lng, lat] to CSS pixels of the page through the map on the page. */
export async function projectToPage(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((position) => {
    const container = document.querySelector('.atlas-map') as HTMLDivElement & {
      maplibreMap: { project: (p: [number, number]) => { x: number; y: number } };
    };
    const point = container.maplibreMap.project(position);
    const rect = container.getBoundingClientRect();
    return { x: rect.left + point.x, y: rect.top + point.y };
  }, lngLat);
}

export interface Screenshot {
  png: PNG;
  /** [r, g, b] at CSS pixel (x, y), for a screenshot taken at device scale 1. */
  pixel(x: number, y: number): [number, number, number];
}

export function decodeScreenshot(buffer: Buffer): Screenshot {
  const png = PNG.sync.read(buffer);
  return {
    png,
    pixel(x, y) {
      const index = (Math.round(y) * png.width + Math.round(x)) * 4;
      return [png.data[index]!, png.data[index + 1]!, png.data[index + 2]!];
    },
  };
}

/** Largest per-channel difference between two colours. */
export function colorDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}

/** A fill colour with alpha drawn over an opaque background. */
export function blend(fill: readonly number[], background: readonly number[]): [number, number, number] {
  const alpha = (fill[3] ?? 255) / 255;
  return [0, 1, 2].map((i) => Math.round(fill[i]! * alpha + background[i]! * (1 - alpha))) as [number, number, number];
}

export interface AxeViolation {
  id: string;
  impact: string;
  /** The CSS targets of the elements at fault. */
  nodes: string[];
}

/**
 * axe-core's violations on the page at the given impacts (default critical), evaluated through the
 * DevTools protocol: the pages' CSP rightly refuses a script tag.
 */
export async function axeViolations(page: Page, impacts: readonly string[] = ['critical']): Promise<AxeViolation[]> {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] };
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<Result> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((node) => JSON.stringify(node.target)) }));
  });
  return violations.filter((v) => impacts.includes(v.impact));
}
