// Browser pages of users logged in by session cookie (as the login page would set it), for tests of the
// pages officers work on (/desk, /desk/boundaries) and of a grid worker's phone form (/report): each context logs in from its own client address (the
// login limits count per address), and every context opened is closed after each test.

import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/auth/accounts';
import type { RunningServer } from '../../server/index';

export interface LoggedInPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions on the page. */
  errors: string[];
  /** The page's API traffic in the order the browser saw it: each /trpc/ request sent and each response received. */
  api: { event: 'request' | 'response'; url: string }[];
}

export class LoggedInPages {
  private readonly contexts: BrowserContext[] = [];
  private logins = 0;

  constructor(
    private readonly browser: Browser,
    private readonly server: RunningServer,
    private readonly password: string,
    private readonly viewport = { width: 1366, height: 768 },
  ) {}

  /** A fresh session cookie of `username`. */
  async sessionCookie(username: string): Promise<{ name: string; value: string; url: string }> {
    this.logins += 1;
    const { sessionId } = await this.server.accounts.login(username, this.password, `127.0.${Math.floor(this.logins / 250)}.${(this.logins % 250) + 2}`);
    return { name: SESSION_COOKIE, value: sessionId, url: this.server.url };
  }

  /**
   * A page logged in as `username`, opened at `path` and waited on until `readySelector` is attached;
   * `contextOptions` change the browser context (a phone's viewport and touch, say).
   */
  async open(username: string, path: string, readySelector: string, contextOptions: BrowserContextOptions = {}): Promise<LoggedInPage> {
    const context = await this.browser.newContext({ viewport: this.viewport, deviceScaleFactor: 1, serviceWorkers: 'block', ...contextOptions });
    this.contexts.push(context);
    await context.addCookies([await this.sessionCookie(username)]);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const opened: LoggedInPage = { page, context, errors: [], api: [] };
    page.on('pageerror', (error) => opened.errors.push(error.message));
    page.on('request', (request) => {
      if (request.url().includes('/trpc/')) opened.api.push({ event: 'request', url: decodeURIComponent(request.url()) });
    });
    page.on('response', (response) => {
      if (response.url().includes('/trpc/')) opened.api.push({ event: 'response', url: decodeURIComponent(response.url()) });
    });
    await page.goto(`${this.server.url}${path}`);
    await page.waitForSelector(readySelector, { state: 'attached' });
    return opened;
  }

  /** Closes every context opened so far (call after each test). */
  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close().catch(() => {})));
  }
}
