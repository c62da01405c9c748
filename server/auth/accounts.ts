// Identification and sessions: who a request comes from (a session cookie, a bearer token, or nobody),
// logins with a per-address rate limit and a lockout after repeated failures, sessions that expire and
// can be revoked, tokens for scripts and wall displays, the first administrator, and the audit trail of
// it all. Secrets (passwords, session ids, tokens) are stored only as hashes.

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CAPABILITIES, jurisdictionProblem, type Role } from '../domain/access';
import { RateLimiter, type RateLimit } from '../http/rate-limit';
import { RequestError } from '../request-error';
import type { AccountStore, TokenRecord, UserRecord } from '../store/account-store';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords';

/** Who a request comes from, and what they may see. */
export interface Principal {
  kind: 'user' | 'token' | 'anonymous';
  /** How the audit log names them: user:alice, token:7, anonymous. */
  actor: string;
  role: Role;
  /** Admin code prefix of what they may see. */
  jurisdiction: string;
  /** Kiosk tokens: the situation wall's procedures only. */
  screenOnly: boolean;
  username: string | null;
  /** The session's hash (to log out), when it came from a session. */
  sessionHash: string | null;
  mustChangePassword: boolean;
}

export const SESSION_COOKIE = 'atlas_session';
/** A wall display's cookie: its kiosk token, set by the /kiosk/<token> link. */
export const KIOSK_COOKIE = 'atlas_kiosk';

