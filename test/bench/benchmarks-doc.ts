// Regenerates docs/benchmarks.md: runs each documented benchmark as its own `npm run bench` process, with
// the machine (cores, CPU, RAM, Node), the date, the commit, the load average before and after each, and
// the command that made each table. `node --import tsx test/bench/benchmarks-doc.ts` runs every section;
// BENCH_DOC_SECTIONS=network,hotspots reruns some and keeps the others as the file has them.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../server/paths';

interface DocSection {
  name: string;
  title: string;
  /** The environment that picks the tables (with BENCH_ONLY), as typed before `npm run bench`. */
  env: Record<string, string>;
  /** What the tables measure, in a sentence or two (the tables say the rest). */
  about: string;
}

export const DOC_SECTIONS: DocSection[] = [
  {
    name: 'network',
    title: 'Network: nearest facility, Atlas vs NetworkX vs pgRouting',
    env: { BENCH_ONLY: 'coverage', COVERAGE_BENCH_CASES: 'other-tools' },
    about:
      'The nearest health station within 1,000 m for every vertex of the Shenyang walking network (test database, seed 1). ' +
      'Warm search: each tool\'s search on data already in memory (pgRouting: in the server, edges in a table, read through SQL on each call as pgRouting always does). ' +
      'Whole process: a fresh process per run, reading the same files (pgRouting: `psql` with the edges already in the database). Costs are compared vertex by vertex.',
  },
  {
    name: 'hotspots',
    title: 'Hotspots: Gi* statistics, and Atlas vs R spdep vs PySAL esda',
    env: { BENCH_ONLY: 'hotspots', HOTSPOTS_BENCH_CASES: 'statistics,peers' },
    about:
      'Getis-Ord Gi* on about 100,000 H3 cells (binary k = 1 rings, the cell itself included). The first table is Atlas alone; the peer tables give every tool the same cells, counts and GAL neighbours, ' +
      'analytic z-scores compared cell by cell, pseudo p-values compared at 5 % (each tool draws its permutations its own way, said in the table).',
  },
  {
    name: 'siting',
    title: 'Siting: exact MCLP, Atlas vs CBC',
    env: { BENCH_ONLY: 'siting', SITING_EXACT_ONLY: '1' },
    about: 'Exact maximal covering on seeded instances, warm (in process) and whole process (`npm run cli -- site-select --exact` against `cbc model.lp -solve`), answers compared.',
  },
  {
    name: 'coverage',
    title: 'Coverage: all facilities of one kind (target ≤ 100 ms)',
    env: { BENCH_ONLY: 'coverage', COVERAGE_BENCH_CASES: 'big-network' },
    about: 'Coverage of every facility of a kind with a 1,000 m limit on a network of ≥ 1 M directed edges: the province build (made for the run; its build time is printed) and a synthetic grid; the search alone on the row below each.',
  },
  {
    name: 'events',
    title: 'Live reporting: reports per second (target ≥ 1,000 with 50 subscribers)',
    env: { BENCH_ONLY: 'events' },
    about: 'Sustained dispute reports per second over HTTP for 15 s while 50 SSE subscribers each receive every event; the server in its own process.',
  },
];

const DOC_PATH = join(REPO_ROOT, 'docs', 'benchmarks.md');
const begin = (name: string) => `<!-- section:${name} -->`;
const end = (name: string) => `<!-- /section:${name} -->`;

const loadAverage = (): string => os.loadavg().map((value) => value.toFixed(2)).join(' / ');

/** Settings from the environment that change what the benches run (runs, peers, databases), named in each command. */
const PASSED_SETTING = /^(PEER_RUNS|BENCH_PEERS|ATLAS_CBC|PG[A-Z]+|(COVERAGE|HOTSPOTS|SITING|COMPLETENESS)_[A-Z_]+)$/;

function commandOf(section: DocSection): string {
  const passed = Object.entries(process.env).filter(([key]) => PASSED_SETTING.test(key) && !(key in section.env));
  return `${[...passed, ...Object.entries(section.env)].map(([key, value]) => `${key}=${value}`).join(' ')} npm run bench`;
}

