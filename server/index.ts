// The only file that listens: opens the store and serves the API and the built client over HTTP.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequestHandler, httpLimitsFromEnv, parseTokens, type HttpLimits } from './http-handler';
import { disputeServiceFor } from './live/dispute-service';
import { startDemoDisputeFeed, type DemoFeed } from './live/demo-dispute-feed';
import { PoolRunner } from './pool/pool-runner';
import { SqliteStore } from './store/sqlite-store';

export interface ServerOptions {
  databasePath: string;
  clientDir?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /**
   * On demonstration data, keep producing disputes: new cases per minute (0 or undefined: off, the
   * database is then opened read-only).
   */
  liveRatePerMinute?: number;
  /** Accept reports and transitions (opens the database for writing, WAL). Default false: read-only. */
  writable?: boolean;
  /** Threads of the worker pool's heavy lane (default: the cores). */
  heavyThreads?: number;
  /** HTTP limits over those from the environment (ATLAS_WRITE_RATE, ATLAS_READ_RATE). */
  httpLimits?: Partial<HttpLimits>;
  log?: (message: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** The demonstration live feed, when running. */
  feed: DemoFeed | null;
  /** The worker pool every analysis runs in. */
  pool: PoolRunner;
  close(): Promise<void>;
}

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

export async function startServer({
  databasePath,
  clientDir,
  host = '127.0.0.1',
  port = 8080,
  liveRatePerMinute = 0,
  writable = false,
  heavyThreads,
  httpLimits,
  log = () => {},
}: ServerOptions): Promise<RunningServer> {
  const live = liveRatePerMinute > 0;
  const store = new SqliteStore(databasePath, { writable: writable || live });
  const pool = new PoolRunner({ store, databasePath, heavyThreads, log });
  // Request timeouts are enforced when connections are checked: every 2 s instead of Node's 30 s.
  const server = createServer({ connectionsCheckingInterval: 2_000 }, createRequestHandler({ store, pool, version: PACKAGE_VERSION, clientDir, tokens: parseTokens(process.env.ATLAS_TOKENS), limits: { ...httpLimitsFromEnv(), ...httpLimits } }));
  // A request (headers and body) must arrive within 30 s; a connection that says nothing for 2 min is
  // closed (event streams send a comment every 15 s, so they stay open).
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.timeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // The prepared analysis data is built in the pool after listen; requests that need it wait for it.
  void pool.prepare().catch(() => {});
  const service = disputeServiceFor(store);
  const feed =
    live && store.health().demo
      ? startDemoDisputeFeed({ store, ratePerMinute: liveRatePerMinute, log, onAppend: () => service.notify() })
      : null;
  return {
    server,
    url,
    feed,
    pool,
    close: async () => {
      feed?.stop();
      await feed?.ready;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.close();
      store.close();
    },
  };
}
