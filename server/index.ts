// The only file that listens: opens the store and serves the API and the built client over HTTP; after
// an import or undo through it, serves the new data without a restart.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Accounts, type AccountsOptions } from './auth/accounts';
import { createRequestHandler, httpLimitsFromEnv, type HttpLimits } from './http-handler';
import { UploadStore, uploadMaxBytesFromEnv } from './http/uploads';
import { DataImports } from './live/data-imports';
import { disputeServiceFor, escalationEveryMsFromEnv } from './live/dispute-service';
import { startDemoDisputeFeed, type DemoFeed } from './live/demo-dispute-feed';
import { retentionDaysFromEnv, startRetention, type Retention } from './live/retention';
import { REPO_ROOT } from './paths';
import { PoolRunner } from './pool/pool-runner';
import { SqliteAccountStore } from './store/sqlite-account-store';
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
  /**
   * The accounts file (users, sessions, tokens, the audit chain); default: in memory, gone when the
   * server stops (tests).
   */
  accountsPath?: string;
  /**
   * What a caller without a session or token may do (ATLAS_ANONYMOUS): read masked data of the whole
   * deployment as a viewer, or nothing. Default: 'viewer' on demonstration data, else 'none'.
   */
  anonymous?: 'viewer' | 'none';
  /**
   * Days after closure a case keeps its parties, summary and notes unmasked (ATLAS_RETENTION_DAYS;
   * default 3 years; null keeps them). Applies when the database is open for writing.
   */
  retentionDays?: number | null;
  /** Session length, lockout and login-rate settings over the defaults (see AccountsOptions). */
  accountOptions?: Pick<AccountsOptions, 'sessionMs' | 'maxFailures' | 'lockMs' | 'loginLimit'>;
  /** How often overdue cases are looked at for escalation by rule, ms (ATLAS_ESCALATION_EVERY_MS; default 5 min). */
  escalationEveryMs?: number;
  /** Where uploaded files wait for their import; default: "uploads" beside the database. */
  uploadsDir?: string;
  /** The largest upload, bytes (default ATLAS_UPLOAD_MAX_MB, else 512 MiB). */
  uploadMaxBytes?: number;
  /** How often the stored data version is compared with the served one, to serve another process's import, ms (default 2 s). */
  dataWatchMs?: number;
  log?: (message: string) => void;
  /** The request log (one line per API request); default: none. */
  requestLog?: (message: string) => void;
}

