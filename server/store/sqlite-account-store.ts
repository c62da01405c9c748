// AccountStore on its own SQLite file (better-sqlite3, WAL): users, sessions, tokens, the audit log,
// planning scenarios and boundary-line records, created on first open and migrated by PRAGMA user_version.
// The audit chain links each entry to the one before by sha256, so an edited, inserted or removed row
// breaks verification.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Role } from '../domain/access';
import type { AccountStore, AuditEntry, AuditQuery, SessionRecord, TokenRecord, UserRecord } from './account-store';
import { BOUNDARY_RECORD_SCHEMA, SqliteBoundaryRecordStore } from './sqlite-boundary-record-store';
import { SCENARIO_SCHEMA, SqliteScenarioStore } from './sqlite-scenario-store';

/** 1: users, sessions, tokens, audit log; 2: + planning scenarios; 3: + boundary-line patrols and agreements. */
const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS app_user (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL,
  jurisdiction    TEXT NOT NULL,
  password_hash   TEXT NOT NULL,             -- argon2id (PHC string)
  disabled        INTEGER NOT NULL DEFAULT 0,
  must_change     INTEGER NOT NULL DEFAULT 0,
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until    INTEGER,                   -- ms since epoch
  created_at      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS app_session (
  id_hash         TEXT PRIMARY KEY,          -- sha256 of the cookie's secret
  user_id         INTEGER NOT NULL REFERENCES app_user (id),
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  revoked_at      INTEGER
);
CREATE INDEX IF NOT EXISTS app_session_user ON app_session (user_id);
CREATE TABLE IF NOT EXISTS app_token (
  id              INTEGER PRIMARY KEY,
  token_hash      TEXT NOT NULL UNIQUE,      -- sha256 of the bearer secret
  label           TEXT NOT NULL,
  role            TEXT NOT NULL,
  jurisdiction    TEXT NOT NULL,
  screen_only     INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  revoked_at      INTEGER,
  last_used_at    INTEGER
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq             INTEGER PRIMARY KEY,
  at              INTEGER NOT NULL,
  actor           TEXT NOT NULL,
  action          TEXT NOT NULL,
  target          TEXT NOT NULL,
  detail          TEXT NOT NULL,             -- JSON
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, seq);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action, seq);
`;

/** The hash of the chain's start (before the first entry). */
const GENESIS = '0'.repeat(64);

interface UserRow {
  id: number;
  username: string;
  role: Role;
  jurisdiction: string;
  password_hash: string;
  disabled: number;
  must_change: number;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
}

interface TokenRow {
  id: number;
  label: string;
  role: Role;
  jurisdiction: string;
  screen_only: number;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  role: row.role,
  jurisdiction: row.jurisdiction,
  disabled: row.disabled === 1,
  mustChangePassword: row.must_change === 1,
  createdAt: row.created_at,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
});

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  label: row.label,
  role: row.role,
  jurisdiction: row.jurisdiction,
  screenOnly: row.screen_only === 1,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** The chain hash of an entry: sha256 of the previous hash and the entry's content in a fixed order. */
export function auditHash(prevHash: string, entry: { seq: number; at: number; actor: string; action: string; target: string; detail: string }): string {
  return createHash('sha256')
    .update(`${prevHash}\n${entry.seq}\n${entry.at}\n${entry.actor}\n${entry.action}\n${entry.target}\n${entry.detail}`)
    .digest('hex');
}

export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database;
  readonly scenarios: SqliteScenarioStore;
  readonly boundaryRecords: SqliteBoundaryRecordStore;
  /** The statements every request runs (who is calling), prepared once. */
  private readonly hot: { tokenByHash: Database.Statement; session: Database.Statement; userById: Database.Statement };

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // As the atlas store: WAL with NORMAL sync (a power cut may lose the last commits, never corrupt);
    // ATLAS_SYNC=full syncs every commit.
    this.db.pragma(process.env.ATLAS_SYNC === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${path}: accounts schema ${version} is newer than this server's (${SCHEMA_VERSION})`);
    // Each step brings the file from the version before; a new file takes them all.
    this.db.transaction(() => {
      if (version < 1) this.db.exec(SCHEMA);
      if (version < 2) this.db.exec(SCENARIO_SCHEMA);
      if (version < 3) this.db.exec(BOUNDARY_RECORD_SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    this.scenarios = new SqliteScenarioStore(this.db);
    this.boundaryRecords = new SqliteBoundaryRecordStore(this.db);
    this.hot = {
      tokenByHash: this.db.prepare('SELECT * FROM app_token WHERE token_hash = ?'),
      session: this.db.prepare('SELECT user_id, created_at, expires_at, revoked_at FROM app_session WHERE id_hash = ?'),
      userById: this.db.prepare('SELECT * FROM app_user WHERE id = ?'),
    };
  }

  countUsers(): number {
    return this.db.prepare('SELECT count(*) FROM app_user').pluck().get() as number;
  }

  userByName(username: string): (UserRecord & { passwordHash: string }) | null {
    const row = this.db.prepare('SELECT * FROM app_user WHERE username = ?').get(username) as UserRow | undefined;
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  userById(id: number): UserRecord | null {
    const row = this.hot.userById.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  listUsers(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM app_user ORDER BY username').all() as UserRow[]).map(toUser);
  }

  addUser(user: { username: string; role: Role; jurisdiction: string; passwordHash: string; mustChangePassword: boolean; at: number }): UserRecord {
    const id = Number(
      this.db
        .prepare('INSERT INTO app_user (username, role, jurisdiction, password_hash, must_change, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(user.username, user.role, user.jurisdiction, user.passwordHash, user.mustChangePassword ? 1 : 0, user.at).lastInsertRowid,
    );
    return this.userById(id)!;
  }

  setPassword(userId: number, passwordHash: string, mustChangePassword: boolean): void {
    this.db.prepare('UPDATE app_user SET password_hash = ?, must_change = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(passwordHash, mustChangePassword ? 1 : 0, userId);
  }

  setDisabled(userId: number, disabled: boolean): void {
    this.db.prepare('UPDATE app_user SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, userId);
  }

  recordLoginFailure(userId: number, lockedUntil: number | null): number {
    this.db.prepare('UPDATE app_user SET failed_logins = failed_logins + 1, locked_until = coalesce(?, locked_until) WHERE id = ?').run(lockedUntil, userId);
    return this.db.prepare('SELECT failed_logins FROM app_user WHERE id = ?').pluck().get(userId) as number;
  }

  recordLoginSuccess(userId: number): void {
    this.db.prepare('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(userId);
  }

  addSession(idHash: string, userId: number, at: number, expiresAt: number): void {
    this.db.prepare('INSERT INTO app_session (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(idHash, userId, at, expiresAt);
  }

  session(idHash: string): SessionRecord | null {
    const row = this.hot.session.get(idHash) as
      | { user_id: number; created_at: number; expires_at: number; revoked_at: number | null }
      | undefined;
    return row ? { userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at } : null;
  }

  revokeSession(idHash: string, at: number): void {
    this.db.prepare('UPDATE app_session SET revoked_at = coalesce(revoked_at, ?) WHERE id_hash = ?').run(at, idHash);
  }

  revokeSessionsOf(userId: number, at: number): void {
    this.db.prepare('UPDATE app_session SET revoked_at = coalesce(revoked_at, ?) WHERE user_id = ?').run(at, userId);
  }

  addToken(token: { hash: string; label: string; role: Role; jurisdiction: string; screenOnly: boolean; at: number }): TokenRecord {
    const id = Number(
      this.db
        .prepare('INSERT INTO app_token (token_hash, label, role, jurisdiction, screen_only, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(token.hash, token.label, token.role, token.jurisdiction, token.screenOnly ? 1 : 0, token.at).lastInsertRowid,
    );
    return toToken(this.db.prepare('SELECT * FROM app_token WHERE id = ?').get(id) as TokenRow);
  }

  tokenByHash(hash: string): TokenRecord | null {
    const row = this.hot.tokenByHash.get(hash) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  listTokens(): TokenRecord[] {
    return (this.db.prepare('SELECT * FROM app_token ORDER BY id').all() as TokenRow[]).map(toToken);
  }

  tokenById(id: number): TokenRecord | null {
    const row = this.db.prepare('SELECT * FROM app_token WHERE id = ?').get(id) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  revokeToken(id: number, at: number): boolean {
    return this.db.prepare('UPDATE app_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  touchToken(id: number, at: number): void {
    this.db.prepare('UPDATE app_token SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  appendAudit(entry: Omit<AuditEntry, 'seq' | 'hash'>): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS;
      const detail = JSON.stringify(entry.detail);
      const hash = auditHash(prevHash, { seq, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target, detail });
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(seq, entry.at, entry.actor, entry.action, entry.target, detail, prevHash, hash);
      return { ...entry, seq, hash };
    })();
  }

  audit(query: AuditQuery): AuditEntry[] {
    const order = query.newestFirst ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log WHERE seq >= @fromSeq AND seq < @beforeSeq AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
         ORDER BY seq ${order} LIMIT @limit`,
      )
      .all({
        fromSeq: query.fromSeq ?? 0,
        beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
        actor: query.actor ?? null,
        action: query.action ?? null,
        limit: query.limit,
      }) as AuditRow[];
    return rows.map((row) => ({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, target: row.target, detail: JSON.parse(row.detail) as Record<string, unknown>, hash: row.hash }));
  }

  verifyAudit(): { seq: number; reason: string } | null {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      if (row.seq !== expectedSeq) return { seq: row.seq, reason: `entry ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { seq: row.seq, reason: 'its link to the entry before does not match' };
      if (auditHash(prevHash, row) !== row.hash) return { seq: row.seq, reason: 'its content does not match its hash' };
      prevHash = row.hash;
      expectedSeq++;
    }
    return null;
  }

  close(): void {
    this.db.close();
  }
}
