// Credentials for tests and benchmarks that write over HTTP: an accounts file holding one bearer token
// of a role (a province officer of the whole deployment unless told), for servers started in-process
// (`startServer({ accountsPath })`) or in their own process (env ATLAS_ACCOUNTS_DB).

import { join } from 'node:path';
import { Accounts } from '../../server/auth/accounts';
import type { Role } from '../../server/domain/access';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';

export interface TestCredentials {
  accountsPath: string;
  token: string;
  /** Headers for createTestClient and fetch. */
  headers: { authorization: string };
}

/** Creates `dir`/accounts.sqlite (or adds to it) with a token of `role` for `jurisdiction`. */
export function writeTestToken(dir: string, role: Role = 'province-officer', jurisdiction = '21'): TestCredentials {
  const accountsPath = join(dir, 'accounts.sqlite');
  const accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
  try {
    const { token } = accounts.addToken('test', { role, jurisdiction, screenOnly: false, label: `test ${role}` });
    return { accountsPath, token, headers: { authorization: `Bearer ${token}` } };
  } finally {
    accounts.store.close();
  }
}

/** A token on a running server's own accounts (in-process servers). */
export function tokenHeaders(accounts: Accounts, role: Role = 'province-officer', jurisdiction = '21'): { authorization: string } {
  return { authorization: `Bearer ${accounts.addToken('test', { role, jurisdiction, screenOnly: false }).token}` };
}
