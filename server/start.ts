// `npm start`: builds the client if its sources are newer than the build, builds the database if it is
// missing or stale, then serves both on HOST:PORT (default 127.0.0.1:8080; PORT=0 picks a free port).

import type { Accounts } from './auth/accounts';
import { buildClientIfStale } from './client-build';
import { startServer } from './index';
import { paths } from './paths';
import { DEFAULT_DEMO, ensureDatabase, readDatabaseDemoOptions } from './ingest/build-database';

async function main(): Promise<void> {
  await buildClientIfStale((m) => console.log(m));
  const started = performance.now();
  // Keep the demonstration parameters of an existing database (set by `npm run cli -- generate`).
  const recorded = readDatabaseDemoOptions(paths.databasePath);
  const demo = recorded === undefined ? DEFAULT_DEMO : recorded;
  if (recorded === undefined) console.log('Building the database: the real geography and the province-wide demonstration data (about a minute) …');
  const { built, dataVersion } = ensureDatabase({ ...paths, demo, log: (m) => console.log(m) });
  console.log(`${built ? 'Built' : 'Reusing'} database ${paths.databasePath} (data version ${dataVersion})`);

  const running = await startServer({
    databasePath: paths.databasePath,
    clientDir: paths.clientDir,
    host: process.env.HOST ?? '127.0.0.1',
    port: process.env.PORT === undefined ? 8080 : Number(process.env.PORT),
    // Demonstration data keeps moving: ATLAS_LIVE_RATE new disputes per minute (default 3, 0 = off).
    liveRatePerMinute: process.env.ATLAS_LIVE_RATE === undefined ? 3 : Number(process.env.ATLAS_LIVE_RATE),
    writable: process.env.ATLAS_READ_ONLY !== '1',
    accountsPath: paths.accountsPath,
    log: (m) => console.log(m),
    requestLog: process.env.ATLAS_REQUEST_LOG === 'off' ? undefined : (m) => console.log(m),
  });
  console.log(`Pingan Atlas listening on ${running.url} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`  big screen ${running.url}/screen · planning ${running.url}/plan · briefing ${running.url}/brief · log in ${running.url}/login`);
  await announceFirstStart(running.accounts, running.url);

  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * On the first start (no account yet): an administrator of the whole deployment with a one-time
 * password, and a wall-display link for /screen, each printed once (only their hashes are kept).
 */
async function announceFirstStart(accounts: Accounts, url: string): Promise<void> {
  const admin = await accounts.ensureAdministrator();
  if (!admin) {
    console.log(`  accounts: ${paths.accountsPath} (npm run cli -- user list; a wall link: npm run cli -- token add --role kiosk --jurisdiction ${accounts.options.deploymentCode} --screen-only)`);
    return;
  }
  const { token } = accounts.addToken('system', { role: 'kiosk', jurisdiction: accounts.options.deploymentCode, screenOnly: true, label: 'first-start wall display' });
  console.log('');
  console.log('  First start: an administrator account was created. This is shown once; change it at first login.');
  console.log(`    username: ${admin.username}`);
  console.log(`    one-time password: ${admin.password}`);
  console.log(`  Wall display (read-only, /screen only; revoke with npm run cli -- token revoke <id>): ${url}/kiosk/${token}`);
  console.log(`  Without logging in, visitors read masked demonstration data (ATLAS_ANONYMOUS=${accounts.options.anonymous}).`);
  console.log('');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
