// Where the repository keeps its sources, database and built client (overridable by environment), and
// where the running server code lives: the TypeScript sources (tsx, vitest) or the compiled build.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

/** The file at the root of a compiled build (written by server/server-build.mjs) naming the sources it was built from. */
export const SERVER_BUILD_MANIFEST = 'server-build.json';

/** The nearest directory at or above `dir` holding `name`; throws when none does. */
export function findDirectoryUp(dir: string, name: string): string {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, name))) return current;
    if (dirname(current) === current) throw new Error(`No ${name} in ${dir} or above`);
  }
}

const thisFile = fileURLToPath(import.meta.url);

/** Whether this process runs the compiled JavaScript build (server/launch.mjs) rather than the TypeScript sources. */
export const RUNS_COMPILED = !/\.[cm]?ts$/.test(thisFile);

/** The root of the running server code: server/ in the sources, the build directory when compiled. */
const SERVER_CODE_DIR = RUNS_COMPILED ? findDirectoryUp(dirname(thisFile), SERVER_BUILD_MANIFEST) : dirname(thisFile);

/**
 * The repository (the directory holding package.json): found upwards from the sources, or named by the
 * manifest of the build this code was compiled into (which may live outside the repository).
 */
export const REPO_ROOT = RUNS_COMPILED
  ? (JSON.parse(readFileSync(join(SERVER_CODE_DIR, SERVER_BUILD_MANIFEST), 'utf8')) as { repoRoot: string }).repoRoot
  : findDirectoryUp(dirname(thisFile), 'package.json');

/**
 * The URL of a server module that runs on its own (a worker thread, a CLI command), e.g. `pool/worker`:
 * the .ts source, or the .js of the build, in the same language as the running code.
 */
export function serverModuleUrl(modulePath: string): URL {
  return pathToFileURL(join(SERVER_CODE_DIR, `${modulePath}${RUNS_COMPILED ? '.js' : '.ts'}`));
}

export const paths = {
  sourcesDir: join(REPO_ROOT, 'data', 'sources'),
  /** ATLAS_DB overrides the database file (tests use their own). */
  databasePath: process.env.ATLAS_DB ?? join(REPO_ROOT, 'data', 'atlas.sqlite'),
  /**
   * ATLAS_ACCOUNTS_DB overrides the accounts file: users, sessions, tokens, the audit chain and planning
   * scenarios (scenario.*), kept apart from the atlas data so they survive rebuilds.
   */
  accountsPath: process.env.ATLAS_ACCOUNTS_DB ?? join(REPO_ROOT, 'data', 'accounts.sqlite'),
  clientSourceDir: join(REPO_ROOT, 'client'),
  clientDir: join(REPO_ROOT, 'dist', 'client'),
};
