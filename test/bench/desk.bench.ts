// Desk benchmarks, on a copy of the test database (Shenyang 2101; a test run builds
// the Shenyang test database, built when missing):
// - desk.queue for a whole city through the router, as built and with 10,000 more open cases reported
//   across the city's grids;
// - the action round trip with 20 desks open: a server in its own process with the demo feed at 600 cases
//   a minute (200 × its default); each desk follows events.live (a step moves the case's row at once)
//   and re-reads its queue's first page at most once a second; a grid worker's report and an officer's
//   dispatch are timed until every desk has them on its live stream, and the re-reads are timed;
// - in headless Chromium (runDeskBrowserBench; the server in its own process, officers logged in by session
//   cookie): a city officer's cold loads of /desk (a new context each), navigation start → the queue's
//   first page drawn (rows attached, counts shown), and the switch to the overdue column (click → that
//   column's first page, as desk.queue answered it, is the list drawn), as built and with 10,000 more open
//   cases; then 20 desks open at once (street, county and city officers, one context each) with the demo
//   feed at 600 cases a minute: a case reported in one street, then dispatched through the API, timed until
//   all 20 pages show the row's new state (each page notes the moment by its own clock), and the pages'
//   JS heap after a full GC before and after.
// Run: npx tsx test/bench/desk.bench.ts, or BENCH_ONLY=desk npm run bench.

import { ensureTestDatabase } from './bench-paths';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRouter } from '../../server/routers/app';
import { createCallerFactory } from '../../server/trpc';
import { SqliteStore } from '../../server/store/sqlite-store';
import { MS_PER_DAY } from '../../server/domain/china-time';
import { principalFor, testContext } from '../support/context';
import { writeTestToken } from '../support/accounts';
import { spawnDatabaseServer } from '../support/server-process';
import { createTestClient } from '../support/trpc-client';
import { launchBrowser } from '../support/browser';
import { buildClientIfStale } from '../../server/client-build';
import { Accounts, SESSION_COOKIE } from '../../server/auth/accounts';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { measure, printTimings, type Timing } from './measure';

const CITY = '2101';
const EXTRA_OPEN_CASES = 10_000;

/**
 * Reports EXTRA_OPEN_CASES open cases across the city's grids (seeded; reported within the last 30 days,
 * due 15 days after their report), straight into the store.
 */
function reportExtraCases(store: SqliteStore): void {
  const grids = store.grids({ withinCode: CITY });
  const at = Date.now();
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  store.disputes.report(
    Array.from({ length: EXTRA_OPEN_CASES }, (_, i) => {
      const grid = grids[Math.floor(random() * grids.length)]!;
      const reportedAt = at - Math.floor(random() * 30 * MS_PER_DAY);
      return {
        type: 'neighbour' as const,
        source: 'patrol' as const,
        severity: 'general' as const,
        lngLat: grid.labelLngLat,
        summary: `bench ${i}`,
        parties: [],
        reportedAt,
        dueAt: reportedAt + 15 * MS_PER_DAY,
        actorRole: 'gridWorker',
        placeCode: grid.code,
        countyCode: grid.code.slice(0, 6),
        otherSideCode: null,
      };
    }),
  );
}

