// The offline briefing's pure parts: what the banner says (China time, in Chinese and English), and how
// the kept tRPC answers are matched to the queries on screen — by procedure and input, whatever the
// order of the input's fields, for the URLs this version of tRPC really sends.

import { createTRPCClient, httpLink } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/routers/app';
import { trpc } from '../../client/src/trpc';
import { earliestDate, isDataKey, requestKeyOfQuery, requestKeyOfUrl } from '../../client/src/pwa/kept-answers';
import { formatDataTime, offlineSentence } from '../../client/src/pwa/offline-text';

/** 2026-12-07 14:05:09 China time (06:05:09 UTC). */
const AT = Date.UTC(2026, 11, 7, 6, 5, 9);

describe('the offline banner', () => {
  it('says offline and since when, in China time to the minute', () => {
    expect(offlineSentence('zh', AT)).toBe('离线 · 数据截至 2026年12月7日 14:05');
    expect(offlineSentence('en', AT)).toBe('Offline · data as of 7 Dec 2026, 14:05');
    // Just past midnight in China is still the previous day in UTC.
    expect(formatDataTime(Date.UTC(2026, 11, 31, 16, 30), 'zh')).toBe('2027年1月1日 00:30');
  });

  it('says the answers are saved ones when the server was never reached', () => {
    expect(offlineSentence('zh', null)).toBe('离线 · 无法连接服务器，显示已保存的数据');
    expect(offlineSentence('en', null)).toBe('Offline · the server is out of reach; showing saved data');
  });
});

/** The URL tRPC's httpLink sends for a query (recorded from a client whose fetch answers nothing). */
async function sentUrl(call: (client: ReturnType<typeof createTRPCClient<AppRouter>>) => Promise<unknown>): Promise<string> {
  let url = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: 'http://127.0.0.1:8080/trpc',
        fetch: async (input) => {
          url = String(input);
          return new Response(JSON.stringify({ result: { data: null } }), { headers: { 'content-type': 'application/json' } });
        },
      }),
    ],
  });
  await call(client);
  return url;
}

describe('kept answers matched to queries', () => {
  it('gives a query and the URL tRPC sends for it the same key', async () => {
    const input = { within: '2101', from: '2026-10-01', to: '2026-10-31' };
    const url = await sentUrl((client) => client.brief.kpis.query(input));
    expect(url).toMatch(/\/trpc\/brief\.kpis\?input=/);
    const key = requestKeyOfUrl(url);
    expect(key).not.toBeNull();
    expect(requestKeyOfQuery(trpc.brief.kpis.queryKey(input))).toBe(key);
    // The order of the fields and fields left undefined do not matter; another input does.
    expect(requestKeyOfQuery(trpc.brief.kpis.queryKey({ to: '2026-10-31', within: '2101', from: '2026-10-01' }))).toBe(key);
    expect(requestKeyOfQuery(trpc.brief.narrative.queryKey({ ...input, lang: 'zh' }))).not.toBe(key);
    expect(requestKeyOfQuery(trpc.brief.kpis.queryKey({ ...input, within: '210103' }))).not.toBe(key);
  });

  it('matches queries without input', async () => {
    const url = await sentUrl((client) => client.auth.me.query());
    expect(requestKeyOfUrl(url)).toBe(requestKeyOfQuery(trpc.auth.me.queryKey()));
  });

  it('counts the data procedures, not who is calling or whether the server is up', () => {
    expect(isDataKey(requestKeyOfUrl('/trpc/brief.kpis?input=%7B%7D')!)).toBe(true);
    expect(isDataKey(requestKeyOfUrl('/trpc/geo.adminTree?input=%7B%22code%22%3A%2221%22%7D')!)).toBe(true);
    expect(isDataKey(requestKeyOfUrl('/trpc/auth.me')!)).toBe(false);
    expect(isDataKey(requestKeyOfUrl('/trpc/meta.health')!)).toBe(false);
  });

  it('refuses what is no single tRPC query', () => {
    expect(requestKeyOfUrl('/assets/index.js')).toBeNull();
    expect(requestKeyOfUrl('/trpc/')).toBeNull();
    expect(requestKeyOfUrl('/trpc/geo.adminTree,brief.kpis?batch=1')).toBeNull();
    expect(requestKeyOfUrl('/trpc/brief.kpis?input=%7Bnot-json')).toBeNull();
    expect(requestKeyOfQuery(['not', 'a', 'trpc', 'key'])).toBeNull();
    expect(requestKeyOfQuery([['brief', 'kpis'], { input: {}, type: 'infinite' }])).toBeNull();
  });

  it('dates the answers on screen by the oldest Date header', () => {
    expect(earliestDate(['Mon, 07 Dec 2026 06:05:09 GMT', 'Mon, 07 Dec 2026 05:00:00 GMT', null])).toBe(Date.UTC(2026, 11, 7, 5, 0, 0));
    expect(earliestDate([null, undefined, 'not a date'])).toBeNull();
    expect(earliestDate([])).toBeNull();
  });
});
