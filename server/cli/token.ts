// `npm run cli -- token …`: bearer tokens for scripts and kiosk tokens for wall displays. The secret is
// printed once (the store keeps only its sha256); every change is audited as actor cli:<os user>.

import { parseArgs } from 'node:util';
import { ROLES } from '../domain/access';
import { ACCOUNTS_OPTION, ACCOUNTS_USAGE, chinaTimeCell, CliUsageError, cliActor, formatTable, parsePositiveInteger, parseRole, positionals, required, subcommand, withAccounts } from './accounts-commands';

export const usage = `Usage: npm run cli -- token <subcommand> [options]

  token add --role ROLE --jurisdiction CODE [--screen-only] [--label TEXT]
        A new token. Prints its secret once (use it as "Authorization: Bearer <secret>") and its id; a
        screen-only token (or any kiosk token) also gets its kiosk link /kiosk/<secret>: opened on the
        wall display it sets the session cookie and redirects to /screen.
  token list
        The tokens: id, label, role, jurisdiction, screen-only, created, last used, revoked (times in
        China time). Never the secrets.
  token revoke <id>           the token is refused from now on

  --role ROLE          one of: ${ROLES.filter((role) => role !== 'admin').join(', ')} (not admin: tokens
                       cannot administer); a screen-only token is kiosk or viewer
  --jurisdiction CODE  admin code of the area the token may see, e.g. 21 (province) or 2101 (Shenyang)
  --screen-only        the situation wall's reads only (always so for kiosk)
  --label TEXT         what it is for (default: role, jurisdiction and "(screen)")
${ACCOUNTS_USAGE}

Exit code 0 on success; 1 on refused input (nothing is written), an unknown id or an unknown subcommand.`;

const SUBCOMMANDS = ['add', 'list', 'revoke'] as const;

export async function run(args: string[]): Promise<number> {
  const command = subcommand(args, SUBCOMMANDS, 'token', usage);
  if (!command) return 1;
  const { name, rest } = command;
  switch (name) {
    case 'add': {
      const { values, positionals: given } = parseArgs({
        args: rest,
        options: { ...ACCOUNTS_OPTION, role: { type: 'string' }, jurisdiction: { type: 'string' }, 'screen-only': { type: 'boolean' }, label: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      positionals(given, [], 'token add');
      const role = parseRole(values.role);
      const jurisdiction = required(values.jurisdiction, '--jurisdiction', 'an admin code, e.g. 21 or 2101');
      if (values.label !== undefined && values.label.trim() === '') throw new CliUsageError('--label must not be blank');
      const { token, record } = await withAccounts(values.accounts, true, (accounts) =>
        accounts.addToken(cliActor(), { role, jurisdiction, screenOnly: values['screen-only'] ?? false, ...(values.label === undefined ? {} : { label: values.label.trim() }) }),
      );
      console.log(`Added token ${record.id} "${record.label}": ${record.role}, jurisdiction ${record.jurisdiction}${record.screenOnly ? ', screen only' : ''}.`);
      console.log(`Token id: ${record.id}`);
      console.log(`Token secret (shown once; keep it secret): ${token}`);
      if (record.screenOnly) console.log(`Kiosk link (open on the wall display): /kiosk/${token}`);
      return 0;
    }
    case 'list': {
      const { values, positionals: given } = parseArgs({ args: rest, options: ACCOUNTS_OPTION, allowPositionals: true, strict: true });
      positionals(given, [], 'token list');
      const tokens = await withAccounts(values.accounts, false, (_, store) => store.listTokens());
      if (tokens.length === 0) {
        console.log('No tokens.');
        return 0;
      }
      const rows = tokens.map((token) => [
        String(token.id),
        token.label,
        token.role,
        token.jurisdiction,
        token.screenOnly ? 'yes' : 'no',
        chinaTimeCell(token.createdAt),
        chinaTimeCell(token.lastUsedAt),
        chinaTimeCell(token.revokedAt),
      ]);
      console.log(formatTable(['id', 'label', 'role', 'jurisdiction', 'screen only', 'created (UTC+8)', 'last used', 'revoked'], rows));
      return 0;
    }
    case 'revoke': {
      const { values, positionals: given } = parseArgs({ args: rest, options: ACCOUNTS_OPTION, allowPositionals: true, strict: true });
      const [idText] = positionals(given, ['id'], 'token revoke');
      const id = parsePositiveInteger(idText!, 'token revoke: <id>');
      await withAccounts(values.accounts, false, (accounts) => accounts.revokeToken(cliActor(), id));
      console.log(`Revoked token ${id}.`);
      return 0;
    }
  }
}