export async function runDeskBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-desk-bench-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(ensureTestDatabase(), databasePath);
  const store = new SqliteStore(databasePath, { writable: true });
  try {
    const caller = createCallerFactory(appRouter)(testContext(store, { principal: principalFor('city-officer', CITY) }));
    const openCount = () => store.disputes.queueCounts({ visibleIn: CITY }, Date.now());
    const timings: Timing[] = [];
    const run = async (label: string) => {
      const { byStatus } = openCount();
      const open = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
      timings.push(await measure(`${label}: first page`, () => caller.desk.queue({ within: CITY, limit: 50 }), { runs: 50, warmup: 5, note: `${open} open cases` }));
      timings.push(await measure(`${label}: overdue column`, () => caller.desk.queue({ within: CITY, column: 'overdue', limit: 50 }), { runs: 50, warmup: 5, note: `${open} open cases` }));
    };
    await run('as built');
    reportExtraCases(store);
    await run(`+${EXTRA_OPEN_CASES} reported`);
    printTimings('desk.queue for a city (router, createCaller)', timings);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const DESKS = 20;
const ROUND_TRIPS = 60;
const FEED_PER_MINUTE = 600;
/** A desk re-reads its queue at most this often while live entries arrive (client/src/modes/desk). */
const QUEUE_REFRESH_MS = 1_000;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** One open desk: the live stream of the city, and its queue re-read (throttled) after live entries. */
interface Desk {
  /** Case id → when this desk's live stream delivered the case's latest step, performance.now(). */
  stepSeen: Map<number, number>;
  unsubscribe(): void;
}

export async function runDeskRoundTripBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-desk-roundtrip-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(ensureTestDatabase(), databasePath);
  const credentials = writeTestToken(dir, 'city-officer', CITY);
  const server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: FEED_PER_MINUTE, env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
  const api = createTestClient(server.url, credentials.headers);
  const agent = new http.Agent({ keepAlive: true });
  const get = (path: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const request = http.get(`${server.url}${path}`, { agent, headers: credentials.headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
          else resolve((JSON.parse(Buffer.concat(chunks).toString()) as { result: { data: unknown } }).result.data);
        });
      });
      request.on('error', reject);
    });
  const queuePath = `/trpc/desk.queue?input=${encodeURIComponent(JSON.stringify({ within: CITY, limit: 50 }))}`;
  const queueTimes: number[] = [];
  const desks: Desk[] = [];
  try {
    let started = 0;
    for (let d = 0; d < DESKS; d++) {
      const desk: Desk = { stepSeen: new Map(), unsubscribe: () => {} };
      let timer: NodeJS.Timeout | null = null;
      let lastRead = 0;
      const readQueue = async (): Promise<void> => {
        timer = null;
        lastRead = performance.now();
        const begun = performance.now();
        await get(queuePath);
        queueTimes.push(performance.now() - begun);
      };
      const subscription = createTestClient(server.url).events.live.subscribe(
        { within: CITY },
        {
          onStarted: () => {
            started += 1;
          },
          onData: (event) => {
            const now = performance.now();
            for (const entry of event.data.entries) desk.stepSeen.set(entry.disputeId, now);
            if (timer === null) timer = setTimeout(() => void readQueue(), Math.max(0, lastRead + QUEUE_REFRESH_MS - now));
          },
        },
      );
      desk.unsubscribe = () => {
        subscription.unsubscribe();
        if (timer !== null) clearTimeout(timer);
      };
      desks.push(desk);
    }
    while (started < DESKS) await new Promise((resolve) => setTimeout(resolve, 20));

    // Each round: a grid worker's report reaches every desk (live), then an officer dispatches it.
    const db = new Database(databasePath, { readonly: true });
    const points = db.prepare(`SELECT label_lng AS lng, label_lat AS lat FROM grid WHERE code LIKE '${CITY}%' ORDER BY code LIMIT ${ROUND_TRIPS}`).all() as { lng: number; lat: number }[];
    db.close();
    const reportTimes: number[] = [];
    const liveTimes: number[] = [];
    const everyDesk = (id: number, since: number, seen: (desk: Desk) => Map<number, number>) => desks.every((desk) => (seen(desk).get(id) ?? 0) >= since);
    const latest = (id: number, seen: (desk: Desk) => Map<number, number>) => Math.max(...desks.map((desk) => seen(desk).get(id) ?? Infinity));
    const waitFor = async (condition: () => boolean, deadline: number) => {
      while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    for (const point of points) {
      const reported = performance.now();
      const report = await api.events.report.mutate({ lngLat: [point.lng, point.lat], type: 'neighbour', source: 'patrol' });
      await waitFor(() => everyDesk(report.id, reported, (desk) => desk.stepSeen), reported + 30_000);
      reportTimes.push(latest(report.id, (desk) => desk.stepSeen) - reported);

      const begun = performance.now();
      await api.events.transition.mutate({ id: report.id, action: 'assign', version: report.version });
      await waitFor(() => everyDesk(report.id, begun, (desk) => desk.stepSeen), begun + 30_000);
      liveTimes.push(latest(report.id, (desk) => desk.stepSeen) - begun);
    }
    reportTimes.sort((a, b) => a - b);
    liveTimes.sort((a, b) => a - b);
    queueTimes.sort((a, b) => a - b);
    const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'missed');
    console.log(`\n## Desk action round trip: ${DESKS} desks open on ${CITY}, demo feed ${FEED_PER_MINUTE} cases/min, ${liveTimes.length} dispatches`);
    console.log('| measure | p50 | p95 | max |');
    console.log('|---|---:|---:|---:|');
    console.log(`| report → the case on every desk's live stream, ms | ${ms(quantile(reportTimes, 0.5))} | ${ms(quantile(reportTimes, 0.95))} | ${ms(reportTimes.at(-1)!)} |`);
    console.log(`| transition → step on every desk's live stream, ms | ${ms(quantile(liveTimes, 0.5))} | ${ms(quantile(liveTimes, 0.95))} | ${ms(liveTimes.at(-1)!)} |`);
    console.log(`| one desk's queue re-read (first page, ≤ 1/s per desk while entries arrive), ms | ${ms(quantile(queueTimes, 0.5))} | ${ms(quantile(queueTimes, 0.95))} | ${ms(queueTimes.at(-1)!)} |`);
  } finally {
    for (const desk of desks) desk.unsubscribe();
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- In the browser: the desk as officers see it (headless Chromium, the server in its own process) ---

/** 沈河区滨河街道 and its county (沈河区): the street every desk of the round trips shows. */
const STREET = '210103005';
const COUNTY = '210103';
const PASSWORD = 'desk-bench-password-2026';
const COLD_LOADS = 10;
const SWITCHES = 10;
/** The desks' officers in the round trips: street, county and city. */
const DESK_OFFICERS: readonly { role: 'street-officer' | 'county-officer' | 'city-officer'; jurisdiction: string; count: number }[] = [
  { role: 'street-officer', jurisdiction: STREET, count: 8 },
  { role: 'county-officer', jurisdiction: COUNTY, count: 6 },
  { role: 'city-officer', jurisdiction: CITY, count: 6 },
];
/**
 * The filter every desk of the round trips has on (a rare pair, a handful of open cases in the city):
 * the cases reported for the round trips are on the first page of a county's and a city's queue too,
 * whose unfiltered first pages hold their most overdue cases.
 */
const ROUND_TRIP_FILTER = { type: 'medical', source: 'petition' } as const;
const BROWSER_ROUND_TRIPS = 20;
const SOAK_MS = 30_000;
const DESK_READY = '.mode-desk[data-desk-ready][data-live="live"]';

/** Users of the round trips and a city officer, each with a session opened (before the server starts). */
async function writeDeskSessions(dir: string): Promise<{ accountsPath: string; city: string; desks: { role: string; sessionId: string; path: string }[] }> {
  const accountsPath = join(dir, 'accounts.sqlite');
  const accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
  let logins = 0;
  // Each login from its own address (the login limit counts per address).
  const login = async (username: string) => (await accounts.login(username, PASSWORD, `127.1.${Math.floor(logins / 250)}.${(logins++ % 250) + 2}`)).sessionId;
  try {
    await accounts.addUser('bench', { username: 'bench-city', role: 'city-officer', jurisdiction: CITY, password: PASSWORD });
    const city = await login('bench-city');
    const desks: { role: string; sessionId: string; path: string }[] = [];
    const filter = new URLSearchParams(ROUND_TRIP_FILTER).toString();
    for (const { role, jurisdiction, count } of DESK_OFFICERS) {
      for (let i = 0; i < count; i++) {
        const username = `bench-${role}-${i}`;
        await accounts.addUser('bench', { username, role, jurisdiction, password: PASSWORD });
        desks.push({ role, sessionId: await login(username), path: `/desk?${filter}` });
      }
    }
    return { accountsPath, city, desks };
  } finally {
    accounts.store.close();
  }
}

async function loggedInContext(browser: Browser, url: string, sessionId: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, serviceWorkers: 'block' });
  await context.addCookies([{ name: SESSION_COOKIE, value: sessionId, url }]);
  return context;
}

