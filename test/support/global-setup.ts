// Builds (or reuses) the test database once per run and tells every test file where it is.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, paths } from '../../server/paths';
import { ensureDatabase } from '../../server/store/build-database';

declare module 'vitest' {
  export interface ProvidedContext {
    databasePath: string;
    dataVersion: string;
  }
}

export default function setup(project: TestProject): void {
  const dir = join(REPO_ROOT, 'test', 'artifacts');
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, 'atlas-test.sqlite');
  const { dataVersion } = ensureDatabase({ sourcesDir: paths.sourcesDir, databasePath });
  project.provide('databasePath', databasePath);
  project.provide('dataVersion', dataVersion);
}
