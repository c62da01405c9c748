// The merged maximal-covering / partial set-covering model solved by COIN-OR CBC (Forrest & Lougee-Heimer
// 2005) as a child process: an LP-format model and the heuristic's start written to a temporary
// directory, `cbc` run with a time limit, its solution file parsed, the directory removed. Synchronous:
// call it from the worker pool or the CLI, never on the server's event loop.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CoverGroups, CoverMipOptions, MipResult } from '../analysis/siting/highs-models';
import type { CoverMipSolver } from '../analysis/siting/siting-problem';

/**
 * The `cbc` executable: ATLAS_CBC names it (or 'none' to do without), else the first `cbc` on PATH;
 * null when there is none, so callers fall back to HiGHS WebAssembly.
 */
export function findCbc(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.ATLAS_CBC;
  if (named === 'none') return null;
  const candidates = named ? [named] : (env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0).map((dir) => join(dir, 'cbc'));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not there or not executable: try the next directory.
    }
  }
  return null;
}

/** CBC's version line ("2.10.8"), or null when it does not run. */
export function cbcVersion(cbcPath: string): string | null {
  const run = spawnSync(cbcPath, ['-quit'], { encoding: 'utf8', timeout: 10_000 });
  return /Version:\s*(\S+)/.exec(run.stdout ?? '')?.[1] ?? null;
}

/** CBC as the covering model's engine, or undefined when no `cbc` is found. */
export function cbcCoverSolver(env: NodeJS.ProcessEnv = process.env): CoverMipSolver | undefined {
  const cbcPath = findCbc(env);
  if (!cbcPath) return undefined;
  return { engine: 'cbc', solve: (groups, candidateCount, options) => solveCoverWithCbc(cbcPath, groups, candidateCount, options) };
}

/** The model of {@link solveCoverMip} (highs-models.ts) in CPLEX LP format: x<candidate> binary, y<group> in [0, 1]. */
export function coverModelLp(groups: CoverGroups, options: CoverMipOptions): string {
  const { groupCount, groupOffsets, groupCandidates, weightByGroup } = groups;
  const maxCover = options.mode === 'max-cover';
  const used = [...new Set(groupCandidates)].sort((a, b) => a - b);
  const lines: string[] = [maxCover ? 'Maximize' : 'Minimize'];
  const terms = (items: string[]) => {
    // Short lines: some LP readers limit the line length.
    for (let k = 0; k < items.length; k += 8) lines.push(`  ${k === 0 ? '' : '+ '}${items.slice(k, k + 8).join(' + ')}`);
  };
  lines.push(' obj:');
  if (maxCover) terms(Array.from({ length: groupCount }, (_, g) => `${number(weightByGroup[g]!)} y${g}`));
  else terms(used.map((c) => `x${c}`));
  lines.push('Subject To');
  for (let g = 0; g < groupCount; g++) {
    const covering: string[] = [];
    for (let k = groupOffsets[g]!; k < groupOffsets[g + 1]!; k++) covering.push(`- x${groupCandidates[k]!}`);
    lines.push(` g${g}: y${g} ${covering.join(' ')} <= 0`);
  }
  if (maxCover) {
    lines.push(' sites:');
    terms(used.map((c) => `x${c}`));
    lines.push(`  <= ${options.newSites ?? 0}`);
  } else {
    lines.push(' required:');
    terms(Array.from({ length: groupCount }, (_, g) => `${number(weightByGroup[g]!)} y${g}`));
    lines.push(`  >= ${number(options.requiredWeight ?? 0)}`);
  }
  lines.push('Bounds');
  for (let g = 0; g < groupCount; g++) lines.push(` 0 <= y${g} <= 1`);
  lines.push(options.relaxation ? '' : 'Binaries');
  if (options.relaxation) for (const c of used) lines.push(` 0 <= x${c} <= 1`);
  else for (let k = 0; k < used.length; k += 16) lines.push(` ${used.slice(k, k + 16).map((c) => `x${c}`).join(' ')}`);
  lines.push('End', '');
  return lines.join('\n');
}

