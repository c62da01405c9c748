// The `user`, `token` and `audit` CLI commands on temporary accounts files: passwords that log in (a
// fresh Accounts over the same file), lists without hashes or secrets, disabling and resetting, tokens
// the store finds by the hash of the printed secret, kiosk links, revocation, the audit chain intact,
// edited and with a row removed, and bad input refused with nothing written; two runs through the real
// process for the exit codes and the one-line errors.

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Accounts } from '../../../server/auth/accounts';
import { run as runAudit } from '../../../server/cli/audit';
import { CLI_COMMANDS } from '../../../server/cli/commands';
import { run as runToken } from '../../../server/cli/token';
import { run as runUser } from '../../../server/cli/user';
import { ROLES } from '../../../server/domain/access';
import { RequestError } from '../../../server/request-error';
import { SqliteAccountStore } from '../../../server/store/sqlite-account-store';
import { runCli, stderrLines } from './cli-process';

const dir = mkdtempSync(join(tmpdir(), 'atlas-accounts-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A new accounts file path (not yet created). */
const newAccountsFile = (): string => join(dir, `accounts-${++files}.sqlite`);
/** No atlas database: unit names are left out. */
const noAtlas = join(dir, 'no-atlas.sqlite');

interface Outcome {
  code: number;
  out: string;
  err: string;
}

const RUNNERS = { user: runUser, token: runToken, audit: runAudit } as const;

/**
 * Runs a command in-process with its output captured; a thrown error becomes exit code 1 and its message
 * on stderr, as server/cli.ts reports it.
 */
async function cli(command: keyof typeof RUNNERS, args: string[]): Promise<Outcome> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    let code: number;
    try {
      code = await RUNNERS[command](args);
    } catch (thrown) {
      console.error(thrown instanceof Error ? thrown.message : String(thrown));
      code = 1;
    }
    const text = (spy: typeof log) => spy.mock.calls.map((call) => call.join(' ')).join('\n');
    return { code, out: text(log), err: text(error) };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A fresh Accounts over the file (as the server would open it), closed after `body`. */
async function withAccounts<T>(file: string, body: (accounts: Accounts, store: SqliteAccountStore) => Promise<T> | T): Promise<T> {
  const store = new SqliteAccountStore(file);
  try {
    return await body(new Accounts(store, { anonymous: 'none', deploymentCode: '21' }), store);
  } finally {
    store.close();
  }
}

const login = (file: string, username: string, password: string) => withAccounts(file, (accounts) => accounts.login(username, password, '127.0.0.1'));

/** The status of a refused login (UNAUTHORIZED), or "ok". */
const loginOutcome = (file: string, username: string, password: string): Promise<string> =>
  login(file, username, password).then(
    () => 'ok',
    (error: unknown) => (error instanceof RequestError ? error.code : String(error)),
  );

const generatedPassword = (out: string): string => /Generated password \(shown once; it must be changed at first login\): (\S+)/.exec(out)![1]!;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const tokenSecret = (out: string): string => /Token secret \(shown once; keep it secret\): (\S+)/.exec(out)![1]!;
const tokenId = (out: string): number => Number(/Token id: (\d+)/.exec(out)![1]);

describe('the commands are registered', () => {
  it('user, token and audit are in CLI_COMMANDS with their modules', () => {
    expect(CLI_COMMANDS.user?.module).toBe('./user');
    expect(CLI_COMMANDS.token?.module).toBe('./token');
    expect(CLI_COMMANDS.audit?.module).toBe('./audit');
  });
});

describe('user', () => {
  it('add without --password prints a generated password once, which logs in and must be changed', async () => {
    const file = newAccountsFile();
    const added = await cli('user', ['add', 'alice', '--role', 'city-officer', '--jurisdiction', '2101', '--accounts', file]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain('Added user alice: city-officer (市级综治工作人员), jurisdiction 2101.');
    const password = generatedPassword(added.out);
    expect(added.out.split(password)).toHaveLength(2); // printed exactly once
    const session = await login(file, 'alice', password);
    expect(session.principal).toMatchObject({ role: 'city-officer', jurisdiction: '2101', username: 'alice', mustChangePassword: true });
  });

  it('add with --password uses it (no generated password printed, no change required)', async () => {
    const file = newAccountsFile();
    const added = await cli('user', ['add', 'bob', '--role', 'grid-worker', '--jurisdiction', '210102001001', '--password', 'correct-horse-7', '--accounts', file]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).not.toMatch(/password/i);
    expect(added.out).not.toContain('correct-horse-7');
    const session = await login(file, 'bob', 'correct-horse-7');
    expect(session.principal).toMatchObject({ role: 'grid-worker', jurisdiction: '210102001001', mustChangePassword: false });
  });

  it('list shows the users, roles with their Chinese labels and flags, never a hash', async () => {
    const file = newAccountsFile();
    await cli('user', ['add', 'carol', '--role', 'county-officer', '--jurisdiction', '210102', '--accounts', file]);
    await cli('user', ['add', 'dave', '--role', 'viewer', '--jurisdiction', '21', '--password', 'viewer-pass-1', '--accounts', file]);
    const listed = await cli('user', ['list', '--accounts', file, '--db', noAtlas]);
    expect(listed.code, listed.err).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines[0]).toMatch(/^username\s+role\s+role \(zh\)\s+jurisdiction\s+unit\s+disabled\s+must change\s+locked until \(UTC\+8\)$/);
    expect(lines.find((line) => line.startsWith('carol'))).toMatch(/^carol\s+county-officer\s+县级综治中心工作人员\s+210102\s+-\s+no\s+yes\s+-$/);
    expect(lines.find((line) => line.startsWith('dave'))).toMatch(/^dave\s+viewer\s+浏览用户\s+21\s+-\s+no\s+no\s+-$/);
    expect(listed.out).not.toMatch(/argon2|\$v=|viewer-pass-1/);
    // Wide (Chinese) cells are padded by their display width, so the columns after them line up.
    const jurisdictionColumn = (line: string) => {
      let width = 0;
      for (const char of line.slice(0, line.search(/\s(210102|21)\s/) + 1)) width += /[\u3000-\u9fff\uff00-\uff60]/.test(char) ? 2 : 1;
      return width;
    };
    expect(jurisdictionColumn(lines.find((line) => line.startsWith('carol'))!)).toBe(jurisdictionColumn(lines.find((line) => line.startsWith('dave'))!));
  });

  it('disable refuses logins and enable allows them again', async () => {
    const file = newAccountsFile();
    await cli('user', ['add', 'erin', '--role', 'planner', '--jurisdiction', '2102', '--password', 'planner-pass-1', '--accounts', file]);
    expect(await loginOutcome(file, 'erin', 'planner-pass-1')).toBe('ok');
    const disabled = await cli('user', ['disable', 'erin', '--accounts', file]);
    expect(disabled.code, disabled.err).toBe(0);
    expect(await loginOutcome(file, 'erin', 'planner-pass-1')).toBe('UNAUTHORIZED');
    expect((await cli('user', ['list', '--accounts', file, '--db', noAtlas])).out).toMatch(/^erin\s+planner\s+规划人员\s+2102\s+-\s+yes\s+no\s+-$/m);
    expect((await cli('user', ['enable', 'erin', '--accounts', file])).code).toBe(0);
    expect(await loginOutcome(file, 'erin', 'planner-pass-1')).toBe('ok');
  });

  it('reset prints a new password: the old one no longer logs in, the new one does and must be changed', async () => {
    const file = newAccountsFile();
    await cli('user', ['add', 'frank', '--role', 'viewer', '--jurisdiction', '21', '--password', 'old-password-1', '--accounts', file]);
    const reset = await cli('user', ['reset', 'frank', '--accounts', file]);
    expect(reset.code, reset.err).toBe(0);
    const password = /New password \(shown once; it must be changed at the next login\): (\S+)/.exec(reset.out)![1]!;
    expect(password).not.toBe('old-password-1');
    expect(await loginOutcome(file, 'frank', 'old-password-1')).toBe('UNAUTHORIZED');
    expect((await login(file, 'frank', password)).principal.mustChangePassword).toBe(true);
  });

  it('disable, enable and reset of an unknown user fail naming it', async () => {
    const file = newAccountsFile();
    await cli('user', ['add', 'gina', '--role', 'viewer', '--jurisdiction', '21', '--accounts', file]);
    for (const subcommand of ['disable', 'enable', 'reset']) {
      const outcome = await cli('user', [subcommand, 'nobody', '--accounts', file]);
      expect(outcome.code).toBe(1);
      expect(outcome.err).toBe('username: no user nobody');
    }
  });
});

describe('token', () => {
  it('add prints a secret once that the store finds by its hash, with the role, jurisdiction and no kiosk link', async () => {
    const file = newAccountsFile();
    const added = await cli('token', ['add', '--role', 'viewer', '--jurisdiction', '2101', '--label', 'ops script', '--accounts', file]);
    expect(added.code, added.err).toBe(0);
    const secret = tokenSecret(added.out);
    expect(added.out.split(secret)).toHaveLength(2);
    expect(added.out).not.toContain('/kiosk/');
    const record = await withAccounts(file, (_, store) => store.tokenByHash(sha256(secret)));
    expect(record).toMatchObject({ id: tokenId(added.out), label: 'ops script', role: 'viewer', jurisdiction: '2101', screenOnly: false, revokedAt: null });
  });

  it('a screen-only token and a kiosk token get the kiosk link /kiosk/<secret>', async () => {
    const file = newAccountsFile();
    const screen = await cli('token', ['add', '--role', 'viewer', '--jurisdiction', '21', '--screen-only', '--accounts', file]);
    const kiosk = await cli('token', ['add', '--role', 'kiosk', '--jurisdiction', '2101', '--accounts', file]);
    for (const [outcome, role, jurisdiction] of [[screen, 'viewer', '21'], [kiosk, 'kiosk', '2101']] as const) {
      expect(outcome.code, outcome.err).toBe(0);
      const secret = tokenSecret(outcome.out);
      expect(outcome.out).toContain(`Kiosk link (open on the wall display): /kiosk/${secret}`);
      const record = await withAccounts(file, (_, store) => store.tokenByHash(sha256(secret)));
      expect(record).toMatchObject({ role, jurisdiction, screenOnly: true });
    }
  });

  it('list never shows secrets; revoke marks the token revoked; an unknown or malformed id fails', async () => {
    const file = newAccountsFile();
    const first = await cli('token', ['add', '--role', 'planner', '--jurisdiction', '2101', '--label', 'planning export', '--accounts', file]);
    const second = await cli('token', ['add', '--role', 'kiosk', '--jurisdiction', '21', '--accounts', file]);
    const revoked = await cli('token', ['revoke', String(tokenId(first.out)), '--accounts', file]);
    expect(revoked.code, revoked.err).toBe(0);
    const record = await withAccounts(file, (_, store) => store.tokenByHash(sha256(tokenSecret(first.out))));
    expect(record?.revokedAt).not.toBeNull();
    expect(await withAccounts(file, (_, store) => store.tokenByHash(sha256(tokenSecret(second.out)))?.revokedAt)).toBeNull();

    const listed = await cli('token', ['list', '--accounts', file]);
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(tokenSecret(first.out));
    expect(listed.out).not.toContain(tokenSecret(second.out));
    const lines = listed.out.split('\n');
    expect(lines[0]).toMatch(/^id\s+label\s+role\s+jurisdiction\s+screen only\s+created \(UTC\+8\)\s+last used\s+revoked$/);
    expect(lines[2]).toMatch(/^1\s+planning export\s+planner\s+2101\s+no\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(lines[3]).toMatch(/^2\s+kiosk 21 \(screen\)\s+kiosk\s+21\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+-$/);

    const unknown = await cli('token', ['revoke', '99', '--accounts', file]);
    expect(unknown).toMatchObject({ code: 1, err: 'id: no token 99' });
    const malformed = await cli('token', ['revoke', 'abc', '--accounts', file]);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/^token revoke: <id> must be an integer/);
  });

  it('refuses an admin token and a screen-only token of a role that reports, writing nothing', async () => {
    const file = newAccountsFile();
    const admin = await cli('token', ['add', '--role', 'admin', '--jurisdiction', '21', '--accounts', file]);
    expect(admin.code).toBe(1);
    expect(admin.err).toMatch(/^role: tokens cannot administer/);
    const reporting = await cli('token', ['add', '--role', 'grid-worker', '--jurisdiction', '210102001001', '--screen-only', '--accounts', file]);
    expect(reporting.code).toBe(1);
    expect(reporting.err).toMatch(/^role: a screen-only token is read-only/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('audit', () => {
  /** An accounts file with a few audited changes made from the CLI. */
  async function auditedFile(): Promise<string> {
    const file = newAccountsFile();
    await cli('user', ['add', 'hana', '--role', 'viewer', '--jurisdiction', '21', '--accounts', file]); // seq 1
    await cli('user', ['add', 'ivan', '--role', 'city-officer', '--jurisdiction', '2101', '--accounts', file]); // seq 2
    await cli('user', ['disable', 'hana', '--accounts', file]); // seq 3
    await cli('token', ['add', '--role', 'kiosk', '--jurisdiction', '21', '--accounts', file]); // seq 4
    return file;
  }

  it('verify reports an intact chain with its length, exit 0; list shows the CLI as actor', async () => {
    const file = await auditedFile();
    expect(await cli('audit', ['verify', '--accounts', file])).toEqual({ code: 0, out: 'audit chain intact: 4 entries', err: '' });
    const listed = await cli('audit', ['list', '--accounts', file]);
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines[0]).toMatch(/^seq\s+time \(UTC\+8\)\s+actor\s+action\s+target\s+detail$/);
    const actor = `cli:${userInfo().username}`;
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/).slice(3, 5))).toEqual([
      ['user-add', 'user:hana'],
      ['user-add', 'user:ivan'],
      ['user-disable', 'user:hana'],
      ['token-add', 'token:1'],
    ]);
    expect(lines[3]).toMatch(new RegExp(`^2\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+${actor}\\s+user-add\\s+user:ivan\\s+\\{"role":"city-officer","jurisdiction":"2101"\\}$`));
  });

  it('list --limit keeps the most recent entries; --actor and --action filter', async () => {
    const file = await auditedFile();
    const seqs = async (args: string[]) => (await cli('audit', ['list', ...args, '--accounts', file])).out.split('\n').slice(2).map((line) => Number(line.split(/\s+/)[0]));
    expect(await seqs(['--limit', '2'])).toEqual([3, 4]);
    expect(await seqs(['--action', 'user-add'])).toEqual([1, 2]);
    expect(await seqs(['--action', 'user-add', '--limit', '1'])).toEqual([2]);
    expect(await seqs(['--actor', `cli:${userInfo().username}`])).toEqual([1, 2, 3, 4]);
    expect((await cli('audit', ['list', '--actor', 'user:nobody', '--accounts', file])).out).toBe('No audit entries match.');
    const badLimit = await cli('audit', ['list', '--limit', '0', '--accounts', file]);
    expect(badLimit.code).toBe(1);
    expect(badLimit.err).toMatch(/^--limit must be an integer 1…100000, got "0"$/);
  });

  it('verify names an edited entry and exits 2', async () => {
    const file = await auditedFile();
    const db = new Database(file);
    db.prepare('UPDATE audit_log SET detail = ? WHERE seq = 2').run(JSON.stringify({ role: 'admin', jurisdiction: '21' }));
    db.close();
    const verified = await cli('audit', ['verify', '--accounts', file]);
    expect(verified.code).toBe(2);
    expect(verified.out).toBe('');
    expect(verified.err).toBe('audit chain broken at entry 2: its content does not match its hash');
  });

  it('verify detects a removed middle entry', async () => {
    const file = await auditedFile();
    const db = new Database(file);
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.close();
    const verified = await cli('audit', ['verify', '--accounts', file]);
    expect(verified.code).toBe(2);
    expect(verified.err).toBe('audit chain broken at entry 3: entry 2 is missing');
  });
});

describe('bad input is refused with a non-zero exit and nothing written', () => {
  it('an unknown role lists the valid ones', async () => {
    const file = newAccountsFile();
    const outcome = await cli('user', ['add', 'jack', '--role', 'boss', '--jurisdiction', '21', '--accounts', file]);
    expect(outcome.code).toBe(1);
    expect(outcome.err).toBe(`--role: unknown role "boss"; valid roles: ${ROLES.join(', ')}`);
    expect(outcome.err).toContain('admin, province-officer, city-officer, county-officer, street-officer, grid-worker, planner, viewer, kiosk');
    expect(existsSync(file)).toBe(false);
  });

  it('a jurisdiction that does not fit the role gives the message from Accounts, on a new file and an existing one', async () => {
    const fresh = newAccountsFile();
    const outcome = await cli('user', ['add', 'kate', '--role', 'city-officer', '--jurisdiction', '21', '--accounts', fresh]);
    expect(outcome).toMatchObject({ code: 1, err: 'jurisdiction: a city-officer has a 4-digit jurisdiction, got 2 digits' });
    expect(existsSync(fresh)).toBe(false);

    const existing = newAccountsFile();
    await cli('user', ['add', 'lena', '--role', 'viewer', '--jurisdiction', '21', '--accounts', existing]);
    const malformed = await cli('user', ['add', 'kate', '--role', 'viewer', '--jurisdiction', '21x', '--accounts', existing]);
    expect(malformed).toMatchObject({ code: 1, err: 'jurisdiction: must be an admin code of 2, 4, 6, 9 or 12 digits' });
    const token = await cli('token', ['add', '--role', 'county-officer', '--jurisdiction', '2101', '--accounts', existing]);
    expect(token).toMatchObject({ code: 1, err: 'jurisdiction: a county-officer has a 6-digit jurisdiction, got 4 digits' });
    await withAccounts(existing, (_, store) => {
      expect(store.listUsers().map((user) => user.username)).toEqual(['lena']);
      expect(store.listTokens()).toEqual([]);
      expect(store.audit({ limit: 100 }).map((entry) => entry.action)).toEqual(['user-add']);
    });
  });

  it('missing username, role or jurisdiction, a short password, an existing username', async () => {
    const file = newAccountsFile();
    await cli('user', ['add', 'mike', '--role', 'viewer', '--jurisdiction', '21', '--accounts', file]);
    const cases: [string[], RegExp][] = [
      [['add', '--role', 'viewer', '--jurisdiction', '21'], /^user add: missing <username>$/],
      [['add', 'nina', '--jurisdiction', '21'], /^--role is required \(valid roles: admin, .*, kiosk\)$/],
      [['add', 'nina', '--role', 'viewer'], /^--jurisdiction is required/],
      [['add', 'nina', '--role', 'viewer', '--jurisdiction', '21', '--password', 'short'], /^password: must have at least 10 characters$/],
      [['add', 'mike', '--role', 'viewer', '--jurisdiction', '21'], /^username: mike exists$/],
      [['add', 'nina', 'oscar', '--role', 'viewer', '--jurisdiction', '21'], /^user add: unexpected argument "oscar"$/],
      [['add', 'nina', '--role', 'viewer', '--jurisdiction', '21', '--jurisdicton', '2101'], /--jurisdicton/],
      [['disable'], /^user disable: missing <username>$/],
    ];
    for (const [args, message] of cases) {
      const outcome = await cli('user', [...args, '--accounts', file]);
      expect(outcome.code, args.join(' ')).toBe(1);
      expect(outcome.err, args.join(' ')).toMatch(message);
    }
    await withAccounts(file, (_, store) => expect(store.listUsers().map((user) => user.username)).toEqual(['mike']));
  });

  it('an unknown or missing subcommand prints the usage', async () => {
    for (const [command, args] of [['user', ['frob']], ['token', ['mint']], ['audit', ['erase']], ['user', []]] as const) {
      const outcome = await cli(command, [...args]);
      expect(outcome.code).toBe(1);
      expect(outcome.err).toMatch(new RegExp(`^${command}: (unknown subcommand "${args[0]}"|missing subcommand) \\(one of: `));
      expect(outcome.err).toContain(`Usage: npm run cli -- ${command} <subcommand>`);
    }
  });

  it('reading commands refuse a missing accounts file instead of creating one', async () => {
    const file = newAccountsFile();
    for (const [command, args] of [['user', ['list']], ['user', ['disable', 'x']], ['token', ['list']], ['token', ['revoke', '1']], ['audit', ['verify']], ['audit', ['list']]] as const) {
      const outcome = await cli(command, [...args, '--accounts', file]);
      expect(outcome.code).toBe(1);
      expect(outcome.err).toBe(`${file}: no such file (the accounts database; --accounts or ATLAS_ACCOUNTS_DB to choose another)`);
    }
    expect(existsSync(file)).toBe(false);
  });
});

describe('through the real process (npm run cli)', () => {
  it('a bad role: exit 1 and one stderr line, no stack; a broken chain: exit 2', () => {
    const file = newAccountsFile();
    const refused = runCli(['user', 'add', 'olga', '--role', 'boss', '--jurisdiction', '21', '--accounts', file]);
    expect(refused.code).toBe(1);
    expect(stderrLines(refused)).toEqual([`--role: unknown role "boss"; valid roles: ${ROLES.join(', ')}`]);
    expect(existsSync(file)).toBe(false);

    const added = runCli(['user', 'add', 'olga', '--role', 'viewer', '--jurisdiction', '21', '--accounts', file]);
    expect(added.code, added.stderr).toBe(0);
    runCli(['user', 'disable', 'olga', '--accounts', file]);
    expect(runCli(['audit', 'verify', '--accounts', file])).toMatchObject({ code: 0, stdout: 'audit chain intact: 2 entries\n' });
    const db = new Database(file);
    db.prepare("UPDATE audit_log SET actor = 'system' WHERE seq = 1").run();
    db.close();
    const broken = runCli(['audit', 'verify', '--accounts', file]);
    expect(broken.code).toBe(2);
    expect(stderrLines(broken)).toEqual(['audit chain broken at entry 1: its content does not match its hash']);
  }, 120_000);
});