export interface AccountsOptions {
  /** A session lasts this long from login, ms (default 12 h). */
  sessionMs?: number;
  /** Failed logins in a row before the account is locked (default 5), and for how long, ms (default 15 min). */
  maxFailures?: number;
  lockMs?: number;
  /** What a caller without a session or token may do: read as a viewer of the whole deployment, or nothing. */
  anonymous: 'viewer' | 'none';
  /** The deployment's code (the province): the anonymous viewer's and the first administrator's jurisdiction. */
  deploymentCode: string;
  /** Login attempts per client address (default 10 a minute, bursts of 10). */
  loginLimit?: RateLimit;
  clock?: () => number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A secret for a cookie or a token: 32 random bytes, base64url. */
const newSecret = (): string => randomBytes(32).toString('base64url');

/** The value of one cookie in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return null;
}

/** A Set-Cookie value: HttpOnly, SameSite=Strict, the whole site; Secure over HTTPS. */
export function cookieHeader(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export class Accounts {
  readonly sessionMs: number;
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly clock: () => number;
  /** Logins per address: 10 a minute, bursts of 10. */
  private readonly loginLimiter: RateLimiter;
  /** When each token's use was last written to the audit log (once an hour per token). */
  private readonly tokenAudited = new Map<number, number>();

  constructor(
    readonly store: AccountStore,
    readonly options: AccountsOptions,
  ) {
    this.sessionMs = options.sessionMs ?? 12 * 3_600_000;
    this.maxFailures = options.maxFailures ?? 5;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
    this.loginLimiter = new RateLimiter(options.loginLimit ?? { perSecond: 10 / 60, burst: 10 }, this.clock);
  }

  /** Writes one entry of the audit trail (never personal data in `detail`). */
  audit(actor: string, action: string, target: string, detail: Record<string, unknown> = {}): void {
    this.store.appendAudit({ at: this.clock(), actor, action, target, detail });
  }

  private anonymous(): Principal | null {
    if (this.options.anonymous === 'none') return null;
    return {
      kind: 'anonymous',
      actor: 'anonymous',
      role: 'viewer',
      jurisdiction: this.options.deploymentCode,
      screenOnly: false,
      username: null,
      sessionHash: null,
      mustChangePassword: false,
    };
  }

  private userPrincipal(user: UserRecord, sessionHash: string | null): Principal {
    return {
      kind: 'user',
      actor: `user:${user.username}`,
      role: user.role,
      jurisdiction: user.jurisdiction,
      screenOnly: false,
      username: user.username,
      sessionHash,
      mustChangePassword: user.mustChangePassword,
    };
  }

  private tokenPrincipal(token: TokenRecord): Principal {
    return {
      kind: 'token',
      actor: `token:${token.id}`,
      role: token.role,
      jurisdiction: token.jurisdiction,
      screenOnly: token.screenOnly || token.role === 'kiosk',
      username: null,
      sessionHash: null,
      mustChangePassword: false,
    };
  }

  /**
   * Who a request comes from: a bearer token, else a session cookie, else the anonymous viewer (or null
   * when anonymous callers may do nothing). A bearer token or cookie that does not resolve is refused:
   * a stale credential never falls back to anonymous access.
   */
  resolve(req: IncomingMessage): Principal | null {
    const header = req.headers.authorization;
    const bearer = header ? /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() : undefined;
    if (bearer !== undefined) return this.tokenPrincipalOf(bearer, 'the bearer token is unknown or revoked');
    const sessionId = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (sessionId !== null) {
      const principal = this.sessionPrincipal(sessionId);
      if (!principal) throw new RequestError('UNAUTHORIZED', 'the session has ended: log in again');
      return principal;
    }
    const kiosk = cookieValue(req.headers.cookie, KIOSK_COOKIE);
    if (kiosk !== null) return this.tokenPrincipalOf(kiosk, 'this wall display\'s link was revoked: ask for a new one');
    return this.anonymous();
  }

  /** The principal of a token's secret (its use audited once an hour), or UNAUTHORIZED. */
  private tokenPrincipalOf(secret: string, refusal: string): Principal {
    const token = this.store.tokenByHash(sha256(secret));
    if (!token || token.revokedAt !== null) throw new RequestError('UNAUTHORIZED', refusal);
    const now = this.clock();
    if ((this.tokenAudited.get(token.id) ?? -Infinity) < now - 3_600_000) {
      this.tokenAudited.set(token.id, now);
      this.store.touchToken(token.id, now);
      this.audit(`token:${token.id}`, 'token-use', `token:${token.id}`, { role: token.role, jurisdiction: token.jurisdiction });
    }
    return this.tokenPrincipal(token);
  }

  /** A wall display's token (for the /kiosk/<token> link), or null when unknown, revoked or not screen-only. */
  kioskToken(secret: string): TokenRecord | null {
    const token = this.store.tokenByHash(sha256(secret));
    return token && token.revokedAt === null && token.screenOnly ? token : null;
  }

  /** The principal of a session id (the kiosk and login pages check it), or null. */
  sessionPrincipal(sessionId: string): Principal | null {
    const sessionHash = sha256(sessionId);
    const session = this.store.session(sessionHash);
    const user = session ? this.store.userById(session.userId) : null;
    if (!session || !user || session.revokedAt !== null || session.expiresAt <= this.clock() || user.disabled) return null;
    return this.userPrincipal(user, sessionHash);
  }

  /**
   * Checks a username and password; on success opens a session and returns its secret id (for the
   * cookie). Refuses too many attempts from one address, and a locked, disabled or unknown account
   * with the same message as a wrong password (no account enumeration).
   */
  async login(username: string, password: string, address: string): Promise<{ sessionId: string; principal: Principal; expiresAt: number }> {
    const wait = this.loginLimiter.take(address);
    if (wait > 0) {
      this.audit(`anonymous@${address}`, 'login-refused', `user:${username}`, { reason: 'rate' });
      throw new RequestError('TOO_MANY_REQUESTS', `too many login attempts from this address; retry in ${wait} s`);
    }
    const now = this.clock();
    const user = this.store.userByName(username);
    const refused = new RequestError('UNAUTHORIZED', 'wrong username or password, or the account is locked');
    if (!user) {
      // Spend the same time as a real check, so a missing account cannot be told by the answer's speed.
      await verifyPassword(await DUMMY_HASH, password);
      this.audit(`anonymous@${address}`, 'login-failed', `user:${username}`, { reason: 'unknown user' });
      throw refused;
    }
    if (user.disabled || (user.lockedUntil !== null && user.lockedUntil > now)) {
      this.audit(`anonymous@${address}`, 'login-failed', `user:${username}`, { reason: user.disabled ? 'disabled' : 'locked' });
      throw refused;
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const failures = this.store.recordLoginFailure(user.id, null);
      if (failures >= this.maxFailures) this.store.recordLoginFailure(user.id, now + this.lockMs);
      this.audit(`anonymous@${address}`, 'login-failed', `user:${username}`, { reason: 'password', failures, locked: failures >= this.maxFailures });
      throw refused;
    }
    this.store.recordLoginSuccess(user.id);
    const sessionId = newSecret();
    const expiresAt = now + this.sessionMs;
    this.store.addSession(sha256(sessionId), user.id, now, expiresAt);
    this.audit(`user:${user.username}`, 'login', `user:${user.username}`, { address });
    return { sessionId, principal: this.userPrincipal(user, sha256(sessionId)), expiresAt };
  }

  logout(principal: Principal): void {
    if (principal.sessionHash === null) return;
    this.store.revokeSession(principal.sessionHash, this.clock());
    this.audit(principal.actor, 'logout', principal.actor);
  }

  /** Changes the caller's own password, after checking the current one. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const user = principal.username ? this.store.userByName(principal.username) : null;
    if (!user) throw new RequestError('FORBIDDEN', 'only a logged-in user has a password to change');
    if (!(await verifyPassword(user.passwordHash, current))) throw new RequestError('BAD_REQUEST', 'current: the current password is wrong');
    const problem = passwordProblem(next);
    if (problem) throw new RequestError('BAD_REQUEST', `password: ${problem}`);
    this.store.setPassword(user.id, await hashPassword(next), false);
    this.audit(principal.actor, 'password-change', principal.actor);
  }

  /** Adds a user; returns the password (the given one, or a generated one to hand over once). */
  async addUser(actor: string, input: { username: string; role: Role; jurisdiction: string; password?: string }): Promise<{ user: UserRecord; password: string }> {
    if (!/^[A-Za-z0-9_.-]{2,40}$/.test(input.username)) throw new RequestError('BAD_REQUEST', 'username: 2–40 letters, digits, dots, dashes or underscores');
    if (this.store.userByName(input.username)) throw new RequestError('CONFLICT', `username: ${input.username} exists`);
    const jurisdictionIssue = jurisdictionProblem(input.role, input.jurisdiction);
    if (jurisdictionIssue) throw new RequestError('BAD_REQUEST', `jurisdiction: ${jurisdictionIssue}`);
    const password = input.password ?? generatePassword();
    const problem = passwordProblem(password);
    if (problem) throw new RequestError('BAD_REQUEST', `password: ${problem}`);
    const user = this.store.addUser({
      username: input.username,
      role: input.role,
      jurisdiction: input.jurisdiction,
      passwordHash: await hashPassword(password),
      mustChangePassword: input.password === undefined,
      at: this.clock(),
    });
    this.audit(actor, 'user-add', `user:${user.username}`, { role: user.role, jurisdiction: user.jurisdiction });
    return { user, password };
  }

  /** A new generated password for a user (to change at the next login); ends their sessions. */
  async resetPassword(actor: string, username: string): Promise<string> {
    const user = this.requireUser(username);
    const password = generatePassword();
    this.store.setPassword(user.id, await hashPassword(password), true);
    this.store.revokeSessionsOf(user.id, this.clock());
    this.audit(actor, 'user-reset', `user:${username}`);
    return password;
  }

  setDisabled(actor: string, username: string, disabled: boolean): void {
    const user = this.requireUser(username);
    this.store.setDisabled(user.id, disabled);
    if (disabled) this.store.revokeSessionsOf(user.id, this.clock());
    this.audit(actor, disabled ? 'user-disable' : 'user-enable', `user:${username}`);
  }

  private requireUser(username: string): UserRecord {
    const user = this.store.userByName(username);
    if (!user) throw new RequestError('NOT_FOUND', `username: no user ${username}`);
    return user;
  }

  /** A new bearer token; returns its secret (shown once) and record. */
  addToken(actor: string, input: { role: Role; jurisdiction: string; screenOnly: boolean; label?: string }): { token: string; record: TokenRecord } {
    if (input.role === 'admin') throw new RequestError('BAD_REQUEST', 'role: tokens cannot administer; log in as an administrator instead');
    const jurisdictionIssue = jurisdictionProblem(input.role, input.jurisdiction);
    if (jurisdictionIssue) throw new RequestError('BAD_REQUEST', `jurisdiction: ${jurisdictionIssue}`);
    const screenOnly = input.screenOnly || input.role === 'kiosk';
    if (screenOnly && CAPABILITIES[input.role].report) throw new RequestError('BAD_REQUEST', 'role: a screen-only token is read-only; use role kiosk or viewer');
    const token = newSecret();
    const record = this.store.addToken({
      hash: sha256(token),
      label: input.label ?? `${input.role} ${input.jurisdiction}${screenOnly ? ' (screen)' : ''}`,
      role: input.role,
      jurisdiction: input.jurisdiction,
      screenOnly,
      at: this.clock(),
    });
    this.audit(actor, 'token-add', `token:${record.id}`, { role: record.role, jurisdiction: record.jurisdiction, screenOnly });
    return { token, record };
  }

  revokeToken(actor: string, id: number): void {
    const token = this.store.tokenById(id);
    if (!token) throw new RequestError('NOT_FOUND', `id: no token ${id}`);
    if (!this.store.revokeToken(id, this.clock())) throw new RequestError('CONFLICT', `id: token ${id} was already revoked`);
    this.audit(actor, 'token-revoke', `token:${id}`);
  }

  /**
   * On first start (no user at all): an administrator of the whole deployment with a generated
   * password to change at first login. Returns the password to print once, or null.
   */
  async ensureAdministrator(): Promise<{ username: string; password: string } | null> {
    if (this.store.countUsers() > 0) return null;
    const { password } = await this.addUser('system', { username: 'admin', role: 'admin', jurisdiction: this.options.deploymentCode });
    return { username: 'admin', password };
  }
}

/** A hash to verify against when the user does not exist (computed once). */
const DUMMY_HASH: Promise<string> = hashPassword(randomBytes(16).toString('hex'));
