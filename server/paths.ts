// Where the repository keeps its sources, database and built client (overridable by environment).

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const paths = {
  sourcesDir: join(REPO_ROOT, 'data', 'sources'),
  /** ATLAS_DB overrides the database file (tests use their own). */
  databasePath: process.env.ATLAS_DB ?? join(REPO_ROOT, 'data', 'atlas.sqlite'),
  /**
   * ATLAS_ACCOUNTS_DB overrides the accounts file: users, sessions, tokens, the audit chain and planning
   * scenarios (scenario.*), kept apart from the atlas data so they survive rebuilds.
   */
  accountsPath: process.env.ATLAS_ACCOUNTS_DB ?? join(REPO_ROOT, 'data', 'accounts.sqlite'),
  clientSourceDir: join(REPO_ROOT, 'client'),
  clientDir: join(REPO_ROOT, 'dist', 'client'),
};
