// `npm run cli -- build-db`: rebuild the database from data/sources.

import { parseArgs } from 'node:util';
import { paths } from '../paths';
import { DEFAULT_DEMO, buildDatabase, type DemoOptions } from '../ingest/build-database';
import { checkOutputPath } from './cli-input';

export const usage = `Usage: npm run cli -- build-db [--no-demo] [--db FILE]

Rebuilds the database from data/sources, with the default demonstration data unless --no-demo.
  --db FILE   database file (default ${paths.databasePath})`;

/** Builds the database file and prints its summary; refuses a --db path that cannot be written before any work. */
export function buildAndReport(databasePath: string, demo: DemoOptions | null): void {
  checkOutputPath(databasePath);
  const summary = buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo, log: (m) => console.log(m) });
  console.log(
    JSON.stringify(
      { dataVersion: summary.dataVersion, contentHash: summary.contentHash, seconds: Number(summary.seconds.toFixed(1)), counts: summary.counts },
      null,
      2,
    ),
  );
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, 'no-demo': { type: 'boolean' } }, strict: true });
  buildAndReport(values.db ?? paths.databasePath, values['no-demo'] ? null : DEFAULT_DEMO);
  return 0;
}
