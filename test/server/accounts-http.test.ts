// Accounts over HTTP, as a hostile user would try them: logins and their cookies, brute force against
// one account (lockout) and from one address (rate limit), sessions ended by logout, a disabled account
// or a password reset, bearer tokens and wall-display links revoked, writes from another site, the
// one-time password, the security headers, free text masked for viewers, the audit chain (what it
// records, and a tampered one detected), and no personal data in any log line or error body.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { SqliteStore } from '../../server/store/sqlite-store';

const STREET = '210103005';
const PASSWORD = 'correct-horse-battery';
/** Personal data written into a case: none of it may reach a log line or an error body. */
const NAME = '欧阳测试甲';
const PHONE = '13800001111';
const ID_CARD = '21010319800101123X';

let dir: string;
let accountsPath: string;
let running: RunningServer;
const logs: string[] = [];
const errorBodies: string[] = [];
let point: [number, number];

interface Answer {
  status: number;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code: string } } };
  cookies: string[];
  headers: Headers;
}

async function send(method: 'GET' | 'POST', path: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const url = method === 'GET' ? `${running.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}` : `${running.url}/trpc/${path}`;
  const response = await fetch(url, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    body: method === 'POST' ? JSON.stringify(input ?? {}) : undefined,
    redirect: 'manual',
  });
  const text = await response.text();
  if (response.status >= 400) errorBodies.push(text);
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {}, cookies: response.headers.getSetCookie(), headers: response.headers };
}

const query = (path: string, input: unknown, headers?: Record<string, string>) => send('GET', path, input, headers);
const mutate = (path: string, input: unknown, headers?: Record<string, string>) => send('POST', path, input, headers);

