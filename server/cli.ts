// `npm run cli -- <command>`: batch commands on the data and on files.

import { parseArgs } from 'node:util';
import { paths } from './paths';
import { DEFAULT_DEMO, buildDatabase, type DemoOptions } from './store/build-database';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  generate [--seed N] [--scope province|<code>] [--now YYYY-MM-DD] [--db FILE]
        rebuild the database with seeded demonstration data (streets, communities, grids, facilities,
        walking network, disputes) over the real geography; scope: the whole province (default) or a
        city/county code. Same seed, scope and now → identical content (see meta.health demo.contentHash).
  build-db [--no-demo] [--db FILE]
        rebuild the database from data/sources (with the default demonstration data unless --no-demo)
  help  show this help

Database: ${paths.databasePath} (ATLAS_DB overrides)
`;

function log(message: string): void {
  console.log(message);
}

/** "2026-11-01" → that day's 00:00 China time (UTC+8), ms since epoch. */
function parseChinaDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`--now must be a date like 2026-11-01, got "${text}"`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - 8 * 3_600_000;
}

function build(databasePath: string, demo: DemoOptions | null): void {
  const summary = buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo, log });
  console.log(JSON.stringify({ dataVersion: summary.dataVersion, contentHash: summary.contentHash, seconds: Number(summary.seconds.toFixed(1)), counts: summary.counts }, null, 2));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'generate': {
      const { values } = parseArgs({
        args: rest,
        options: { seed: { type: 'string' }, scope: { type: 'string' }, now: { type: 'string' }, db: { type: 'string' } },
        strict: true,
      });
      const seed = values.seed === undefined ? DEFAULT_DEMO.seed : Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer 0…4294967295, got "${values.seed}"`);
      const scope = values.scope === undefined || values.scope === 'province' ? '21' : values.scope;
      if (!/^21(\d{2}|\d{4})?$/.test(scope)) throw new Error(`--scope must be "province" or a Liaoning city/county code (e.g. 2101, 210103), got "${scope}"`);
      const demo: DemoOptions = { seed, scope, ...(values.now === undefined ? {} : { nowMs: parseChinaDate(values.now) }) };
      build(values.db ?? paths.databasePath, demo);
      return 0;
    }
    case 'build-db': {
      const { values } = parseArgs({ args: rest, options: { db: { type: 'string' }, 'no-demo': { type: 'boolean' } }, strict: true });
      build(values.db ?? paths.databasePath, values['no-demo'] ? null : DEFAULT_DEMO);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
