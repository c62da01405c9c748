// What the `user`, `token` and `audit` commands share: the accounts file (opened so that a refused
// command leaves nothing behind), the CLI's actor in the audit log, role and positive-integer options,
// China-time cells and plain-text tables that line up Chinese labels.

import { existsSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ROLES, type Role } from '../domain/access';
import { formatChinaDateTime } from '../domain/china-time';
import { Accounts } from '../auth/accounts';
import { paths } from '../paths';
import type { AccountStore, AuditEntry, AuditQuery } from '../store/account-store';
import { SqliteAccountStore } from '../store/sqlite-account-store';
import type { AtlasStore } from '../store/atlas-store';
import { toOneLine } from './cli-input';

/** The option every accounts command takes. */
export const ACCOUNTS_OPTION = { accounts: { type: 'string' } } as const;

export const ACCOUNTS_USAGE = `  --accounts FILE      accounts database (default ${paths.accountsPath}; ATLAS_ACCOUNTS_DB overrides)`;

/** The deployment's code (Liaoning), the jurisdiction of the first administrator and anonymous viewers. */
export const DEPLOYMENT_CODE = '21';

/** How the audit log names changes made from the command line: cli:<os user>. */
export function cliActor(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): fall back to the environment.
  }
  return `cli:${name || process.env.USER || process.env.USERNAME || 'unknown'}`;
}

/** Refused input: printed as one line by server/cli.ts, exit code 1. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** A role named by --role, or an error listing the valid roles. */
export function parseRole(text: string | undefined): Role {
  const valid = `valid roles: ${ROLES.join(', ')}`;
  if (text === undefined || text === '') throw new CliUsageError(`--role is required (${valid})`);
  if (!(ROLES as readonly string[]).includes(text)) throw new CliUsageError(`--role: unknown role "${text}"; ${valid}`);
  return text as Role;
}

/** A required option's value, or an error naming the flag. */
export function required(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value.trim() === '') throw new CliUsageError(`${flag} is required (${what})`);
  return value.trim();
}

/** A positive integer (an id, a limit), or an error naming where it came from. */
export function parsePositiveInteger(text: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new CliUsageError(`${name} must be an integer 1…${max}, got "${text}"`);
  return value;
}

/** Exactly the positional arguments named in `names`, else an error naming the first missing or extra one. */
export function positionals(given: string[], names: string[], command: string): string[] {
  if (given.length < names.length) throw new CliUsageError(`${command}: missing <${names[given.length]}>`);
  if (given.length > names.length) throw new CliUsageError(`${command}: unexpected argument "${given[names.length]}"`);
  return given;
}

/** The subcommand and its arguments; an unknown or missing one prints the usage (stderr) and yields null. */
export function subcommand<T extends string>(args: string[], known: readonly T[], command: string, usage: string): { name: T; rest: string[] } | null {
  const [name, ...rest] = args;
  if (name !== undefined && (known as readonly string[]).includes(name)) return { name: name as T, rest };
  console.error(`${name === undefined ? `${command}: missing subcommand` : `${command}: unknown subcommand "${name}"`} (one of: ${known.join(', ')})\n\n${usage}`);
  return null;
}

/**
 * Runs `body` on the accounts file. Commands that only read or change existing accounts (`create`
 * false) refuse a missing file instead of creating an empty one; commands that add may create it,
 * and when they are refused the file they created is removed again, so bad input writes nothing.
 */
export async function withAccounts<T>(path: string | undefined, create: boolean, body: (accounts: Accounts, store: AccountStore) => Promise<T> | T): Promise<T> {
  const file = path ?? paths.accountsPath;
  const existed = existsSync(file);
  if (existed && statSync(file).isDirectory()) throw new CliUsageError(`${file}: is a directory, expected the accounts database (--accounts)`);
  if (!existed && !create) throw new CliUsageError(`${file}: no such file (the accounts database; --accounts or ATLAS_ACCOUNTS_DB to choose another)`);
  let store: SqliteAccountStore;
  try {
    store = new SqliteAccountStore(file);
  } catch (error) {
    if (!existed) removeDatabase(file);
    throw new CliUsageError(`${file}: cannot open the accounts database (${toOneLine(error instanceof Error ? error.message : String(error))})`);
  }
  let failed = true;
  try {
    const result = await body(new Accounts(store, { anonymous: 'none', deploymentCode: DEPLOYMENT_CODE }), store);
    failed = false;
    return result;
  } finally {
    store.close();
    if (failed && !existed) removeDatabase(file);
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** The names of admin units from the atlas database, when it is there (else every name is null). */
export async function unitNamer(databasePath: string): Promise<{ name(code: string): string | null; close(): void }> {
  let store: AtlasStore & { close(): void };
  try {
    if (!existsSync(databasePath)) throw new Error('missing');
    const { SqliteStore } = await import('../store/sqlite-store');
    store = new SqliteStore(databasePath);
  } catch {
    return { name: () => null, close: () => undefined };
  }
  return {
    name: (code) => {
      try {
        return store.adminUnit(code)?.name ?? null;
      } catch {
        return null;
      }
    },
    close: () => store.close(),
  };
}

/** "2026-10-01 08:00:00" (China time) or "-" when there is no instant. */
export function chinaTimeCell(ms: number | null): string {
  return ms === null ? '-' : formatChinaDateTime(ms).slice(0, 19).replace('T', ' ');
}

/** Columns a string takes in a terminal: East Asian wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** A plain-text table: a header row, a rule, and one row per record (the last column is not padded). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, c) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell + ' '.repeat(widths[c]! - displayWidth(cell))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * Every audit entry matching the query, in order, in pages (the store answers oldest first from
 * `fromSeq`), so a long log is never held in memory at once.
 */
export function* auditEntries(store: AccountStore, query: Omit<AuditQuery, 'limit' | 'fromSeq'>, pageSize = 5000): Generator<AuditEntry> {
  let fromSeq = 0;
  while (true) {
    const page = store.audit({ ...query, fromSeq, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    fromSeq = page[page.length - 1]!.seq + 1;
  }
}
