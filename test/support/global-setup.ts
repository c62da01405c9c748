// Builds (or reuses) the test database once per run and tells every test file where it is. It holds
// the real geography and the demonstration layers for Shenyang (scope 2101) with a fixed seed and "now".

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, paths } from '../../server/paths';
import { ensureDatabase, type DemoOptions } from '../../server/ingest/build-database';
import { buildClientIfStale } from '../../server/client-build';

/** 2026-11-01 00:00 China time. */
export const TEST_NOW_MS = Date.UTC(2026, 9, 31, 16, 0, 0);
export const TEST_DEMO: DemoOptions = { seed: 1, scope: '2101', nowMs: TEST_NOW_MS };

declare module 'vitest' {
  export interface ProvidedContext {
    databasePath: string;
    dataVersion: string;
    testDemo: DemoOptions;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = join(REPO_ROOT, 'test', 'artifacts');
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, 'atlas-test.sqlite');
  const { dataVersion } = ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath, demo: TEST_DEMO });
  project.provide('databasePath', databasePath);
  project.provide('dataVersion', dataVersion);
  project.provide('testDemo', TEST_DEMO);
  // Browser tests share dist/client: build it once here, before any of them starts (unit tests need none).
  if (project.vitest.projects.some((selected) => selected.name === 'browser')) await buildClientIfStale();
}