/** The machine and checkout, as the doc's head states them. */
function machine(): string[] {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || String(os.availableParallelism());
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  return [
    `- Machine: \`nproc\` ${nproc}, ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; commit ${commit} (the working tree may hold other uncommitted work)`,
    '- PostgreSQL for pgRouting: a local cluster reached through the usual PG* environment (`pg_ctlcluster 15 main start`, a superuser role for the user running the bench, `PGDATABASE=postgres`); the bench creates and drops a scratch database.',
  ];
}

/** One section run as its own `npm run bench`: the tables it printed, with its command, date and load. */
function runSection(section: DocSection): string {
  const loadBefore = loadAverage();
  const started = new Date();
  const run = spawnSync('npm', ['run', '--silent', 'bench'], { cwd: REPO_ROOT, env: { ...process.env, ...section.env }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  // The bench's own head (date, Node, CPU) is in the doc's head and the section's line.
  const tables = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('# Pingan Atlas benchmarks') && !/^Node v\d/.test(line))
    .join('\n')
    .trim()
    .replace(/^## /gm, '#### ');
  const failed = run.status === 0 ? '' : `\n\n**The run failed (exit ${run.status}):**\n\n\`\`\`\n${run.stderr.trim().split('\n').slice(-15).join('\n')}\n\`\`\`\n`;
  return [
    begin(section.name),
    `## ${section.title}`,
    '',
    section.about,
    '',
    `Command: \`${commandOf(section)}\` — run ${started.toISOString().replace(/\.\d+Z$/, 'Z')}, ${seconds} s; load average (1 / 5 / 15 min) ${loadBefore} before, ${loadAverage()} after, on ${os.cpus().length} cores.`,
    '',
    tables,
    failed,
    end(section.name),
  ].join('\n');
}

/** The section as the current doc has it, or null. */
function keptSection(doc: string, name: string): string | null {
  const from = doc.indexOf(begin(name));
  const to = doc.indexOf(end(name));
  return from >= 0 && to > from ? doc.slice(from, to + end(name).length) : null;
}

function writeDoc(sections: Map<string, string>): void {
  const head = [
    '# Benchmarks',
    '',
    'Generated by `node --import tsx test/bench/benchmarks-doc.ts` (each section by the command it names; `BENCH_DOC_SECTIONS=network,hotspots` reruns some). Numbers are medians unless a table says otherwise; the load average says how busy the machine was.',
    '',
    `Last written ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`,
    machine().join('\n'),
  ];
  const body = DOC_SECTIONS.map((section) => sections.get(section.name) ?? `${begin(section.name)}\n## ${section.title}\n\nNot run yet: \`${commandOf(section)}\`.\n${end(section.name)}`);
  mkdirSync(dirname(DOC_PATH), { recursive: true });
  writeFileSync(DOC_PATH, `${[...head, ...body].join('\n\n').replace(/\n{3,}/g, '\n\n')}\n`);
}

function main(): void {
  const chosen = process.env.BENCH_DOC_SECTIONS?.split(',');
  const unknown = chosen?.filter((name) => !DOC_SECTIONS.some((section) => section.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_DOC_SECTIONS: no section ${unknown.join(', ')} (sections: ${DOC_SECTIONS.map((s) => s.name).join(', ')})`);
  const existing = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const section of DOC_SECTIONS) {
    const kept = keptSection(existing, section.name);
    if (kept) sections.set(section.name, kept);
  }
  for (const section of DOC_SECTIONS) {
    if (chosen && !chosen.includes(section.name)) continue;
    console.log(`${new Date().toISOString()} ${section.name}: ${commandOf(section)} (load ${loadAverage()})`);
    sections.set(section.name, runSection(section));
    // Written after every section, so an interrupted run keeps what it measured.
    writeDoc(sections);
  }
  console.log(`wrote ${DOC_PATH}`);
}

main();
