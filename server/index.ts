// The only file that listens: opens the store and serves the API and the built client over HTTP.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequestHandler, parseTokens } from './http-handler';
import { disputeServiceFor } from './services/dispute-service';
import { startDemoDisputeFeed, type DemoFeed } from './live/demo-dispute-feed';
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
  log?: (message: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** The demonstration live feed, when running. */
  feed: DemoFeed | null;
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
  log = () => {},
}: ServerOptions): Promise<RunningServer> {
  const live = liveRatePerMinute > 0;
  const store = new SqliteStore(databasePath, { writable: writable || live });
  const server = createServer(createRequestHandler({ store, version: PACKAGE_VERSION, clientDir, tokens: parseTokens(process.env.ATLAS_TOKENS) }));
  // Long-lived event streams must not be cut by the default request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const service = disputeServiceFor(store);
  const feed =
    live && store.health().demo
      ? startDemoDisputeFeed({ store, ratePerMinute: liveRatePerMinute, log, onAppend: () => service.notify() })
      : null;
  return {
    server,
    url,
    feed,
    close: async () => {
      feed?.stop();
      await feed?.ready;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
