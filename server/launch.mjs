// `npm start` and `npm run cli -- …`: runs the server's compiled JavaScript (node server/launch.mjs start|cli
// [args]), compiling server/ first when the build is missing or older than its sources (server-build.mjs).

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuild, markServerBuildUsed } from './server-build.mjs';

const ENTRIES = { start: 'start.js', cli: 'cli.js' };

const [entry, ...args] = process.argv.slice(2);
if (!Object.hasOwn(ENTRIES, entry)) {
  console.error(`Usage: node server/launch.mjs ${Object.keys(ENTRIES).join('|')} [arguments]`);
  process.exit(2);
}
let dir;
try {
  dir = await ensureServerBuild({ log: (message) => console.error(message) });
} catch (error) {
  // esbuild's failure lists each error with its file and line.
  console.error(`Could not compile the server: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
markServerBuildUsed(dir);
// A server starts pool threads from its build for as long as it runs: it keeps marking it used.
if (entry === 'start') setInterval(() => markServerBuildUsed(dir), 600_000).unref();
const file = join(dir, ENTRIES[entry]);
// The entry reads its arguments from process.argv as if started directly (node <build>/cli.js …).
process.argv = [process.argv[0], file, ...args];
// Stack traces of the long-running server point into the sources (reading the maps costs tens of ms at
// start); the CLI reports errors by message, so it skips them (NODE_OPTIONS=--enable-source-maps to debug).
if (entry === 'start') process.setSourceMapsEnabled(true);
await import(pathToFileURL(file).href);
