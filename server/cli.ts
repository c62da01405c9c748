// `npm run cli -- <command>`: batch commands on the data and on files.

import { parseArgs } from 'node:util';
import { paths } from './paths';
import { buildDatabase } from './store/build-database';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  build-db [--db FILE]    rebuild the SQLite database from data/sources (default ${paths.databasePath})
  help                    show this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'build-db': {
      const { values } = parseArgs({ args: rest, options: { db: { type: 'string' } }, strict: true });
      const summary = buildDatabase({
        sourcesDir: paths.sourcesDir,
        databasePath: values.db ?? paths.databasePath,
        log: (m) => console.log(m),
      });
      console.log(JSON.stringify(summary.counts, null, 2));
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
