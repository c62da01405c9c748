// Accounts, sessions, API and kiosk tokens, and the audit log: the store of who may use the atlas and
// what they did. Kept apart from the atlas data (which is rebuilt with every data version) so accounts
// and the audit chain survive rebuilds and imports. Secrets are stored only as hashes.

import type { Role } from '../domain/access';
import type { BoundaryRecordStore } from './boundary-record-store';
import type { ScenarioStore } from './scenario-store';

export interface UserRecord {
  id: number;
  username: string;
  role: Role;
  /** Admin code (prefix) of the area the user may see and act in. */
  jurisdiction: string;
  disabled: boolean;
  /** The password must be changed at the next login (set by a reset or the first start). */
  mustChangePassword: boolean;
  createdAt: number;
  /** Failed logins since the last success, and until when logins are refused (ms since epoch). */
  failedLogins: number;
  lockedUntil: number | null;
}

export interface SessionRecord {
  userId: number;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface TokenRecord {
  id: number;
  label: string;
  role: Role;
  jurisdiction: string;
  /** Kiosk tokens: usable by the situation wall (/screen) only. */
  screenOnly: boolean;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  /** Who: "user:alice", "token:7", "anonymous@127.0.0.1", "system". */
  actor: string;
  /** What: login, login-failed, logout, token-use, export, unmasked-view, write, admin …. */
  action: string;
  /** On what: a procedure, a case, a user, a token. */
  target: string;
  /** Details (never personal data). */
  detail: Record<string, unknown>;
  /** sha256 of the previous entry's hash and this entry's content: the chain. */
  hash: string;
}

export interface AuditQuery {
  /** Entries with seq ≥ fromSeq and < beforeSeq. */
  fromSeq?: number;
  beforeSeq?: number;
  /** Newest first (default oldest first). */
  newestFirst?: boolean;
  actor?: string;
  action?: string;
  limit: number;
}

export interface AccountStore {
  /** Planning scenarios: user data, kept beside the accounts. */
  readonly scenarios: ScenarioStore;
  /** Joint patrols and agreements recorded on boundary lines: user data, kept beside the accounts. */
  readonly boundaryRecords: BoundaryRecordStore;
  countUsers(): number;
  userByName(username: string): (UserRecord & { passwordHash: string }) | null;
  userById(id: number): UserRecord | null;
  listUsers(): UserRecord[];
  addUser(user: { username: string; role: Role; jurisdiction: string; passwordHash: string; mustChangePassword: boolean; at: number }): UserRecord;
  setPassword(userId: number, passwordHash: string, mustChangePassword: boolean): void;
  setDisabled(userId: number, disabled: boolean): void;
  /** Records a failed login; returns the failures so far. */
  recordLoginFailure(userId: number, lockedUntil: number | null): number;
  recordLoginSuccess(userId: number): void;

  /** Sessions by the hash of their secret id. */
  addSession(idHash: string, userId: number, at: number, expiresAt: number): void;
  session(idHash: string): SessionRecord | null;
  revokeSession(idHash: string, at: number): void;
  revokeSessionsOf(userId: number, at: number): void;

  /** Tokens by the hash of their secret. */
  addToken(token: { hash: string; label: string; role: Role; jurisdiction: string; screenOnly: boolean; at: number }): TokenRecord;
  tokenByHash(hash: string): TokenRecord | null;
  listTokens(): TokenRecord[];
  tokenById(id: number): TokenRecord | null;
  /** Revokes a token; false when it was already revoked or does not exist. */
  revokeToken(id: number, at: number): boolean;
  touchToken(id: number, at: number): void;

  /** Appends to the hash chain; returns the entry as written. */
  appendAudit(entry: Omit<AuditEntry, 'seq' | 'hash'>): AuditEntry;
  audit(query: AuditQuery): AuditEntry[];
  /** Checks the whole chain: null when intact, else the first entry that does not verify. */
  verifyAudit(): { seq: number; reason: string } | null;
  close(): void;
}