interface QueueDrawn {
  /** ms from navigation start: the first page's rows attached and the counts shown. */
  at: number;
  rows: number;
  /** The "all" tab's count. */
  count: number;
  /** The city's desk.queue request (ms from navigation start), and auth.me's answer. */
  queueStart: number;
  queueEnd: number;
  meEnd: number;
}

/**
 * Records, in the page, when the city's queue is first drawn: rows attached and the counts shown (an init
 * script, a string: tsx's transform may wrap named functions in a helper the page lacks). Also keeps
 * every desk.queue answer of a column (window.deskAnswers) for the column switch.
 */
async function watchQueueDrawn(context: BrowserContext): Promise<void> {
  await context.addInitScript(`(() => {
    window.deskAnswers = {};
    const originalFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await originalFetch(input, init);
      const url = decodeURIComponent(typeof input === 'string' ? input : input.url || String(input));
      const column = /desk\\.queue/.test(url) ? (/"column":"(\\w+)"/.exec(url) || [])[1] : undefined;
      if (column) {
        response.clone().json().then((body) => {
          const data = body && body.result && body.result.data;
          if (data && data.cases) window.deskAnswers[column] = { at: performance.now(), ids: data.cases.map((row) => row.id) };
        }, () => {});
      }
      return response;
    };
    const record = () => {
      const root = document.querySelector('.mode-desk[data-region="${CITY}"]');
      if (!root) return false;
      const rows = root.querySelectorAll('.queue-row[data-case]').length;
      const count = root.querySelector('.column-tab[data-column="all"] .column-count');
      if (rows === 0 || !count || count.getAttribute('data-count') === '') return false;
      const at = performance.now();
      const entries = performance.getEntriesByType('resource');
      const queue = entries.find((entry) => decodeURIComponent(entry.name).includes('desk.queue') && decodeURIComponent(entry.name).includes('"within":"${CITY}"'));
      const me = entries.find((entry) => entry.name.includes('auth.me'));
      window.deskDrawn = { at, rows, count: Number(count.getAttribute('data-count')), queueStart: queue ? queue.startTime : NaN, queueEnd: queue ? queue.responseEnd : NaN, meEnd: me ? me.responseEnd : NaN };
      return true;
    };
    const observer = new MutationObserver(() => {
      if (record()) observer.disconnect();
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  })();`);
}

