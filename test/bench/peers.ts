// Other tools as benchmark peers: finding them (Debian package first) with their version and source,
// timing them as fresh processes, calling the Atlas CLI the way `npm run cli` does, and printing the
// two-row comparison every peer gets: warm search against warm search, whole process against whole process.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../server/paths';

export const fmt = (n: number): string => n.toLocaleString('en-US');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export interface ProcessRun {
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a process to its end and times it; throws with its stderr when it fails or times out. */
export function timedProcess(command: string, args: readonly string[], options: ProcessOptions = {}): ProcessRun {
  const started = performance.now();
  const run = spawnSync(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 512 * 2 ** 20,
    timeout: options.timeoutMs ?? 600_000,
  });
  const ms = performance.now() - started;
  if (run.error) throw new Error(`${command} ${args.join(' ')}: ${run.error.message}`);
  if (run.status !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} … failed (${why}): ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  }
  return { ms, stdout: run.stdout, stderr: run.stderr };
}

/** Whether a command runs at all (`--version` or the given probe arguments exit 0). */
export function commandWorks(command: string, args: readonly string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/**
 * Why a peer is left out by BENCH_PEERS (a comma list of networkx, pgrouting, spdep, esda; "none" for
 * none; unset for every installed one), or null when it may run. CBC follows ATLAS_CBC=none.
 */
export function peerExcluded(name: 'networkx' | 'pgrouting' | 'spdep' | 'esda'): string | null {
  const chosen = process.env.BENCH_PEERS?.split(',');
  return !chosen || chosen.includes(name) ? null : `left out by BENCH_PEERS=${process.env.BENCH_PEERS}`;
}

/** The installed version of a Debian package, or null when it is not installed. */
export function debianPackageVersion(name: string): string | null {
  const query = spawnSync('dpkg-query', ['-W', '-f', '${Status}\t${Version}', name], { encoding: 'utf8' });
  if (query.status !== 0) return null;
  const [status, version] = query.stdout.split('\t');
  return status?.endsWith(' installed') && version ? version : null;
}

/** "Debian <package> <version>", or what else the tool is (e.g. "pip/pyenv, /root/.pyenv/shims/python3"). */
export function peerSource(debianPackage: string, otherwise: string): string {
  const version = debianPackageVersion(debianPackage);
  return version ? `Debian ${debianPackage} ${version}` : otherwise;
}

export interface PythonWith {
  python: string;
  /** Where the module comes from: the Debian package, or pip/pyenv. */
  source: string;
}

/**
 * A python3 that imports all `modules`: Debian's /usr/bin/python3 first (its python3-* packages), then the
 * first python3 on PATH (pyenv, pip). Null when neither does.
 */
export function findPython(modules: readonly string[], debianPackage: string): PythonWith | null {
  const probe = `import ${modules.join(', ')}`;
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', probe], { stdio: 'ignore', timeout: 60_000 }).status !== 0) continue;
    const where = spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const debian = where.startsWith('/usr/bin/') ? debianPackageVersion(debianPackage) : null;
    return { python, source: debian ? `Debian ${debianPackage} ${debian}, ${where}` : `pip/pyenv, ${where}` };
  }
  return null;
}

export interface CliCall {
  /** What is run: `npm run --silent cli -- …`. */
  command: string;
  prefixArgs: string[];
  /** package.json's `cli` script as it reads now (what npm users get). */
  script: string;
}

let cliReady = false;

/**
 * `npm run cli -- <args>` as npm users run it, with package.json's cli script read now (it may change).
 * The first call runs `npm run cli -- help` once, untimed, so a build the script makes on first use (the
 * compiled server) is not inside any timed run.
 */
export function npmCli(): CliCall {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const call = { command: 'npm', prefixArgs: ['run', '--silent', 'cli', '--'], script: scripts.cli ?? '(no cli script)' };
  if (!cliReady) {
    timedProcess(call.command, [...call.prefixArgs, 'help']);
    cliReady = true;
  }
  return call;
}

