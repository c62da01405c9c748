// `npm run cli -- generate`: rebuild the database with seeded demonstration data.

import { parseArgs } from 'node:util';
import { parseInstant } from '../domain/china-time';
import { paths } from '../paths';
import { DEFAULT_DEMO, type DemoOptions } from '../ingest/build-database';
import { buildAndReport } from './build-db';
import { parseNumberText } from './cli-input';

export const usage = `Usage: npm run cli -- generate [--seed N] [--scope province|<code>] [--now YYYY-MM-DD] [--db FILE]

Rebuilds the database with seeded demonstration data (streets, communities, grids, demand points,
facilities, walking network, disputes) over the real geography.
  --seed N        integer 0…4294967295 (default ${DEFAULT_DEMO.seed}); same seed, scope and now → identical content
  --scope S       "province" (default) or a Liaoning city/county code, e.g. 2101 or 210103
  --now DATE      the data's "now" (00:00 China time); disputes cover the 12 months before it (default: today)
  --db FILE       database file (default ${paths.databasePath})`;

/** "2026-11-01" → that day's 00:00 China time, ms since epoch; anything else is refused, naming --now. */
export function parseNowOption(text: string): number {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? parseInstant(text, 'start') : { ok: false as const, message: 'must be a date like 2026-11-01' };
  if (!parsed.ok) throw new Error(`--now: ${parsed.message}, got "${text}"`);
  return parsed.ms;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, scope: { type: 'string' }, now: { type: 'string' }, db: { type: 'string' } },
    strict: true,
  });
  const seed = values.seed === undefined ? DEFAULT_DEMO.seed : parseNumberText(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer 0…4294967295, got "${values.seed}"`);
  const scope = values.scope === undefined || values.scope === 'province' ? '21' : values.scope;
  if (!/^21(\d{2}|\d{4})?$/.test(scope)) {
    throw new Error(`--scope must be "province" or a Liaoning city/county code (e.g. 2101, 210103), got "${scope}"`);
  }
  const demo: DemoOptions = { seed, scope, ...(values.now === undefined ? {} : { nowMs: parseNowOption(values.now) }) };
  buildAndReport(values.db ?? paths.databasePath, demo);
  return 0;
}
