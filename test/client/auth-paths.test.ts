// Where the login page may send a browser: `next` only as a path of this site (never another host by
// '//', '/\', a scheme or control characters, never the login page, the API or a wall link), else the
// role's home; the login link of a page; and how a failed request reads (401, 429 with its wait, no server).

import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { accessFailureOf, isForbidden, isRefusal, isUnauthorized, retryWaitSeconds } from '../../client/src/auth/auth-errors';
import { afterLoginPath, homePathOf, isWallPath, loginPathFor, safeNextPath, withLang } from '../../client/src/auth/auth-paths';

describe('safeNextPath', () => {
  it('keeps paths of this site with their search and hash', () => {
    expect(safeNextPath('/screen')).toBe('/screen');
    expect(safeNextPath('/plan?region=210103&lang=en')).toBe('/plan?region=210103&lang=en');
    expect(safeNextPath('/brief#map')).toBe('/brief#map');
    // Normalised: dot segments resolved, so what is checked is what is opened.
    expect(safeNextPath('/a/../plan')).toBe('/plan');
  });

  it('refuses anything that is not a path starting with a single /', () => {
    for (const raw of [null, undefined, '', 'screen', 'https://evil.example/', 'javascript:alert(1)', ' /screen', '.', '?next=/x']) {
      expect(safeNextPath(raw), String(raw)).toBeNull();
    }
  });

  it('refuses paths a browser reads as another host', () => {
    for (const raw of ['//evil.example', '//evil.example/screen', '/\\evil.example', '/\\/evil.example', '/screen\\..\\..', '/\t/evil.example', '/\n/evil.example', '/\u0000x']) {
      expect(safeNextPath(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('refuses the login page itself, the API and wall-display links', () => {
    for (const raw of ['/login', '/login?next=/screen', '/login/', '/trpc/auth.me', '/kiosk/abcdefghijklmnopqrstuvwxyz']) {
      expect(safeNextPath(raw), raw).toBeNull();
    }
  });

  it('refuses absurdly long values', () => {
    expect(safeNextPath(`/${'a'.repeat(3_000)}`)).toBeNull();
  });
});

describe('after login', () => {
  it('sends planners to /plan and everyone else to /screen', () => {
    expect(homePathOf({ role: 'planner' })).toBe('/plan');
    for (const role of ['admin', 'province-officer', 'street-officer', 'grid-worker', 'viewer', 'kiosk']) expect(homePathOf({ role })).toBe('/screen');
  });

  it('goes to a safe next, else home in the page language', () => {
    expect(afterLoginPath('/brief?region=2101', { role: 'planner' }, 'zh')).toBe('/brief?region=2101');
    expect(afterLoginPath('//evil.example', { role: 'planner' }, 'zh')).toBe('/plan');
    expect(afterLoginPath(null, { role: 'street-officer' }, 'en')).toBe('/screen?lang=en');
  });

  it('adds lang=en only when English and not named already', () => {
    expect(withLang('/screen', 'zh')).toBe('/screen');
    expect(withLang('/screen?region=2101', 'en')).toBe('/screen?region=2101&lang=en');
    expect(withLang('/screen?lang=en', 'en')).toBe('/screen?lang=en');
  });
});

describe('loginPathFor', () => {
  it('names the page to come back to, encoded', () => {
    const path = loginPathFor({ pathname: '/plan', search: '?region=210103&coverage=off' }, 'zh');
    expect(path).toBe('/login?next=%2Fplan%3Fregion%3D210103%26coverage%3Doff');
    expect(safeNextPath(new URLSearchParams(path.split('?')[1]).get('next'))).toBe('/plan?region=210103&coverage=off');
  });

  it('keeps English, and gives no next from the login page itself', () => {
    expect(loginPathFor({ pathname: '/screen', search: '?lang=en' }, 'en')).toBe('/login?next=%2Fscreen%3Flang%3Den&lang=en');
    expect(loginPathFor({ pathname: '/login', search: '?next=/plan' }, 'zh')).toBe('/login');
  });
});

it('lets a wall display open /screen only', () => {
  expect(isWallPath('/screen')).toBe(true);
  expect(isWallPath('/screen/')).toBe(true);
  for (const path of ['/plan', '/brief', '/desk', '/', '/screens']) expect(isWallPath(path), path).toBe(false);
});

describe('failed requests', () => {
  const answer = (code: string, httpStatus: number, message: string) =>
    TRPCClientError.from({ error: { message, code: -32001, data: { code, httpStatus } } });

  it('tells 401 and 403 apart, from tRPC and from the HTTP layer', () => {
    const unauthorized = answer('UNAUTHORIZED', 401, 'log in first');
    const forbidden = answer('FORBIDDEN', 403, 'within: 2102 is outside your jurisdiction (2101)');
    expect([isUnauthorized(unauthorized), isForbidden(unauthorized), isRefusal(unauthorized)]).toEqual([true, false, true]);
    expect([isUnauthorized(forbidden), isForbidden(forbidden), isRefusal(forbidden)]).toEqual([false, true, true]);
    expect(isRefusal(answer('INTERNAL_SERVER_ERROR', 500, 'boom'))).toBe(false);
    expect(isUnauthorized(new Error('x'))).toBe(false);
  });

  it('reads the server\'s wait from a rate-limit refusal', () => {
    expect(retryWaitSeconds('too many login attempts from this address; retry in 42 s')).toBe(42);
    expect(retryWaitSeconds('too many writes from this client; retry in 3 s')).toBe(3);
    expect(retryWaitSeconds('slow down')).toBeNull();
    expect(accessFailureOf(answer('TOO_MANY_REQUESTS', 429, 'too many login attempts from this address; retry in 42 s'))).toEqual({ kind: 'tooMany', waitSeconds: 42 });
  });

  it('classifies wrong passwords, bad input and an unreachable server', () => {
    expect(accessFailureOf(answer('UNAUTHORIZED', 401, 'wrong username or password, or the account is locked'))).toEqual({ kind: 'unauthorized' });
    expect(accessFailureOf(answer('BAD_REQUEST', 400, 'current: the current password is wrong'))).toEqual({ kind: 'badRequest', message: 'current: the current password is wrong' });
    expect(accessFailureOf(TRPCClientError.from(new TypeError('Failed to fetch')))).toEqual({ kind: 'unreachable' });
    expect(accessFailureOf(answer('BAD_GATEWAY', 502, 'bad gateway')).kind).toBe('unreachable');
  });
});
