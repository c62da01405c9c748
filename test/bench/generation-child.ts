// Child process of the generation benchmark: builds the whole province once into a temporary file and
// prints its timings, peak memory and database size as JSON (run alone so the peak is its own).

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { paths } from '../../server/paths';
import { buildDatabase } from '../../server/ingest/build-database';

const scope = process.argv[2] ?? '21';
const dir = mkdtempSync(join(tmpdir(), 'atlas-generation-'));
try {
  const databasePath = join(dir, 'atlas.sqlite');
  const started = performance.now();
  const summary = buildDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: { seed: 20201101, scope, nowMs: Date.UTC(2026, 9, 31, 16) } });
  const seconds = (performance.now() - started) / 1000;
  const db = new Database(databasePath, { readonly: true });
  const timings = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'generator_timings'").get() as { value: string }).value) as Record<string, number>;
  db.close();
  console.log(
    JSON.stringify({
      scope,
      seconds,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      databaseMiB: statSync(databasePath).size / 2 ** 20,
      contentHash: summary.contentHash,
      timings,
      counts: summary.counts,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
