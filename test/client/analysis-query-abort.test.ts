// An analysis query nobody reads any more is aborted: with ANALYSIS_QUERY, TanStack Query's signal reaches
// the HTTP request, so leaving a place cancels its pool jobs on the server instead of queueing the next
// place's analyses behind them (the server runs two of a caller's analyses at a time). Every query of a
// heavy pool job in the client passes it but the wall's: a touring wall comes back to each scene and
// shows the answer kept from the last pass, so its analyses run to the end.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/routers/app';
import { JOBS } from '../../server/jobs/registry';
import { ANALYSIS_QUERY } from '../../client/src/trpc';

/** A tRPC options proxy whose requests never answer; answers the signals of the requests sent. */
function pendingProxy() {
  const signals: AbortSignal[] = [];
  const fetchNever = (_url: unknown, init?: { signal?: AbortSignal | null }): Promise<Response> => {
    signals.push(init?.signal ?? new AbortController().signal);
    return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  };
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: 'http://127.0.0.1:9/trpc', fetch: fetchNever as typeof fetch })] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return { signals, queryClient, trpc: createTRPCOptionsProxy<AppRouter>({ client, queryClient }) };
}

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

const SCOPE = { within: '210103', from: '2026-10-01', to: '2026-10-31' };

describe('analysis queries', () => {
  it('abort their request once the page stops observing them (the place changed)', async () => {
    const { signals, queryClient, trpc } = pendingProxy();
    const observer = new QueryObserver(queryClient, trpc.brief.kpis.queryOptions(SCOPE, ANALYSIS_QUERY));
    const unsubscribe = observer.subscribe(() => {});
    await until(() => signals.length === 1);
    expect(signals[0]!.aborted).toBe(false);

    // The page moves to the street: the county's query loses its only observer and its request is aborted.
    observer.setOptions(trpc.brief.kpis.queryOptions({ ...SCOPE, within: '210103005' }, ANALYSIS_QUERY));
    await until(() => signals.length === 2);
    await until(() => signals[0]!.aborted);
    expect(signals[1]!.aborted).toBe(false);
    unsubscribe();
    await until(() => signals[1]!.aborted);
    queryClient.clear();
  });

  it('without it a left query keeps its request open (why the option is needed)', async () => {
    const { signals, queryClient, trpc } = pendingProxy();
    const observer = new QueryObserver(queryClient, trpc.brief.kpis.queryOptions(SCOPE));
    const unsubscribe = observer.subscribe(() => {});
    await until(() => signals.length === 1);
    unsubscribe();
    // Give an abort every chance to happen: several turns of the event loop.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(signals[0]!.aborted).toBe(false);
    queryClient.clear();
  });

  it('are every client query of a heavy pool job but the wall’s', () => {
    const heavy = Object.entries(JOBS)
      .filter(([, spec]) => spec.lane === 'heavy')
      .map(([name]) => name);
    expect(heavy).toContain('brief.kpis');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) files.push(path);
      }
    };
    walk('client/src');
    const wall = (file: string) => file.startsWith(join('client', 'src', 'modes', 'screen')) || file === join('client', 'src', 'hooks', 'use-hotspots.ts');
    const missing: string[] = [];
    let calls = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/trpc\.([a-zA-Z]+\.[a-zA-Z]+)\.queryOptions\(/g)) {
        if (!heavy.includes(match[1]!) || wall(file)) continue;
        calls++;
        // The call's arguments, up to its closing parenthesis.
        let depth = 1;
        let end = match.index + match[0].length;
        while (depth > 0) {
          const character = source[end++];
          if (character === '(') depth++;
          else if (character === ')') depth--;
        }
        if (!source.slice(match.index, end).includes('ANALYSIS_QUERY')) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(calls).toBeGreaterThan(12);
    expect(missing).toEqual([]);
  });
});
