// `npm run cli -- <command> [options]`: batch commands on the data and on files (see server/cli/).

import { CLI_COMMANDS, type CliModule } from './cli/commands';
import { paths, serverModuleUrl } from './paths';

function overview(): string {
  const width = Math.max(...Object.keys(CLI_COMMANDS).map((name) => name.length));
  const lines = Object.entries(CLI_COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: npm run cli -- <command> [options]     (npm run cli -- <command> --help for its options)

Commands:
${lines.join('\n')}

Database: ${paths.databasePath} (ATLAS_DB overrides)
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    console.log(overview());
    return name === undefined ? 1 : 0;
  }
  const command = CLI_COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
  const module = (await import(serverModuleUrl(command.module.replace('./', 'cli/')).href)) as CliModule;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(module.usage);
    return 0;
  }
  return module.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
