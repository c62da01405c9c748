// The test database (built once by global-setup.ts), opened read-only, or a writable copy of it.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store';

export function openTestStore(): SqliteStore {
  return new SqliteStore(inject('databasePath'));
}

export interface WritableTestCopy {
  store: SqliteStore;
  /** Closes the store and deletes the copy. */
  close(): void;
}

/** A writable copy of the test database in a new temporary folder named from `prefix` (tests that write). */
export function openWritableTestCopy(prefix: string): WritableTestCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  const store = new SqliteStore(databasePath, { writable: true });
  return {
    store,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