/** Clicks the overdue tab; answers ms until the column's first page (as desk.queue answered it) is the list drawn. */
async function switchToOverdue(page: Page): Promise<{ ms: number; rows: number }> {
  return page.evaluate(`(async () => {
    const start = performance.now();
    window.deskAnswers = {};
    document.querySelector('.column-tab[data-column="overdue"]').click();
    return await new Promise((resolve, reject) => {
      const check = () => {
        const answer = window.deskAnswers.overdue;
        const root = document.querySelector('.mode-desk[data-column="overdue"]');
        if (answer && root) {
          const ids = Array.from(root.querySelectorAll('.queue-row[data-case]'), (row) => Number(row.getAttribute('data-case')));
          if (ids.length === answer.ids.length && ids.every((id, i) => id === answer.ids[i])) return resolve({ ms: performance.now() - start, rows: ids.length });
        }
        if (performance.now() - start > 60000) return reject(new Error('the overdue column was not drawn in 60 s'));
        requestAnimationFrame(check);
      };
      // Polled every frame and on every change of the list.
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
      requestAnimationFrame(check);
    });
  })()`);
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? NaN };
};
const ms0 = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'missed');

/** COLD_LOADS cold loads of the city's desk (a new context each), then SWITCHES switches to the overdue column. */
async function measureCityDesk(browser: Browser, url: string, sessionId: string, label: string): Promise<string[]> {
  // One untimed load: the server's first answers (code paths, SQLite's page cache) out of the timings.
  const warm = await loggedInContext(browser, url, sessionId);
  const warmPage = await warm.newPage();
  await warmPage.goto(`${url}/desk`);
  await warmPage.waitForSelector(DESK_READY, { state: 'attached', timeout: 120_000 });
  await warm.close();
  const drawn: QueueDrawn[] = [];
  const switches: number[] = [];
  let switchRows = 0;
  for (let run = 0; run < Math.max(COLD_LOADS, SWITCHES); run++) {
    const context = await loggedInContext(browser, url, sessionId);
    try {
      await watchQueueDrawn(context);
      const page = await context.newPage();
      await page.goto(`${url}/desk`, { waitUntil: 'commit' });
      await page.waitForFunction(() => 'deskDrawn' in window, undefined, { timeout: 120_000, polling: 50 });
      if (run < COLD_LOADS) drawn.push(await page.evaluate(() => (window as unknown as { deskDrawn: QueueDrawn }).deskDrawn));
      if (run < SWITCHES) {
        // The column switch from a settled desk: live, its first answers in.
        // (The live stream stays open: no network idle to wait for; the feed is off, so nothing re-reads.)
        await page.waitForSelector(DESK_READY, { state: 'attached', timeout: 60_000 });
        await page.waitForTimeout(500);
        const switched = await switchToOverdue(page);
        switches.push(switched.ms);
        switchRows = switched.rows;
      }
    } finally {
      await context.close();
    }
  }
  const at = stats(drawn.map((d) => d.at));
  const queueEnd = stats(drawn.map((d) => d.queueEnd));
  const queueSpan = stats(drawn.map((d) => d.queueEnd - d.queueStart));
  const meEnd = stats(drawn.map((d) => d.meEnd));
  const afterAnswer = stats(drawn.map((d) => d.at - d.queueEnd));
  const switched = stats(switches);
  const first = drawn[0]!;
  const note = `${first.count} open cases; ${first.rows} rows`;
  return [
    `| ${label}: navigation → first page drawn (rows + counts) | ${drawn.length} | ${ms0(at.p50)} | ${ms0(at.p90)} | ${ms0(at.max)} | ${note} |`,
    `| ${label}: navigation → auth.me answered | ${drawn.length} | ${ms0(meEnd.p50)} | ${ms0(meEnd.p90)} | ${ms0(meEnd.max)} | |`,
    `| ${label}: navigation → desk.queue answered | ${drawn.length} | ${ms0(queueEnd.p50)} | ${ms0(queueEnd.p90)} | ${ms0(queueEnd.max)} | request itself p50 ${ms0(queueSpan.p50)} ms |`,
    `| ${label}: desk.queue answered → rows drawn | ${drawn.length} | ${ms0(afterAnswer.p50)} | ${ms0(afterAnswer.p90)} | ${ms0(afterAnswer.max)} | |`,
    `| ${label}: click overdue tab → its first page drawn | ${switches.length} | ${ms0(switched.p50)} | ${ms0(switched.p90)} | ${ms0(switched.max)} | ${switchRows} rows; cold query cache |`,
  ];
}

