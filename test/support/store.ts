// The test database (built once by global-setup.ts), opened read-only.

import { inject } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store';

export function openTestStore(): SqliteStore {
  return new SqliteStore(inject('databasePath'));
}
