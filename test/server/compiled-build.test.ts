// The compiled server (server/server-build.mjs, run by server/launch.mjs): the CLI built into a temporary
// directory answers exactly as the TypeScript sources do; a build is reused until a source changes, is
// added or removed; concurrent builds leave one whole build; the built server serves meta.health and runs
// jobs in the pool's compiled worker.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildServer, ensureServerBuild, freshServerBuild, markServerBuildUsed } from '../../server/server-build.mjs';
import { REPO_ROOT } from '../../server/paths';
import { referencePath } from './analysis/hotspots/reference-data';
import { monacoGraphGeoJson, monacoStarts } from './analysis/network/network-helpers';
import { writeSanFranciscoCsv } from './analysis/siting/reference-data';

const dir = mkdtempSync(join(tmpdir(), 'atlas-compiled-build-'));
// Builds of the real server live inside the repository: they import packages from its node_modules.
mkdirSync(join(REPO_ROOT, 'test', 'artifacts'), { recursive: true });
const builds = mkdtempSync(join(REPO_ROOT, 'test', 'artifacts', 'compiled-build-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(builds, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI entry (the .ts source through tsx, or a compiled .js) with these arguments. */
function runEntry(entry: string, args: string[], env: Record<string, string> = {}): Run {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const result = spawnSync(process.execPath, [...loader, entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ATLAS_CACHE_DIR: join(dir, 'graph-cache'), ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the compiled CLI', () => {
  let built = '';
  beforeAll(async () => {
    built = await buildServer({ buildRoot: join(builds, 'cli') });
  });
  const source = join(REPO_ROOT, 'server', 'cli.ts');
  const compiled = (): string => join(built, 'cli.js');

  it('prints the same overview, and the same refusal of an unknown command', () => {
    const help = runEntry(compiled(), ['help']);
    expect(help).toEqual(runEntry(source, ['help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('site-select');
    const unknown = runEntry(compiled(), ['no-such-command']);
    expect(unknown).toEqual(runEntry(source, ['no-such-command']));
    expect(unknown.code).toBe(2);
  });

  it('answers reach on the Monaco pedestrian graph byte for byte as the sources do, in both modes', () => {
    const network = join(dir, 'monaco.geojson');
    const origins = join(dir, 'monaco-starts.csv');
    writeFileSync(network, JSON.stringify(monacoGraphGeoJson()));
    writeFileSync(origins, `id,lon,lat\n${monacoStarts().map((s) => `${s.id},${s.lon},${s.lat}`).join('\n')}\n`);
    for (const mode of ['nearest', 'per-origin']) {
      const outputs = [source, compiled()].map((entry, i) => {
        const out = join(dir, `reach-${mode}-${i}.csv`);
        const run = runEntry(entry, ['reach', '--network', network, '--origins', origins, '--max-meters', '800', '--mode', mode, '--no-graph-cache', '--out', out]);
        expect(run.code, run.stderr).toBe(0);
        return { stderr: run.stderr.replaceAll(out, 'OUT'), csv: readFileSync(out, 'utf8') };
      });
      expect(outputs[1]).toEqual(outputs[0]);
      expect(outputs[0]!.csv.split('\n').length).toBeGreaterThan(100);
    }
  });

  it('answers hotspots on the Columbus Shapefile (read through a package loaded on demand) as the sources do', () => {
    const outputs = [source, compiled()].map((entry, i) => {
      const out = join(dir, `columbus-${i}.csv`);
      const run = runEntry(entry, ['hotspots', '--input', referencePath('columbus/columbus.shp'), '--value', 'CRIME', '--weights', 'queen', '--id', 'POLYID', '--star', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      return { stdout: run.stdout.replaceAll(out, 'OUT'), stderr: run.stderr.replaceAll(out, 'OUT'), csv: readFileSync(out, 'utf8') };
    });
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[0]!.csv.trim().split('\n')).toHaveLength(50);
  });

  it('refuses a reach without --network with the same one-line error', () => {
    const args = ['reach', '--origins', 'x.csv', '--max-meters', '100', '--out', join(dir, 'never.csv')];
    const run = runEntry(compiled(), args);
    expect(run).toEqual(runEntry(source, args));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^--network is required/);
  });

  it('answers site-select (MCLP on the San Francisco matrix) as the sources do', () => {
    const files = writeSanFranciscoCsv(dir);
    const answers = [source, compiled()].map((entry, i) => {
      const out = join(dir, `sf-${i}.json`);
      const run = runEntry(entry, ['site-select', '--cost-matrix', files.costMatrix, '--demand', files.demand, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const { elapsedMs, ...answer } = JSON.parse(readFileSync(out, 'utf8')) as { elapsedMs: number };
      expect(elapsedMs).toBeGreaterThanOrEqual(0);
      return answer;
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ problem: 'mclp', objective: 875247, provedOptimal: true });
  });
});

/** A repository of a few modules: what the build needs (entry points, config files) and nothing else. */
function writeToyRepository(root: string): void {
  const files: Record<string, string> = {
    'package.json': '{"type":"module"}',
    'package-lock.json': '{}',
    'tsconfig.json': '{}',
    'server/server-build.mjs': '',
    'server/start.ts': "console.log('start');",
    'server/pool/worker.ts': 'export default (): number => 1;',
    'server/cli.ts': "import { greeting } from './cli/words';\nconsole.log(greeting);",
    'server/cli/words.ts': "export const greeting: string = 'hello';",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
    age(join(root, path));
  }
  for (const path of ['server/cli', 'server/pool', 'server', '.']) age(join(root, path));
}

let ageSeconds = 600;
/**
 * Dates a file or directory further in the past at each call: a build counts an input written while it
 * ran (or just before, within the file system clock's step) as unknown, so the toy's writes are dated back.
 */
function age(path: string): void {
  const past = new Date(Date.now() - ageSeconds-- * 1000);
  utimesSync(path, past, past);
}

describe('staleness of a build', () => {
  const repoRoot = join(dir, 'toy');
  const buildRoot = join(dir, 'toy-build');
  const options = { repoRoot, buildRoot };
  const cliOutput = (build: string): string => runEntry(join(build, 'cli.js'), []).stdout.trim();
  beforeAll(() => writeToyRepository(repoRoot));

  it('builds when there is no build, then reuses it while nothing changed', async () => {
    expect(freshServerBuild(options)).toBeNull();
    const first = await ensureServerBuild(options);
    expect(cliOutput(first)).toBe('hello');
    expect(freshServerBuild(options)).toBe(first);
    expect(await ensureServerBuild(options)).toBe(first);
  });

  it('rebuilds when a source is newer, and the build says what the source now says', async () => {
    const before = freshServerBuild(options)!;
    expect(before).not.toBeNull();
    writeFileSync(join(repoRoot, 'server/cli/words.ts'), "export const greeting: string = 'bonjour';");
    age(join(repoRoot, 'server/cli/words.ts'));
    expect(freshServerBuild(options)).toBeNull();
    const after = await ensureServerBuild(options);
    expect(after).not.toBe(before);
    expect(cliOutput(after)).toBe('bonjour');
  });

  it('rebuilds when a file is added to or removed from a source directory, or a config file changes', async () => {
    await ensureServerBuild(options);
    const added = join(repoRoot, 'server/cli/extra.ts');
    writeFileSync(added, 'export const extra = 1;');
    age(added);
    age(join(repoRoot, 'server/cli'));
    expect(freshServerBuild(options)).toBeNull();
    await ensureServerBuild(options);
    expect(freshServerBuild(options)).not.toBeNull();
    rmSync(added);
    age(join(repoRoot, 'server/cli'));
    expect(freshServerBuild(options)).toBeNull();
    await ensureServerBuild(options);
    writeFileSync(join(repoRoot, 'package-lock.json'), '{ }');
    age(join(repoRoot, 'package-lock.json'));
    expect(freshServerBuild(options)).toBeNull();
  });

  it('refuses a source that does not compile, keeping the build it had', async () => {
    const good = await ensureServerBuild(options);
    writeFileSync(join(repoRoot, 'server/cli/words.ts'), 'export const greeting: string = ;');
    await expect(buildServer(options)).rejects.toThrow(/words\.ts/);
    expect(readdirSync(buildRoot).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(buildRoot, 'current.json'), 'utf8')).id).toBe(good.split('/').at(-1));
    writeFileSync(join(repoRoot, 'server/cli/words.ts'), "export const greeting: string = 'hej';");
    age(join(repoRoot, 'server/cli/words.ts'));
  });

  it('leaves one whole build when several processes build at once', async () => {
    writeFileSync(join(repoRoot, 'server/cli/words.ts'), "export const greeting: string = 'tack';");
    age(join(repoRoot, 'server/cli/words.ts'));
    const script = `import(${JSON.stringify(join(REPO_ROOT, 'server', 'server-build.mjs'))}).then((m) => m.buildServer(${JSON.stringify(options)})).then((d) => console.log(d))`;
    const builds = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
            let stdout = '';
            child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
            child.once('exit', (code) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`build process exited ${code}`))));
          }),
      ),
    );
    expect(new Set(builds).size).toBe(1);
    expect(freshServerBuild(options)).toBe(builds[0]);
    expect(cliOutput(builds[0]!)).toBe('tack');
    expect(readdirSync(buildRoot).filter((name) => name.startsWith('.tmp-') || name.endsWith('.tmp'))).toEqual([]);
  });

  it('removes older builds unused for an hour beyond the two most recently used, never one still in use', async () => {
    const builds: string[] = [];
    for (const word of ['a', 'b', 'c', 'd', 'e']) {
      writeFileSync(join(repoRoot, 'server/cli/words.ts'), `export const greeting: string = '${word}';`);
      age(join(repoRoot, 'server/cli/words.ts'));
      builds.push(await ensureServerBuild(options));
    }
    expect(builds.every((build) => existsSync(build))).toBe(true);
    // The first four last used two hours ago; then a server still running the first marks it used.
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    for (const build of builds.slice(0, 4)) utimesSync(build, twoHoursAgo, twoHoursAgo);
    markServerBuildUsed(builds[0]!);
    writeFileSync(join(repoRoot, 'server/cli/words.ts'), "export const greeting: string = 'f';");
    age(join(repoRoot, 'server/cli/words.ts'));
    const latest = await ensureServerBuild(options);
    expect(builds.map((build) => existsSync(build))).toEqual([true, false, false, false, true]);
    expect(cliOutput(latest)).toBe('f');
    expect(cliOutput(builds[0]!)).toBe('a');
  });

  it('counts a build made from another checkout of the repository as stale', async () => {
    const build = await ensureServerBuild(options);
    const copy = join(dir, 'toy-copy');
    writeToyRepository(copy);
    expect(freshServerBuild({ repoRoot: copy, buildRoot })).toBeNull();
    expect(freshServerBuild(options)).toBe(build);
  });
});

