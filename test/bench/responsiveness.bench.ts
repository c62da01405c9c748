// Responsiveness under load, on the province build: the five heavy requests of the responsiveness issue
// sent at once (five clients), while one client asks meta.health every 50 ms and a live subscriber
// receives a case reported every 250 ms. Reports health latency, live delivery latency, each heavy
// request's outcome and time, and the server's memory before, during and after.

import http from 'node:http';
import { paths } from '../../server/paths';
import { DEFAULT_DEMO, ensureDatabase } from '../../server/ingest/build-database';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestToken } from '../support/accounts';
import { createTestClient } from '../support/trpc-client';
import { spawnDatabaseServer } from '../support/server-process';

const HEAVY: { name: string; procedure: string; input: unknown }[] = [
  {
    name: 'hotspots.boundaryRisk, province, 5 km buffer, all levels, weekly, 26 months',
    procedure: 'hotspots.boundaryRisk',
    input: { within: '21', from: '2024-08-23', to: '2026-10-31', bufferMeters: 5000, levels: ['province', 'city', 'county', 'street'], slice: 'week' },
  },
  {
    name: 'plan.optimize, p-center, 500 sites, 60 min, Dalian, exact',
    procedure: 'plan.optimize',
    input: { kind: 'health_station', maxMinutes: 60, within: '2102', objective: 'pcenter', newSites: 500, candidates: 'grid-centroids', method: 'exact' },
  },
  {
    name: 'plan.export, p-median, 500 sites, 30 min, Shenyang, exact, xlsx',
    procedure: 'plan.export',
    input: { objective: 'pmedian', kind: 'elder_day_care', maxMinutes: 30, within: '2101', newSites: 500, candidates: 'service-buildings', method: 'exact', format: 'xlsx' },
  },
  {
    name: 'hotspots.cells, province, H3 7, 2,745 permutations, k = 3, FDR, 12 months',
    procedure: 'hotspots.cells',
    input: { within: '21', from: '2025-11-01', to: '2026-10-31', resolution: 7, permutations: 2745, weights: { k: 3 }, fdr: true },
  },
  { name: 'coverage.serviceAreas, convenience stores, 59 min, province', procedure: 'coverage.serviceAreas', input: { kind: 'convenience_store', maxMinutes: 59, within: '21' } },
];

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A GET of one procedure as a separate client (its own bearer token), with status, time and size. */
function getAs(url: string, client: string, procedure: string, input: unknown): Promise<{ status: number; ms: number; bytes: number; message: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${client}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const message = response.statusCode === 200 ? '' : ((JSON.parse(body.toString()) as { error?: { message?: string } }).error?.message ?? '');
        resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes: body.length, message });
      });
    });
    request.on('error', reject);
  });
}

interface Health {
  memory: { rssMiB: number };
  prepared: { state: string; buildMs: number | null; bytes: number | null } | null;
}