/** The cookie header to send back for a response's Set-Cookie of `name`. */
function cookieFrom(answer: Answer, name: string): string {
  const cookie = answer.cookies.find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(answer.cookies)}`);
  return cookie.split(';')[0]!;
}

async function login(username: string, password = PASSWORD): Promise<string> {
  const answer = await mutate('auth.login', { username, password });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return cookieFrom(answer, 'atlas_session');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-accounts-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  accountsPath = join(dir, 'accounts.sqlite');
  running = await startServer({
    databasePath,
    accountsPath,
    port: 0,
    writable: true,
    anonymous: 'none',
    heavyThreads: 1,
    httpLimits: { writes: null, poolReads: null },
    // Generous per-address logins: the rate limit has its own server below.
    accountOptions: { loginLimit: { perSecond: 100, burst: 1000 } },
    log: (m) => logs.push(m),
    requestLog: (m) => logs.push(m),
  });
  const { accounts } = running;
  for (const [username, role, jurisdiction] of [
    ['admin1', 'admin', '21'],
    ['street1', 'street-officer', STREET],
    ['viewer1', 'viewer', '210103'],
    ['victim', 'viewer', '2101'],
    ['leaver', 'city-officer', '2101'],
  ] as const) {
    await accounts.addUser('test', { username, role, jurisdiction, password: PASSWORD });
  }
  const store = new SqliteStore(databasePath);
  point = store.grids({ withinCode: STREET })[0]!.labelLngLat;
  store.close();
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('logins and sessions', () => {
  it('answers nobody but meta.health and auth.login without a session when anonymous access is off', async () => {
    expect((await query('meta.health', undefined)).status).toBe(200);
    const refused = await query('dashboard.summary', { within: STREET });
    expect(refused.status).toBe(401);
    expect(refused.body.error?.message).toMatch(/log in first/);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that expires, and answers auth.me with it', async () => {
    const answer = await mutate('auth.login', { username: 'street1', password: PASSWORD });
    expect(answer.status).toBe(200);
    expect(answer.body.result?.data).toMatchObject({ username: 'street1', role: 'street-officer', jurisdiction: STREET, mustChangePassword: false });
    const cookie = answer.cookies.find((c) => c.startsWith('atlas_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    const me = await query('auth.me', undefined, { cookie: cookieFrom(answer, 'atlas_session') });
    expect(me.body.result?.data).toMatchObject({ username: 'street1', role: 'street-officer', jurisdiction: STREET, jurisdictionName: '滨河街道', kind: 'user' });
    // Behind a proxy that terminates HTTPS, cookies are marked Secure.
    process.env.ATLAS_SECURE_COOKIES = '1';
    try {
      const proxied = await mutate('auth.login', { username: 'street1', password: PASSWORD });
      expect(proxied.cookies.find((c) => c.startsWith('atlas_session='))).toMatch(/; Secure$/);
    } finally {
      delete process.env.ATLAS_SECURE_COOKIES;
    }
  });

  it('refuses a wrong password and an unknown user with the same message', async () => {
    const wrong = await mutate('auth.login', { username: 'street1', password: 'not-the-password' });
    const unknown = await mutate('auth.login', { username: 'nobody-here', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error?.message).toBe(unknown.body.error?.message);
  });

  it('locks an account after five wrong passwords: then even the right one is refused', async () => {
    for (let attempt = 0; attempt < 5; attempt++) expect((await mutate('auth.login', { username: 'victim', password: `guess-${attempt}-xxxxx` })).status).toBe(401);
    const locked = await mutate('auth.login', { username: 'victim', password: PASSWORD });
    expect(locked.status).toBe(401);
    expect(locked.body.error?.message).toMatch(/locked/);
    const audit = running.accounts.store.audit({ action: 'login-failed', limit: 100 }).filter((entry) => entry.target === 'user:victim');
    expect(audit.map((entry) => entry.detail.reason)).toEqual(['password', 'password', 'password', 'password', 'password', 'locked']);
    expect(audit[4]!.detail.locked).toBe(true);
  });

  it('ends a session at logout, clearing the cookie; the old cookie is refused afterwards', async () => {
    const cookie = await login('viewer1');
    const out = await mutate('auth.logout', {}, { cookie });
    expect(out.status).toBe(200);
    expect(out.cookies.some((c) => c.startsWith('atlas_session=;') && /Max-Age=0/.test(c))).toBe(true);
    const after = await query('auth.me', undefined, { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error?.message).toMatch(/session has ended/);
    // A request that only logs in goes through despite the stale cookie.
    expect((await mutate('auth.login', { username: 'viewer1', password: PASSWORD }, { cookie })).status).toBe(200);
  });

  it("ends a user's sessions when the account is disabled", async () => {
    const cookie = await login('leaver');
    expect((await query('auth.me', undefined, { cookie })).status).toBe(200);
    const admin = await login('admin1');
    expect((await mutate('admin.setDisabled', { username: 'leaver', disabled: true }, { cookie: admin })).status).toBe(200);
    expect((await query('auth.me', undefined, { cookie })).status).toBe(401);
    expect((await mutate('auth.login', { username: 'leaver', password: PASSWORD })).status).toBe(401);
  });

  it('makes a user with a one-time password change it before anything else', async () => {
    const admin = await login('admin1');
    const added = await mutate('admin.addUser', { username: 'newcomer', role: 'county-officer', jurisdiction: '210103' }, { cookie: admin });
    const oneTime = (added.body.result?.data as { password: string }).password;
    expect(oneTime).toMatch(/^[\w]{4}-[\w]{4}-[\w]{4}-[\w]{4}$/);
    const cookie = await login('newcomer', oneTime);
    const blocked = await query('dashboard.summary', { within: '210103' }, { cookie });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error?.message).toMatch(/change your one-time password/);
    expect((await mutate('auth.changePassword', { current: oneTime, next: 'short' }, { cookie })).status).toBe(400);
    expect((await mutate('auth.changePassword', { current: 'wrong-one-time', next: PASSWORD }, { cookie })).status).toBe(400);
    expect((await mutate('auth.changePassword', { current: oneTime, next: PASSWORD }, { cookie })).status).toBe(200);
    expect((await query('dashboard.summary', { within: '210103' }, { cookie })).status).toBe(200);
  });
});

describe('tokens and wall displays', () => {
  it('scopes a bearer token to its role and jurisdiction, and refuses it once revoked', async () => {
    const admin = await login('admin1');
    const added = await mutate('admin.addToken', { role: 'viewer', jurisdiction: '210103', label: 'script' }, { cookie: admin });
    const { id, token } = added.body.result?.data as { id: number; token: string };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await query('auth.me', undefined, bearer)).body.result?.data).toMatchObject({ role: 'viewer', jurisdiction: '210103', kind: 'token' });
    expect((await query('dashboard.summary', { within: '210103' }, bearer)).status).toBe(200);
    expect((await query('dashboard.summary', { within: '2101' }, bearer)).status).toBe(403);
    expect((await mutate('admin.revokeToken', { id }, { cookie: admin })).status).toBe(200);
    const revoked = await query('dashboard.summary', { within: '210103' }, bearer);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.message).toMatch(/unknown or revoked/);
    // A made-up token never falls back to anonymous access.
    expect((await query('meta.health', undefined, { authorization: 'Bearer made-up' })).status).toBe(200);
    expect((await query('dashboard.summary', { within: '210103' }, { authorization: 'Bearer made-up' })).status).toBe(401);
  });

  it('opens the wall from a kiosk link, answers the wall and nothing else, and stops when the token is revoked', async () => {
    const { token, record } = running.accounts.addToken('test', { role: 'kiosk', jurisdiction: STREET, screenOnly: true });
    const link = await fetch(`${running.url}/kiosk/${token}`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe('/screen');
    const kioskCookie = link.headers.getSetCookie().find((c) => c.startsWith('atlas_kiosk='))!;
    expect(kioskCookie).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = kioskCookie.split(';')[0]!;
    expect((await query('dashboard.summary', { within: STREET }, { cookie })).status).toBe(200);
    expect((await query('dashboard.summary', { within: '210103' }, { cookie })).status).toBe(403);
    const list = await query('events.list', { within: STREET }, { cookie });
    expect(list.status).toBe(403);
    expect(list.body.error?.message).toMatch(/wall/);
    expect((await query('plan.evaluate', { kind: 'health_station', maxMinutes: 15, within: STREET }, { cookie })).status).toBe(403);
    expect((await mutate('events.report', { lngLat: [123.45, 41.8], type: 'other', source: 'walkIn' }, { cookie })).status).toBe(403);
    running.accounts.revokeToken('test', record.id);
    const after = await query('dashboard.summary', { within: STREET }, { cookie });
    expect(after.status).toBe(401);
    expect(after.cookies.some((c) => c.startsWith('atlas_kiosk=;'))).toBe(true);
    const stale = await fetch(`${running.url}/kiosk/${token}`, { redirect: 'manual' });
    expect(stale.status).toBe(404);
    await stale.arrayBuffer();
  });
});

describe('hardening', () => {
  it('refuses writes from another site (Origin or Sec-Fetch-Site), and takes them from the site itself', async () => {
    const cookie = await login('street1');
    const report = { lngLat: point, type: 'other', source: 'walkIn' };
    const host = new URL(running.url).host;
    const evil = await mutate('auth.logout', {}, { cookie, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.error?.message).toMatch(/another site/);
    expect((await mutate('events.report', report, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await mutate('auth.logout', {}, { cookie, origin: 'null' })).status).toBe(403);
    expect((await query('auth.me', undefined, { cookie })).status).toBe(200);
    expect((await mutate('auth.logout', {}, { cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('sends security headers on every answer: a CSP without inline script, no framing, no sniffing', async () => {
    const answers = [await fetch(`${running.url}/trpc/meta.health`), await fetch(`${running.url}/screen`), await fetch(`${running.url}/trpc/nothing.here`)];
    for (const answer of answers) {
      await answer.arrayBuffer();
      const csp = answer.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('keeps personal data out of every log line and error body, masks free text for viewers, and audits writes and unmasked views', async () => {
    const officer = await login('street1');
    const summary = `${NAME}与邻居因漏水纠纷，电话 ${PHONE}，身份证 ${ID_CARD}，车牌 辽A12345`;
    const reported = await mutate(
      'events.report',
      { lngLat: point, type: 'neighbour', source: 'patrol', summary, parties: [{ name: NAME, phone: PHONE, role: `${NAME}的代理人` }] },
      { cookie: officer },
    );
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
    const { id } = reported.body.result?.data as { id: number };
    const assigned = await mutate('events.transition', { id, action: 'assign', version: 1, note: `联系${NAME} ${PHONE}` }, { cookie: officer });
    expect(assigned.status).toBe(200);
    // Bad input holding personal data: refused without echoing it.
    await mutate('events.report', { lngLat: point, type: 'neighbour', source: 'patrol', summary: `${NAME}${PHONE}`.repeat(40) }, { cookie: officer });
    await mutate('events.transition', { id, action: 'assign', version: 1, note: `${NAME} ${PHONE}` }, { cookie: officer });

    // The officer sees it all; a viewer of the district sees it masked, with a rounded place.
    const full = (await query('events.get', { id }, { cookie: officer })).body.result?.data as { summary: string; history: { note: string | null }[] };
    expect(full.summary).toBe(summary);
    const viewer = await login('viewer1');
    const masked = (await query('events.get', { id }, { cookie: viewer })).body.result?.data as {
      summary: string;
      parties: { name: string; phone: string; role: string }[];
      history: { note: string | null }[];
      lngLat: [number, number];
    };
    const maskedText = JSON.stringify(masked);
    for (const secret of [NAME, PHONE, ID_CARD, '测试甲', '辽A12345']) expect(maskedText).not.toContain(secret);
    expect(masked.summary).toMatch(/^欧\*\*与邻居因漏水纠纷/);
    expect(masked.parties[0]).toEqual({ name: '欧**', phone: '*******1111', role: '欧**的代理人' });
    expect(masked.history[1]!.note).toBe('联系欧** *******1111');
    expect(masked.lngLat).not.toEqual(point);
    expect(Math.abs(masked.lngLat[0] - point[0])).toBeLessThanOrEqual(0.0026);

    // The audit log names who wrote and who saw the case unmasked, and holds no personal data.
    const entries = running.accounts.store.audit({ limit: 10_000 });
    expect(entries.some((e) => e.actor === 'user:street1' && e.action === 'write' && e.target === `dispute:${id}` && e.detail.procedure === 'events.report')).toBe(true);
    expect(entries.some((e) => e.actor === 'user:street1' && e.action === 'write' && e.detail.action === 'assign')).toBe(true);
    expect(entries.some((e) => e.actor === 'user:street1' && e.action === 'unmasked-view' && e.target === 'events.get')).toBe(true);
    expect(entries.some((e) => e.actor === 'user:viewer1' && e.action === 'unmasked-view')).toBe(false);

    const everything = [...logs, ...errorBodies, JSON.stringify(entries)].join('\n');
    for (const secret of [NAME, PHONE, ID_CARD, '辽A12345', PASSWORD]) expect(everything).not.toContain(secret);
    // The request log has a line per API request, naming the caller but not the query.
    expect(logs.some((line) => /user:street1 POST \/trpc\/events\.report 200/.test(line))).toBe(true);
    expect(logs.some((line) => line.includes('?input='))).toBe(false);
  });

  it('detects a tampered audit chain', async () => {
    expect(running.accounts.store.verifyAudit()).toBeNull();
    const copy = join(dir, 'tampered.sqlite');
    const source = new Database(accountsPath);
    await source.backup(copy);
    source.close();
    const db = new Database(copy);
    db.prepare("UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 3").run();
    db.close();
    const tampered = new SqliteAccountStore(copy);
    expect(tampered.verifyAudit()).toMatchObject({ seq: 3 });
    tampered.close();
  });
});

describe('the login rate limit', () => {
  it('refuses a burst of logins from one address with 429 and the wait, whatever the usernames', async () => {
    const limited = await startServer({
      databasePath: inject('databasePath'),
      port: 0,
      anonymous: 'none',
      heavyThreads: 1,
      accountOptions: { loginLimit: { perSecond: 1 / 60, burst: 3 } },
    });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await fetch(`${limited.url}/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: `someone-${attempt}`, password: 'whatever-it-is' }),
        });
        statuses.push(response.status);
        const body = (await response.json()) as { error: { message: string } };
        if (response.status === 429) expect(body.error.message).toMatch(/retry in \d+ s/);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