describe('the compiled server', () => {
  it('starts, serves meta.health and runs a job in the compiled worker thread', { timeout: 300_000 }, async () => {
    const build = await buildServer({ buildRoot: join(builds, 'server') });
    const child = spawn(process.execPath, [join(build, 'start.js')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ATLAS_DB: inject('databasePath'),
        ATLAS_READ_ONLY: '1',
        ATLAS_ACCOUNTS_DB: join(dir, 'accounts.sqlite'),
        ATLAS_LIVE_RATE: '0',
        ATLAS_REQUEST_LOG: 'off',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    /** Resolves with the first match of `pattern` in the server's output; rejects if it exits first. */
    const waitFor = (pattern: RegExp): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = output.match(pattern);
          if (match) resolve(match);
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        void exited.then((code) => reject(new Error(`server exited (${code}):\n${output}`)));
        check();
      });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = (await waitFor(/listening on (http:\/\/\S+)/))[1]!;
      const health = (await (await fetch(`${url}/trpc/meta.health`)).json()) as { result: { data: { ok: boolean; version: string; dataVersion: string } } };
      expect(health.result.data).toMatchObject({ ok: true, version: JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version, dataVersion: inject('dataVersion') });
      // The prepared data is built in a thread of the compiled worker (pool/worker.js).
      await waitFor(/prepared data \w+: \d+ MiB shared/);
      const to = Date.now();
      const input = encodeURIComponent(JSON.stringify({ within: '2101', from: to - 30 * 86_400_000, to }));
      const kpis = await fetch(`${url}/trpc/brief.kpis?input=${input}`);
      expect(kpis.status, await kpis.clone().text()).toBe(200);
      expect(((await kpis.json()) as { result: { data: unknown[] } }).result.data.length).toBeGreaterThan(0);
      // Hot spots on H3 cells: the unit's area by Turf, compiled into the build (server-build.mjs BUNDLED_PACKAGES).
      const cellsInput = encodeURIComponent(JSON.stringify({ within: '210102', from: '2026-08-03', to: '2026-10-31', resolution: 8 }));
      const cells = await fetch(`${url}/trpc/hotspots.cells?input=${cellsInput}`);
      expect(cells.status, await cells.clone().text()).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