interface BrowserDesk {
  role: string;
  page: Page;
  cdp: CDPSession;
  errors: string[];
}

/** Used JS heap of a page after a full garbage collection, bytes. */
async function heapAfterGc(desk: BrowserDesk): Promise<number> {
  await desk.cdp.send('HeapProfiler.collectGarbage');
  return (await desk.cdp.send('Runtime.getHeapUsage')).usedSize;
}

/**
 * 20 desks open at once with the demo feed at FEED_PER_MINUTE: cases reported through the API in the
 * street every desk shows (each desk filtered to ROUND_TRIP_FILTER), then dispatched; each dispatch is
 * timed from the API call to the moment the last of the 20 pages shows the row's new state (read in
 * each page: Date.now() when its row's data-state changed).
 */
async function measureTwentyDesks(browser: Browser, dir: string, databasePath: string, sessions: Awaited<ReturnType<typeof writeDeskSessions>>): Promise<string[]> {
  const credentials = writeTestToken(dir, 'city-officer', CITY);
  const server = await spawnDatabaseServer(databasePath, { liveRatePerMinute: FEED_PER_MINUTE, env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
  const contexts: BrowserContext[] = [];
  try {
    const api = createTestClient(server.url, credentials.headers);
    const db = new Database(databasePath, { readonly: true });
    // A place inside the street, off its boundary lines (an existing case's).
    const place = db.prepare(`SELECT lng, lat FROM dispute WHERE grid_code LIKE '${STREET}%' AND other_side_code IS NULL LIMIT 1`).get() as { lng: number; lat: number };
    db.close();
    const desks: BrowserDesk[] = [];
    for (const session of sessions.desks) {
      const context = await loggedInContext(browser, server.url, session.sessionId);
      contexts.push(context);
      const page = await context.newPage();
      const desk: BrowserDesk = { role: session.role, page, cdp: await context.newCDPSession(page), errors: [] };
      page.on('pageerror', (error) => desk.errors.push(error.message));
      await page.goto(`${server.url}${session.path}`);
      await page.waitForSelector(DESK_READY, { state: 'attached', timeout: 120_000 });
      // Each page notes when each queue row first appears, by its own clock (the machine's): measured in
      // the page, not by polling 20 pages over the DevTools protocol.
      await page.evaluate(`(() => {
        window.rowSeenAt = {};
        const check = () => {
          for (const row of document.querySelectorAll('.queue-row[data-case]')) {
            const id = row.getAttribute('data-case');
            if (!(id in window.rowSeenAt)) window.rowSeenAt[id] = Date.now();
          }
        };
        new MutationObserver(check).observe(document.body, { subtree: true, childList: true });
        check();
      })()`);
      desks.push(desk);
    }
    const openRows = await Promise.all(desks.map((desk) => desk.page.locator('.queue-row[data-case]').count()));
    const heapBefore = await Promise.all(desks.map(heapAfterGc));
    const started = performance.now();

    const reportTimes: number[] = [];
    const dispatchTimes: number[] = [];
    const refused: string[] = [];
    for (let round = 0; round < BROWSER_ROUND_TRIPS; round++) {
      const reported = Date.now();
      const report = await api.events.report.mutate({ lngLat: [place.lng, place.lat], ...ROUND_TRIP_FILTER, severity: 'general', idempotencyKey: `desk-bench-${reported}-${round}` });
      const row = `.queue-row[data-case="${report.id}"]`;
      // A new case comes with its live entry (or, where the page's filters cannot tell, the re-read).
      const seenAt = await Promise.all(
        desks.map((desk) =>
          desk.page
            .waitForFunction((id) => (window as unknown as { rowSeenAt: Record<string, number> }).rowSeenAt[id] !== undefined, String(report.id), { timeout: 30_000, polling: 100 })
            .then(() => desk.page.evaluate((id) => (window as unknown as { rowSeenAt: Record<string, number> }).rowSeenAt[id]!, String(report.id)), () => Infinity),
        ),
      );
      if (seenAt.includes(Infinity)) {
        reportTimes.push(Infinity);
        refused.push(`#${report.id}: not on ${seenAt.filter((at) => at === Infinity).length} pages after 30 s`);
        continue;
      }
      reportTimes.push(Math.max(...seenAt) - reported);
      // Each page notes when the row leaves 'reported' (data-state), by its own clock.
      await Promise.all(
        desks.map((desk) =>
          desk.page.evaluate(`(() => {
            window.deskStep = null;
            const check = () => {
              const row = document.querySelector('${row}');
              if (window.deskStep === null && row && row.getAttribute('data-state') !== 'reported') {
                window.deskStep = { at: Date.now(), state: row.getAttribute('data-state') };
                observer.disconnect();
              }
            };
            const observer = new MutationObserver(check);
            observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
            check();
          })()`),
        ),
      );
      const begun = Date.now();
      try {
        await api.events.transition.mutate({ id: report.id, action: 'assign', version: report.version });
      } catch (error) {
        // The feed may step a case first (a conflict): that round is left out.
        refused.push(`#${report.id}: ${(error as Error).message}`);
        continue;
      }
      const steps = await Promise.all(
        desks.map(async (desk) => {
          const seen = await desk.page.waitForFunction(() => (window as unknown as { deskStep: unknown }).deskStep !== null, undefined, { timeout: 30_000, polling: 50 }).then(() => true, () => false);
          return seen ? desk.page.evaluate(() => (window as unknown as { deskStep: { at: number; state: string } }).deskStep) : { at: Infinity, state: 'not shown in 30 s' };
        }),
      );
      if (steps.some((step) => step.state !== 'assigned')) refused.push(`#${report.id}: shown as ${[...new Set(steps.map((step) => step.state))].join('/')}`);
      dispatchTimes.push(Math.max(...steps.map((step) => step.at)) - begun);
    }
    const seconds = (performance.now() - started) / 1000;
    const heapAfter = await Promise.all(desks.map(heapAfterGc));
    // Then the feed alone for SOAK_MS: a heap that keeps growing would show here.
    await new Promise((resolve) => setTimeout(resolve, SOAK_MS));
    const heapSoaked = await Promise.all(desks.map(heapAfterGc));
    const live = await Promise.all(desks.map((desk) => desk.page.locator(DESK_READY).count()));
    const errors = desks.flatMap((desk) => desk.errors);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const heapRow = (label: string, values: number[]) => {
      const s = stats(values);
      return `| ${label} | ${mib(s.p50)} | ${mib(s.max)} | ${mib(values.reduce((sum, v) => sum + v, 0))} |`;
    };
    const report = stats(reportTimes);
    const dispatch = stats(dispatchTimes);
    const roles = DESK_OFFICERS.map(({ role, count }) => `${count} ${role}s`).join(', ');
    return [
      `\n## Browser: ${desks.length} desks open at once (${roles}; each its own context, filtered ?type=${ROUND_TRIP_FILTER.type}&source=${ROUND_TRIP_FILTER.source}: ${Math.min(...openRows)}–${Math.max(...openRows)} rows on a page at the start), demo feed ${FEED_PER_MINUTE} cases/min, ${dispatchTimes.length} dispatches in ${STREET} over ${seconds.toFixed(0)} s`,
      '| measure | p50 ms | p95 ms | max ms |',
      '|---|---:|---:|---:|',
      `| report (API) → the row on all ${desks.length} pages (from the live entry; page clocks) | ${ms0(report.p50)} | ${ms0(report.p95)} | ${ms0(report.max)} |`,
      `| dispatch (API transition) → the row's new state on all ${desks.length} pages (page clocks) | ${ms0(dispatch.p50)} | ${ms0(dispatch.p95)} | ${ms0(dispatch.max)} |`,
      '',
      `JS heap of the pages after a full GC (Runtime.getHeapUsage), MiB; still live at the end: ${live.reduce((sum, n) => sum + n, 0)} of ${desks.length}; page errors: ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 3).join('; ')})` : ''}${refused.length ? `; rounds left out or shown otherwise: ${refused.join('; ')}` : ''}`,
      '| when | median per page | max per page | all pages |',
      '|---|---:|---:|---:|',
      heapRow('all 20 open, before the dispatches', heapBefore),
      heapRow(`after ${seconds.toFixed(0)} s of dispatches with the feed (${BROWSER_ROUND_TRIPS} rows more on each page)`, heapAfter),
      heapRow(`then ${SOAK_MS / 1000} s more of the feed alone`, heapSoaked),
    ];
  } finally {
    await Promise.all(contexts.map((context) => context.close().catch(() => {})));
    await server.stop();
  }
}

/**
 * The desk in headless Chromium, the server in its own process on a copy of the test database: a city
 * officer's cold loads of /desk and switches to the overdue column (as built, then with EXTRA_OPEN_CASES
 * more open cases), then 20 desks open at once with the demo feed at FEED_PER_MINUTE (measureTwentyDesks).
 */
export async function runDeskBrowserBench(): Promise<void> {
  await buildClientIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'atlas-desk-browser-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(ensureTestDatabase(), databasePath);
  const sessions = await writeDeskSessions(dir);
  const browser = await launchBrowser();
  try {
    const rows: string[] = [];
    for (const label of ['as built', `+${EXTRA_OPEN_CASES} reported`]) {
      if (label !== 'as built') {
        const store = new SqliteStore(databasePath, { writable: true });
        try {
          reportExtraCases(store);
        } finally {
          store.close();
        }
      }
      // The feed off: the data stays as described.
      const server = await spawnDatabaseServer(databasePath, { env: { ATLAS_ACCOUNTS_DB: sessions.accountsPath } });
      try {
        rows.push(...(await measureCityDesk(browser, server.url, sessions.city, label)));
      } finally {
        await server.stop();
      }
    }
    console.log(`\n## Browser: a city officer's /desk (${CITY}), 1366 × 768, headless Chromium, server in its own process; ${COLD_LOADS} cold loads (a new context each) and ${SWITCHES} column switches`);
    console.log('| measure | runs | median ms | p90 ms | max ms | note |');
    console.log('|---|---:|---:|---:|---:|---|');
    for (const row of rows) console.log(row);

    // A fresh copy for the round trips (the feed catches it up to now first, as in runDeskRoundTripBench).
    copyFileSync(ensureTestDatabase(), databasePath);
    for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
    for (const line of await measureTwentyDesks(browser, dir, databasePath, sessions)) console.log(line);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('desk.bench.ts')) {
  await runDeskBench();
  await runDeskRoundTripBench();
  await runDeskBrowserBench();
}