/** ATLAS_ANONYMOUS, checked: 'viewer', 'none' or unset. */
export function anonymousFromEnv(value: string | undefined): 'viewer' | 'none' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== 'viewer' && value !== 'none') throw new Error(`ATLAS_ANONYMOUS must be "viewer" or "none", got "${value}"`);
  return value;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** The demonstration live feed, when running (stopped while the disputes layer is imported data). */
  readonly feed: DemoFeed | null;
  /** Imports of uploaded files (admin.import …). */
  imports: DataImports;
  /** The worker pool every analysis runs in. */
  pool: PoolRunner;
  /** Accounts, sessions, tokens and the audit log. */
  accounts: Accounts;
  /** The retention of personal data, when the database is writable and retention is on. */
  retention: Retention | null;
  close(): Promise<void>;
}

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
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
  accountsPath = ':memory:',
  anonymous,
  retentionDays = retentionDaysFromEnv(process.env.ATLAS_RETENTION_DAYS),
  accountOptions,
  escalationEveryMs = escalationEveryMsFromEnv(process.env.ATLAS_ESCALATION_EVERY_MS),
  uploadsDir,
  uploadMaxBytes,
  dataWatchMs = 2_000,
  log = () => {},
  requestLog,
}: ServerOptions): Promise<RunningServer> {
  const live = liveRatePerMinute > 0;
  const store = new SqliteStore(databasePath, { writable: writable || live });
  const deploymentCode = store.rootUnit()?.code ?? '21';
  // Anonymous callers read masked data of demonstration data only; real data needs a login.
  const accounts = new Accounts(new SqliteAccountStore(accountsPath), {
    anonymous: anonymous ?? anonymousFromEnv(process.env.ATLAS_ANONYMOUS) ?? (store.health().demo ? 'viewer' : 'none'),
    deploymentCode,
    ...accountOptions,
  });
  const pool = new PoolRunner({ store, databasePath, heavyThreads, log });
  const uploads = new UploadStore(uploadsDir ?? join(dirname(databasePath), 'uploads'), uploadMaxBytes ?? uploadMaxBytesFromEnv(process.env.ATLAS_UPLOAD_MAX_MB));
  const service = disputeServiceFor(store);
  let feed: DemoFeed | null = null;
  /** The demonstration feed runs while the disputes are demonstration data (never into imported cases). */
  const startFeed = (): DemoFeed | null =>
    live && store.health().demo && store.health().layers.disputes.source === 'demonstration'
      ? startDemoDisputeFeed({ store, ratePerMinute: liveRatePerMinute, log, onAppend: () => service.notify(), deadlines: service.deadlines })
      : null;
  const imports = new DataImports({
    databasePath,
    uploads,
    pool,
    deploymentCode,
    deadlines: service.deadlines,
    audit: (actor, action, target, detail) => accounts.audit(actor, action, target, detail),
    log,
    // Another connection replaced a layer: read the data version again, drop what was prepared and
    // answered for the old one, and restart what follows the dispute log when the cases changed.
    onDataChanged: (layer) => {
      store.refresh();
      pool.dataChanged();
      // Units and grids imports re-derive the cases' places too (and the demo feed places cases in grids);
      // a change the history does not name may have touched anything.
      if (layer === null || layer === 'disputes' || layer === 'units' || layer === 'grids') {
        feed?.stop();
        service.dataChanged();
        feed = startFeed();
      }
      log(`data version ${store.health().dataVersion}: ${layer === null ? 'the data was replaced' : `the ${layer} layer was replaced`}`);
    },
  });
  // An import or undo by the CLI while the server runs is served the same way, within dataWatchMs.
  const stopWatching = imports.watchOtherProcesses({ stored: () => store.storedDataVersion(), served: () => store.health().dataVersion }, dataWatchMs);
  // Request timeouts are enforced when connections are checked: every 2 s instead of Node's 30 s.
  const server = createServer(
    { connectionsCheckingInterval: 2_000 },
    createRequestHandler({ store, pool, accounts, version: PACKAGE_VERSION, clientDir, limits: { ...httpLimitsFromEnv(), ...httpLimits }, imports: { uploads, imports }, log: requestLog }),
  );
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
  feed = startFeed();
  // Overdue cases in hand escalate by rule (ATLAS_ESCALATION_RULES) on an unref'd timer, on writable
  // servers; on demonstration data (whose cases are dated around its build's "now") only when the rules are
  // set explicitly.
  if (store.disputes.writable && (!store.health().demo || process.env.ATLAS_ESCALATION_RULES !== undefined)) service.startEscalation(escalationEveryMs, undefined, (error) => log(`escalation: ${error instanceof Error ? error.message : String(error)}`));
  const retention =
    store.disputes.writable && retentionDays !== null
      ? startRetention({
          disputes: store.disputes,
          days: retentionDays,
          onDone: (cases) => {
            accounts.audit('system', 'retention', 'dispute', { cases, days: retentionDays });
            log(`retention: masked the personal data of ${cases} cases closed more than ${retentionDays} days ago`);
          },
        })
      : null;
  return {
    server,
    url,
    get feed() {
      return feed;
    },
    imports,
    pool,
    accounts,
    retention,
    close: async () => {
      stopWatching();
      service.stopEscalation();
      retention?.stop();
      await retention?.idle();
      await imports.idle();
      uploads.close();
      feed?.stop();
      await feed?.ready;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.close();
      store.close();
      accounts.store.close();
    },
  };
}
