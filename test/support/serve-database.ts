// A server in its own process for tests that must kill it (`kill -9`) or load it from outside:
// `tsx test/support/serve-database.ts <database> [liveRatePerMinute]` prints {"url": …} when listening.

import { startServer } from '../../server/index';

const [databasePath, rate] = process.argv.slice(2);
if (!databasePath) throw new Error('usage: serve-database.ts <database> [liveRatePerMinute]');
const running = await startServer({ databasePath, port: 0, writable: true, liveRatePerMinute: Number(rate ?? 0) });
console.log(JSON.stringify({ url: running.url, pid: process.pid }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
