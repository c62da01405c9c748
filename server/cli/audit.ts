// `npm run cli -- audit …`: check the audit log's hash chain, and read its recent entries.

import { parseArgs } from 'node:util';
import type { AuditEntry } from '../store/account-store';
import { ACCOUNTS_OPTION, ACCOUNTS_USAGE, auditEntries, chinaTimeCell, formatTable, parsePositiveInteger, positionals, subcommand, withAccounts } from './accounts-commands';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100_000;

export const usage = `Usage: npm run cli -- audit <subcommand> [options]

  audit verify
        Checks the hash chain (each entry's sha256 covers the one before): prints
        "audit chain intact: N entries" and exits 0, or names the first entry that does not verify
        (an edited, inserted or removed row) and exits 2. Removing the newest entries leaves a shorter
        chain that still verifies: compare N with the count you last saw.
  audit list [--limit N] [--actor A] [--action X]
        The most recent entries, oldest first: seq, time (China time), actor, action, target, detail (JSON).

  --limit N            how many (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})
  --actor A            only this actor, e.g. user:alice, token:7, cli:root, system
  --action X           only this action, e.g. login, login-failed, user-add, token-revoke
${ACCOUNTS_USAGE}

Exit code 0 on success; 2 when the chain does not verify; 1 on refused input or an unknown subcommand.`;

const SUBCOMMANDS = ['verify', 'list'] as const;

export async function run(args: string[]): Promise<number> {
  const command = subcommand(args, SUBCOMMANDS, 'audit', usage);
  if (!command) return 1;
  const { name, rest } = command;
  switch (name) {
    case 'verify': {
      const { values, positionals: given } = parseArgs({ args: rest, options: ACCOUNTS_OPTION, allowPositionals: true, strict: true });
      positionals(given, [], 'audit verify');
      const outcome = await withAccounts(values.accounts, false, (_, store) => {
        const broken = store.verifyAudit();
        if (broken) return { broken };
        let entries = 0;
        for (const _entry of auditEntries(store, {})) entries++;
        return { broken: null, entries };
      });
      if (outcome.broken) {
        console.error(`audit chain broken at entry ${outcome.broken.seq}: ${outcome.broken.reason}`);
        return 2;
      }
      console.log(`audit chain intact: ${outcome.entries} entries`);
      return 0;
    }
    case 'list': {
      const { values, positionals: given } = parseArgs({
        args: rest,
        options: { ...ACCOUNTS_OPTION, limit: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      positionals(given, [], 'audit list');
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInteger(values.limit, '--limit', MAX_LIMIT);
      const recent = await withAccounts(values.accounts, false, (_, store) => {
        // The last `limit` entries that match, read oldest first in pages.
        let kept: AuditEntry[] = [];
        for (const entry of auditEntries(store, { ...(values.actor === undefined ? {} : { actor: values.actor }), ...(values.action === undefined ? {} : { action: values.action }) })) {
          kept.push(entry);
          if (kept.length >= 2 * limit) kept = kept.slice(-limit);
        }
        return kept.slice(-limit);
      });
      if (recent.length === 0) {
        console.log('No audit entries match.');
        return 0;
      }
      const rows = recent.map((entry) => [String(entry.seq), chinaTimeCell(entry.at), entry.actor, entry.action, entry.target, JSON.stringify(entry.detail)]);
      console.log(formatTable(['seq', 'time (UTC+8)', 'actor', 'action', 'target', 'detail'], rows));
      return 0;
    }
  }
}
