// `npm run cli -- user …`: add, list, disable, enable and reset the atlas's users in the accounts
// database. Every change is written to the audit log as actor cli:<os user>; passwords are hashed
// (argon2id) and never printed back, except a generated one, once.

import { parseArgs } from 'node:util';
import { ROLE_LABELS, ROLES } from '../domain/access';
import { paths } from '../paths';
import { ACCOUNTS_OPTION, ACCOUNTS_USAGE, chinaTimeCell, cliActor, formatTable, parseRole, positionals, required, subcommand, unitNamer, withAccounts } from './accounts-commands';

export const usage = `Usage: npm run cli -- user <subcommand> [options]

  user add <username> --role ROLE --jurisdiction CODE [--password PW]
        Adds a user. Without --password a password is generated and printed once: hand it over; it must
        be changed at first login. (A --password given here stays in the shell's history.)
  user list [--db FILE]
        The users: username, role and its Chinese label, jurisdiction and its unit's name (from the atlas
        database, when there is one), disabled, must-change-password, locked until. Never password hashes.
  user disable <username>     refuses the user's logins and ends their sessions
  user enable <username>      allows the user's logins again
  user reset <username>       a new generated password (printed once, to change at the next login);
                              ends their sessions and clears a lockout

  --role ROLE          one of: ${ROLES.join(', ')}
  --jurisdiction CODE  admin code of the area the user may see and act in: province 2 digits, city 4,
                       county 6, street 9, community 12 (grid 15); officers at their level, e.g. a
                       city-officer 2101, a grid-worker a community or grid
  --db FILE            atlas database for unit names (default ${paths.databasePath})
${ACCOUNTS_USAGE}

Exit code 0 on success; 1 on refused input (nothing is written) or an unknown subcommand.`;

const SUBCOMMANDS = ['add', 'list', 'disable', 'enable', 'reset'] as const;

export async function run(args: string[]): Promise<number> {
  const command = subcommand(args, SUBCOMMANDS, 'user', usage);
  if (!command) return 1;
  const { name, rest } = command;
  const actor = cliActor();
  switch (name) {
    case 'add': {
      const { values, positionals: given } = parseArgs({
        args: rest,
        options: { ...ACCOUNTS_OPTION, role: { type: 'string' }, jurisdiction: { type: 'string' }, password: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [username] = positionals(given, ['username'], 'user add');
      const role = parseRole(values.role);
      const jurisdiction = required(values.jurisdiction, '--jurisdiction', 'an admin code, e.g. 21 or 2101');
      const { user, password } = await withAccounts(values.accounts, true, (accounts) =>
        accounts.addUser(actor, { username: username!, role, jurisdiction, ...(values.password === undefined ? {} : { password: values.password }) }),
      );
      console.log(`Added user ${user.username}: ${user.role} (${ROLE_LABELS[user.role].zh}), jurisdiction ${user.jurisdiction}.`);
      if (values.password === undefined) {
        console.log(`Generated password (shown once; it must be changed at first login): ${password}`);
      }
      return 0;
    }
    case 'list': {
      const { values, positionals: given } = parseArgs({ args: rest, options: { ...ACCOUNTS_OPTION, db: { type: 'string' } }, allowPositionals: true, strict: true });
      positionals(given, [], 'user list');
      const users = await withAccounts(values.accounts, false, (_, store) => store.listUsers());
      if (users.length === 0) {
        console.log('No users.');
        return 0;
      }
      const units = await unitNamer(values.db ?? paths.databasePath);
      const now = Date.now();
      try {
        const rows = users.map((user) => [
          user.username,
          user.role,
          ROLE_LABELS[user.role]?.zh ?? '?',
          user.jurisdiction,
          units.name(user.jurisdiction) ?? '-',
          user.disabled ? 'yes' : 'no',
          user.mustChangePassword ? 'yes' : 'no',
          user.lockedUntil !== null && user.lockedUntil > now ? chinaTimeCell(user.lockedUntil) : '-',
        ]);
        console.log(formatTable(['username', 'role', 'role (zh)', 'jurisdiction', 'unit', 'disabled', 'must change', 'locked until (UTC+8)'], rows));
      } finally {
        units.close();
      }
      return 0;
    }
    case 'disable':
    case 'enable': {
      const { values, positionals: given } = parseArgs({ args: rest, options: ACCOUNTS_OPTION, allowPositionals: true, strict: true });
      const [username] = positionals(given, ['username'], `user ${name}`);
      await withAccounts(values.accounts, false, (accounts) => accounts.setDisabled(actor, username!, name === 'disable'));
      console.log(name === 'disable' ? `Disabled user ${username}: logins refused, sessions ended.` : `Enabled user ${username}.`);
      return 0;
    }
    case 'reset': {
      const { values, positionals: given } = parseArgs({ args: rest, options: ACCOUNTS_OPTION, allowPositionals: true, strict: true });
      const [username] = positionals(given, ['username'], 'user reset');
      const password = await withAccounts(values.accounts, false, (accounts) => accounts.resetPassword(actor, username!));
      console.log(`Reset the password of ${username}; their sessions are ended.`);
      console.log(`New password (shown once; it must be changed at the next login): ${password}`);
      return 0;
    }
  }
}
