// A server in its own process for tests that must kill it (`kill -9`) or load it from outside:
// `tsx test/support/serve-database.ts <database> [liveRatePerMinute]` prints {"url": …} when listening.
// It serves the built client too (browser tests restart it on the same PORT).

import { startServer } from '../../server/index';
import { paths } from '../../server/paths';

const [databasePath, rate] = process.argv.slice(2);
if (!databasePath) throw new Error('usage: serve-database.ts <database> [liveRatePerMinute]');
const running = await startServer({
  databasePath,
  clientDir: paths.clientDir,
  port: Number(process.env.PORT ?? 0),
  writable: true,
  liveRatePerMinute: Number(rate ?? 0),
  // Tests that write pass an accounts file holding their token (test/support/accounts.ts).
  accountsPath: process.env.ATLAS_ACCOUNTS_DB,
});
// Tests start from a settled log: the feed's catch-up (from the data's last case to now) is written first.
await running.feed?.ready;
console.log(JSON.stringify({ url: running.url, pid: process.pid }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