export async function runResponsivenessBench(): Promise<void> {
  const { built } = ensureDatabase({ ...paths, demo: DEFAULT_DEMO, log: (message) => console.log(message) });
  const tokenDir = mkdtempSync(join(tmpdir(), 'atlas-bench-token-'));
  const credentials = writeTestToken(tokenDir);
  // Each heavy request comes from a client of its own (a token each), as from different people.
  const clientTokens = Array.from({ length: 2 * HEAVY.length }, () => writeTestToken(tokenDir).token);
  const server = await spawnDatabaseServer(paths.databasePath, { liveRatePerMinute: 0, env: { ATLAS_ACCOUNTS_DB: credentials.accountsPath } });
  const client = createTestClient(server.url, credentials.headers);
  try {
    const started = performance.now();
    let health = (await client.meta.health.query()) as unknown as Health;
    while (health.prepared?.state !== 'ready') {
      if (health.prepared?.state === 'failed') throw new Error('the prepared data failed to build');
      await new Promise((resolve) => setTimeout(resolve, 200));
      health = (await client.meta.health.query()) as unknown as Health;
    }
    const readyS = (performance.now() - started) / 1000;
    const rssReady = health.memory.rssMiB;

    // Live: a case every 250 ms, its delivery to a subscriber of the province timed from its report.
    const deliveries: number[] = [];
    let subscribed = false;
    const subscription = client.events.live.subscribe(
      { within: '21' },
      {
        onStarted: () => {
          subscribed = true;
        },
        onData: (event) => {
          const now = Date.now();
          for (const entry of event.data.entries) if (entry.action === 'report') deliveries.push(now - entry.at);
        },
      },
    );
    while (!subscribed) await new Promise((resolve) => setTimeout(resolve, 20));
    let loading = true;
    const reporter = (async () => {
      while (loading) {
        await client.events.report.mutate({ lngLat: [123.43, 41.8], type: 'neighbour', source: 'patrol' });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const healthTimes: number[] = [];
    let peakRss = rssReady;
    const prober = (async () => {
      while (loading) {
        const begun = performance.now();
        const answer = (await client.meta.health.query()) as unknown as Health;
        healthTimes.push(performance.now() - begun);
        peakRss = Math.max(peakRss, answer.memory.rssMiB);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const loadStarted = performance.now();
    const outcomes = await Promise.all(HEAVY.map((heavy, k) => getAs(server.url, clientTokens[k]!, heavy.procedure, heavy.input)));
    const allMs = performance.now() - loadStarted;
    // The same five again once the first round has settled, from new clients and with inputs changed by a
    // hair (the 12-digit form of each code), so no answer comes from the cache of answers.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const warm = (await client.meta.health.query()) as unknown as Health;
    const againStarted = performance.now();
    const again = await Promise.all(
      HEAVY.map((heavy, k) =>
        getAs(server.url, clientTokens[HEAVY.length + k]!, heavy.procedure, { ...(heavy.input as object), within: (heavy.input as { within: string }).within.padEnd(12, '0') }),
      ),
    );
    const againMs = performance.now() - againStarted;
    loading = false;
    await Promise.all([reporter, prober]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    subscription.unsubscribe();
    // Memory once the load has passed.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const after = (await client.meta.health.query()) as unknown as Health;

    healthTimes.sort((a, b) => a - b);
    deliveries.sort((a, b) => a - b);
    console.log(`\n## Responsiveness under load (province build${built ? ', built for this run' : ''}; server in its own process, 2 heavy + 1 light pool threads)`);
    console.log('| heavy request (five clients at once) | status | seconds | answer |');
    console.log('|---|---:|---:|---|');
    HEAVY.forEach((heavy, k) => {
      const outcome = outcomes[k]!;
      const answer = outcome.status === 200 ? `${(outcome.bytes / 1024).toFixed(0)} KiB` : outcome.message.slice(0, 110);
      console.log(`| ${heavy.name} | ${outcome.status} | ${(outcome.ms / 1000).toFixed(1)} | ${answer} |`);
    });
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| all five answered after, s (second round, warm caches) | ${(allMs / 1000).toFixed(1)} (${(againMs / 1000).toFixed(1)}; ${again.filter((outcome) => outcome.status === 200).length} answered) |`);
    console.log(`| meta.health during the load: calls, p50 / p99 / max ms | ${healthTimes.length}, ${quantile(healthTimes, 0.5).toFixed(1)} / ${quantile(healthTimes, 0.99).toFixed(1)} / ${healthTimes.at(-1)!.toFixed(1)} |`);
    console.log(`| live delivery (report → subscriber) during the load: cases, p50 / p99 ms | ${deliveries.length}, ${quantile(deliveries, 0.5)} / ${quantile(deliveries, 0.99)} |`);
    console.log(`| prepared data ready after start, s (built in ${((health.prepared?.buildMs ?? 0) / 1000).toFixed(1)} s, ${((health.prepared?.bytes ?? 0) / 1048576).toFixed(0)} MiB shared) | ${readyS.toFixed(1)} |`);
    console.log(`| RSS MiB: ready / peak during the load / after the first round (warm) / 10 s after the second | ${rssReady} / ${peakRss} / ${warm.memory.rssMiB} / ${after.memory.rssMiB} |`);
  } finally {
    await server.stop();
  }
}