/** Solves the covering model with CBC; statuses and fields as {@link solveCoverMip}. */
export function solveCoverWithCbc(cbcPath: string, groups: CoverGroups, candidateCount: number, options: CoverMipOptions): MipResult {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'atlas-cbc-'));
  try {
    const modelFile = join(dir, 'model.lp');
    const solutionFile = join(dir, 'solution.txt');
    writeFileSync(modelFile, coverModelLp(groups, options));
    const args = [modelFile];
    if (options.start && options.start.length > 0 && !options.relaxation) {
      const startFile = join(dir, 'start.txt');
      writeFileSync(startFile, startSolution(groups, options.start));
      args.push('-mipStart', startFile);
    }
    const seconds = options.timeLimitSeconds ?? 1e6;
    args.push('-sec', String(Math.max(0.1, seconds)), '-ratioGap', String(options.mipRelGap ?? 1e-9));
    if (options.mipAbsGap !== undefined) args.push('-allowableGap', String(options.mipAbsGap));
    args.push(options.relaxation ? '-initialSolve' : '-solve', '-solution', solutionFile);
    // CBC checks its limit between nodes; the process deadline is a backstop well past it.
    const run = spawnSync(cbcPath, args, { encoding: 'utf8', timeout: Math.ceil(1000 * (seconds + 30)), maxBuffer: 64 * 2 ** 20 });
    if (run.error) throw new Error(`cbc could not run: ${run.error.message}`);
    const columns = new Set(groups.groupCandidates).size + groups.groupCount;
    const base = { columns, rows: groups.groupCount + 1, seconds: (performance.now() - started) / 1000 };
    let text: string;
    try {
      text = readFileSync(solutionFile, 'utf8');
    } catch {
      return { status: 'failed', objective: NaN, bound: NaN, sites: [], ...base };
    }
    return { ...parseCbcSolution(text, run.stdout ?? '', candidateCount, options), ...base };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first line of CBC's solution file and its x columns; the bound from the log when CBC stopped early. */
export function parseCbcSolution(solution: string, log: string, candidateCount: number, options: CoverMipOptions): Pick<MipResult, 'status' | 'objective' | 'bound' | 'sites'> {
  const [head = '', ...rows] = solution.split('\n');
  const objectiveMatch = /objective value\s+(-?[\d.eE+-]+)/.exec(head);
  // CBC negates a maximisation internally; its solution file reports the model's own sense.
  const objective = objectiveMatch ? Number(objectiveMatch[1]) : NaN;
  const sites: number[] = [];
  for (const row of rows) {
    const fields = row.trim().replace(/^\*\*\s*/, '').split(/\s+/);
    if (fields.length < 3 || !fields[1]!.startsWith('x')) continue;
    const c = Number(fields[1]!.slice(1));
    if (Number(fields[2]) > 0.5 && Number.isInteger(c) && c < candidateCount) sites.push(c);
  }
  let status: MipResult['status'];
  if (/^Optimal/.test(head)) status = 'optimal';
  else if (/infeasible/i.test(head)) status = 'infeasible';
  else if (/^Stopped/.test(head)) status = 'time-limit';
  else status = 'failed';
  let bound = NaN;
  if (status === 'optimal') bound = objective;
  else if (!options.relaxation) {
    // "Partial search - best objective X (best possible Y)": Y is the proven bound in the model's sense.
    const possible = /best possible\s+(-?[\d.eE+-]+)/.exec(log);
    if (possible) bound = Math.abs(Number(possible[1]));
  }
  // "Stopped on time (no integer solution - continuous used)": the values are the LP's, not a solution.
  const hasSolution = status === 'optimal' || (status === 'time-limit' && !/no integer solution/.test(head));
  return { status, objective: hasSolution ? objective : NaN, bound, sites: hasSolution ? sites.sort((a, b) => a - b) : [] };
}

/** A start in CBC's solution-file format: the sites open and the groups they cover. */
function startSolution(groups: CoverGroups, start: ArrayLike<number>): string {
  const open = new Set(Array.from(start));
  const lines = ['Stopped on iterations - objective value 0'];
  let index = 0;
  for (const c of [...new Set(groups.groupCandidates)].sort((a, b) => a - b)) lines.push(`${index++} x${c} ${open.has(c) ? 1 : 0}`);
  for (let g = 0; g < groups.groupCount; g++) {
    let covered = 0;
    for (let k = groups.groupOffsets[g]!; k < groups.groupOffsets[g + 1]!; k++) if (open.has(groups.groupCandidates[k]!)) covered = 1;
    lines.push(`${index++} y${g} ${covered}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A number as LP text (integers without a decimal point). */
function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(17);
}
