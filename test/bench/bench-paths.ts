// Where benchmarks keep the files they build (the Shenyang test database, generated instances), with the
// directories created on first use so `npm run bench` works on a fresh clone, before any `npm test`.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDatabase } from '../../server/ingest/build-database';
import { REPO_ROOT, paths } from '../../server/paths';
import { TEST_DEMO } from '../support/global-setup';

/** test/artifacts (created if missing): the directory the tests' global setup also builds into. */
export function benchArtifactsDir(): string {
  const dir = join(REPO_ROOT, 'test', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The Shenyang test database path (seed 1), its directory created; ensureDatabase builds the file. */
export function testDatabasePath(): string {
  return join(benchArtifactsDir(), 'atlas-test.sqlite');
}

/** The Shenyang test database, built (as the tests' global setup builds it) when missing or stale; its path. */
export function ensureTestDatabase(): string {
  const databasePath = testDatabasePath();
  ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  return databasePath;
}
