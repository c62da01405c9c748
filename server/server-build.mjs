// Compiles the server (entry points, worker thread, CLI commands) to ESM JavaScript with esbuild, our code
// bundled with shared chunks and packages left to node_modules, and tells a fresh build from a stale one
// by a manifest of its inputs' sizes and modification times. Plain JavaScript: it runs before any build.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this file belongs to (server/..). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Where builds are kept (ATLAS_SERVER_BUILD_DIR overrides; inside the repository, whose node_modules the
 * build imports packages from): one directory per build and current.json naming the latest.
 */
export const SERVER_BUILD_ROOT = process.env.ATLAS_SERVER_BUILD_DIR ?? join(REPO_ROOT, 'data', 'build', 'server');

/** Each build's own copy of its manifest; server/paths.ts finds the build root (and the repository) by it. */
const MANIFEST_NAME = 'server-build.json';
const CURRENT_NAME = 'current.json';
/** Bumped when the build's layout or options change, so older builds count as stale. */
const FORMAT = 1;
/** Older builds always kept besides the current one. */
const KEPT_OLDER_BUILDS = 2;
/**
 * Further builds are removed once unused this long: a process marks its build used when it starts, and a
 * running server every few minutes (it starts pool threads from its build's files as long as it runs).
 */
const UNUSED_BUILD_MS = 3_600_000;

/** Files every build depends on besides the sources esbuild reads (options, versions). */
const BUILD_CONFIG_FILES = ['server/server-build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * Packages compiled into the build rather than imported from node_modules: @turf/turf is pure ESM without
 * side effects, and loading it whole (over a hundred modules) cost the server and each pool thread most of
 * their start, where bundled it keeps only the functions the server uses.
 */
const BUNDLED_PACKAGES = ['@turf/turf'];

/** Every package the repository declares, bar the bundled ones, stays in node_modules (better-sqlite3 is native, highs loads its wasm by path). */
function listExternalPackages(repoRoot) {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return Object.keys({ ...dependencies, ...devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

/** The server's own processes and threads, and every CLI command (loaded on demand by name). */
function listEntryPoints(repoRoot) {
  const commands = readdirSync(join(repoRoot, 'server', 'cli'))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => `server/cli/${name}`);
  return ['server/start.ts', 'server/cli.ts', 'server/pool/worker.ts', ...commands];
}

/**
 * [path relative to the repository, mtimeMs, size] of each source and config file and of each directory
 * holding a source (a directory's time changes when a file is added, removed or renamed in it).
 */
function signInputs(repoRoot, sources, configFiles) {
  const directories = new Set(sources.map((file) => dirname(file)));
  return [...[...directories].sort(), ...[...sources, ...configFiles].sort()].map((path) => {
    const stat = statSync(join(repoRoot, path));
    return [path.split(sep).join('/'), stat.mtimeMs, stat.isDirectory() ? 0 : stat.size];
  });
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The directory of the current build when it is fresh: built by this format from this repository and
 * every input unchanged since (same size and modification time, same files in each directory); else null.
 */
export function freshServerBuild({ repoRoot = REPO_ROOT, buildRoot = SERVER_BUILD_ROOT } = {}) {
  const current = readJson(join(buildRoot, CURRENT_NAME));
  if (!current || current.format !== FORMAT || current.repoRoot !== repoRoot || !Array.isArray(current.inputs)) return null;
  for (const [path, mtimeMs, size] of current.inputs) {
    let stat;
    try {
      stat = statSync(join(repoRoot, path));
    } catch {
      return null;
    }
    if (stat.mtimeMs !== mtimeMs || (!stat.isDirectory() && stat.size !== size)) return null;
  }
  const dir = join(buildRoot, current.id);
  return readJson(join(dir, MANIFEST_NAME))?.id === current.id ? dir : null;
}

/** Writes a file whole or not at all (a temporary file renamed over it). */
function writeFileAtomically(path, text) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Marks a build as in use now (its directory's time), so that no other process prunes it meanwhile. */
export function markServerBuildUsed(dir) {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // A build removed by hand: the process keeps what it has loaded.
  }
}

/**
 * Removes builds other than `keepId` beyond the KEPT_OLDER_BUILDS most recently used that have been
 * unused for UNUSED_BUILD_MS, and temporary directories older than that.
 */
function pruneBuilds(buildRoot, keepId) {
  const builds = [];
  for (const name of readdirSync(buildRoot)) {
    const path = join(buildRoot, name);
    const stat = statSync(path);
    if (!stat.isDirectory() || name === keepId) continue;
    if (name.startsWith('.tmp-')) {
      if (Date.now() - stat.mtimeMs > UNUSED_BUILD_MS) rmSync(path, { recursive: true, force: true });
    } else builds.push({ path, mtimeMs: stat.mtimeMs });
  }
  builds.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { path, mtimeMs } of builds.slice(KEPT_OLDER_BUILDS)) {
    if (Date.now() - mtimeMs > UNUSED_BUILD_MS) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Compiles the server into a new build directory under `buildRoot` and makes it current; returns its
 * path. The build is written to a temporary directory and renamed into place, so concurrent first runs
 * each finish a whole build (identical inputs give the same directory) and readers never see half of one.
 */
export async function buildServer({ repoRoot = REPO_ROOT, buildRoot = SERVER_BUILD_ROOT, log = () => {} } = {}) {
  const { build, version } = await import('esbuild');
  const startedMs = Date.now();
  mkdirSync(buildRoot, { recursive: true });
  const temporary = mkdtempSync(join(buildRoot, '.tmp-'));
  try {
    const result = await build({
      absWorkingDir: repoRoot,
      entryPoints: listEntryPoints(repoRoot),
      outdir: temporary,
      outbase: 'server',
      entryNames: '[dir]/[name]',
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: listExternalPackages(repoRoot),
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
    });
    const sources = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules'));
    const inputs = signInputs(repoRoot, sources, BUILD_CONFIG_FILES);
    // A file changed while esbuild read it may be half in the build: its time is recorded as unknown
    // (so the next run builds again). File times follow a coarse clock: a few ms of margin.
    for (const input of inputs) if (input[1] >= startedMs - 20) input[1] = -1;
    const id = createHash('sha256').update(JSON.stringify([FORMAT, repoRoot, version, inputs])).digest('hex').slice(0, 16);
    const manifest = { format: FORMAT, id, repoRoot, esbuild: version, builtAt: new Date().toISOString(), inputs };
    writeFileSync(join(temporary, MANIFEST_NAME), JSON.stringify(manifest));
    const dir = join(buildRoot, id);
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process finished the same build first: keep theirs.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      rmSync(temporary, { recursive: true, force: true });
    }
    writeFileAtomically(join(buildRoot, CURRENT_NAME), JSON.stringify(manifest));
    pruneBuilds(buildRoot, id);
    log(`Compiled the server (esbuild ${version}, ${sources.length} modules) into ${relative(repoRoot, dir) || dir} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
    return dir;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** The current build's directory, compiled first when it is missing or stale. */
export async function ensureServerBuild(options = {}) {
  return freshServerBuild(options) ?? buildServer(options);
}
