// Types of server-build.mjs (plain JavaScript so that it runs before any build).

export interface ServerBuildOptions {
  /** The repository whose server/ is compiled (default: the one holding this file). */
  repoRoot?: string;
  /** Where builds are kept (default data/build/server, ATLAS_SERVER_BUILD_DIR). */
  buildRoot?: string;
  /** Where the build says what it compiled (stderr in the launcher). */
  log?: (message: string) => void;
}

export const REPO_ROOT: string;
export const SERVER_BUILD_ROOT: string;
/** The current build's directory when every input is unchanged since it was compiled; else null. */
export function freshServerBuild(options?: Omit<ServerBuildOptions, 'log'>): string | null;
/** Compiles the server into a new build directory and makes it current; resolves to its path. */
export function buildServer(options?: ServerBuildOptions): Promise<string>;
/** The current build's directory, compiled first when it is missing or stale. */
export function ensureServerBuild(options?: ServerBuildOptions): Promise<string>;
/** Marks a build as in use now, so that no other process prunes it meanwhile. */
export function markServerBuildUsed(dir: string): void;