/** package.json's cli script run directly, without npm (null when it is not a plain command line). */
export function scriptCli(call: CliCall): { command: string; prefixArgs: string[] } | null {
  if (/[|&;<>()$`"'\\*?]/.test(call.script)) return null;
  const [command, ...prefixArgs] = call.script.trim().split(/\s+/);
  return command ? { command: command === 'node' ? process.execPath : command, prefixArgs } : null;
}

/** The CLI through tsx's loader on the TypeScript sources (what `npm run cli` ran before a compiled build). */
export function tsxCli(): { command: string; prefixArgs: string[] } {
  return { command: process.execPath, prefixArgs: ['--import', 'tsx', join(REPO_ROOT, 'server', 'cli.ts')] };
}

/** Runs SQL through psql (ON_ERROR_STOP, unaligned, tuples only) on `database`; stdout, or throws with psql's message. */
export function psql(database: string, sql: string, extraArgs: readonly string[] = []): string {
  return timedProcess('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, ...extraArgs], { input: sql }).stdout;
}

/** The first line of an error, for a "skipped: …" line. */
export function firstLine(error: unknown): string {
  const text = (error as { stderr?: string }).stderr?.toString().trim() || (error instanceof Error ? error.message : String(error));
  return text.split('\n')[0]!;
}

/** One tool in a two-row comparison: its medians (ms) or why it was skipped. */
export interface PeerResult {
  name: string;
  /** Version and source, e.g. "NetworkX 2.8.8 (Debian python3-networkx 2.8.8, /usr/bin/python3)". */
  version: string;
  warmMs: number | null;
  wholeMs: number | null;
  /** What the warm and the whole-process cells time for this tool. */
  warmWhat: string;
  wholeWhat: string;
  /** Agreement with Atlas's answer, said in words. */
  agreement: string[];
  /** Set when the tool is absent or failed: the row prints "skipped" and this line. */
  skipped?: string;
}

const ms = (value: number | null): string => (value === null ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(0));
const ratio = (peer: number | null, atlas: number | null): string => (peer === null || atlas === null ? '—' : `${(peer / atlas).toFixed(1)}×`);

/**
 * Prints a comparison as two rows (warm search, whole process) with Atlas first and each peer's time and
 * ratio (peer ÷ Atlas, above 1 when Atlas is faster), then what each cell times, each peer's version and
 * source (or why it was skipped), and the agreement checks.
 */
export function printPeerTable(title: string, atlas: PeerResult, peers: readonly PeerResult[], runsNote: string): void {
  console.log(`\n## ${title}`);
  console.log(runsNote);
  const present = peers.filter((peer) => !peer.skipped);
  console.log(`| measure | Atlas ms |${present.map((peer) => ` ${peer.name} ms | ${peer.name} ÷ Atlas |`).join('')}`);
  console.log(`|---|---:|${present.map(() => '---:|---:|').join('')}`);
  console.log(`| warm search | ${ms(atlas.warmMs)} |${present.map((peer) => ` ${ms(peer.warmMs)} | ${ratio(peer.warmMs, atlas.warmMs)} |`).join('')}`);
  console.log(`| whole process | ${ms(atlas.wholeMs)} |${present.map((peer) => ` ${ms(peer.wholeMs)} | ${ratio(peer.wholeMs, atlas.wholeMs)} |`).join('')}`);
  console.log('');
  for (const tool of [atlas, ...peers]) {
    if (tool.skipped) {
      console.log(`- ${tool.name} skipped: ${tool.skipped}`);
      continue;
    }
    console.log(`- ${tool.name}: ${tool.version}. Warm: ${tool.warmWhat}. Whole process: ${tool.wholeWhat}.`);
    for (const line of tool.agreement) console.log(`  - ${line}`);
  }
}
