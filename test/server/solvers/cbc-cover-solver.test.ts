// CBC as the exact MCLP engine: found on PATH or named by ATLAS_CBC (absent → HiGHS WebAssembly), the
// LP model it reads, its solution and stop lines parsed, and exact answers equal to exhaustive search on
// seeded instances with either engine. The CBC cases skip, saying so, when `cbc` is not installed.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import loadHighs, { type Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidateCosts } from '../../../server/analysis/siting/candidate-costs';
import { groupCoverage } from '../../../server/analysis/siting/highs-models';
import { seededRandom, solveSiting, type SitingProblem } from '../../../server/analysis/siting/solve-siting';
import { cbcCoverSolver, cbcVersion, coverModelLp, findCbc, parseCbcSolution, solveCoverWithCbc } from '../../../server/solvers/cbc-cover-solver';

const cbcPath = findCbc();
if (!cbcPath) console.warn('cbc-cover-solver.test: no `cbc` on PATH (apt-get install coinor-cbc); the CBC cases are skipped');

/** Random points in a square, candidates among them, costs = distances (integral weights). */
function randomProblem(seed: number, size: 'small' | 'medium' = 'small'): { problem: SitingProblem; m: number } {
  const random = seededRandom(seed);
  const n = size === 'small' ? 10 + Math.floor(random() * 8) : 300;
  const m = size === 'small' ? 6 + Math.floor(random() * 5) : 22;
  const demand = Array.from({ length: n }, () => [random() * 100, random() * 100] as const);
  const sites = Array.from({ length: m }, () => [random() * 100, random() * 100] as const);
  const entryCandidate: number[] = [];
  const entryDemand: number[] = [];
  const entryCost: number[] = [];
  for (let c = 0; c < m; c++) {
    for (let u = 0; u < n; u++) {
      const d = Math.hypot(demand[u]![0] - sites[c]![0], demand[u]![1] - sites[c]![1]);
      if (d > 60) continue;
      entryCandidate.push(c);
      entryDemand.push(u);
      entryCost.push(d);
    }
  }
  const costs = buildCandidateCosts(n, m, Uint32Array.from(entryCandidate), Uint32Array.from(entryDemand), Float64Array.from(entryCost));
  const weightByDemand = Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 9));
  const fixed = seed % 4 === 0 ? [0] : [];
  const radius = size === 'small' ? 25 + (seed % 3) * 5 : 30 + (seed % 3) * 5;
  return { problem: { objective: 'mclp', costs, weightByDemand, radius, newSites: size === 'small' ? 1 + (seed % 3) : 4, fixed }, m };
}

/** Best covered weight over every set of newSites non-fixed candidates. */
function bruteForce({ problem, m }: { problem: SitingProblem; m: number }): number {
  const { costs, radius, weightByDemand } = problem;
  const fixed = Array.from(problem.fixed ?? []);
  const pool = Array.from({ length: m }, (_, c) => c).filter((c) => !fixed.includes(c));
  let best = 0;
  const visit = (start: number, open: number[]) => {
    const covered = new Uint8Array(costs.demandCount);
    for (const c of [...fixed, ...open]) for (let k = costs.offsets[c]!; k < costs.offsets[c + 1]!; k++) if (costs.cost[k]! <= radius!) covered[costs.demandIndex[k]!] = 1;
    best = Math.max(best, weightByDemand.reduce((sum, w, u) => sum + (covered[u] ? w : 0), 0));
    if (open.length === problem.newSites) return;
    for (let k = start; k < pool.length; k++) visit(k + 1, [...open, pool[k]!]);
  };
  visit(0, []);
  return best;
}

// Small instances the heuristics' bounds mostly settle, and medium ones (300 points, 22 candidates, p = 4) they do not.
const CASES = [...Array.from({ length: 24 }, (_, k) => [300 + k, 'small'] as const), ...Array.from({ length: 8 }, (_, k) => [400 + k, 'medium'] as const)];

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

describe('findCbc', () => {
  it("is null with ATLAS_CBC=none, a missing file, or nothing on PATH, so callers fall back", () => {
    expect(findCbc({ ATLAS_CBC: 'none', PATH: process.env.PATH })).toBeNull();
    expect(findCbc({ ATLAS_CBC: '/nonexistent/cbc' })).toBeNull();
    expect(findCbc({ PATH: mkdtempSync(join(tmpdir(), 'no-cbc-')) })).toBeNull();
    expect(cbcCoverSolver({ ATLAS_CBC: 'none' })).toBeUndefined();
  });
});

describe('parseCbcSolution', () => {
  const options = { mode: 'max-cover' as const, newSites: 2 };
  it('reads an optimal solution: the x columns above 0.5, the objective as the bound', () => {
    const parsed = parseCbcSolution('Optimal - objective value 17.00000000\n      0 y0  1  0\n      3 x4  1  0\n      4 x7  0.9999999  0\n      5 x9  0  0\n', '', 10, options);
    expect(parsed).toEqual({ status: 'optimal', objective: 17, bound: 17, sites: [4, 7] });
  });
  it('takes no solution from a stop with only the LP, and the bound from "best possible"', () => {
    const log = 'Cbc0005I Partial search - best objective 1e+50 (best possible -39439), took 0 iterations and 0 nodes (0.79 seconds)\n';
    const parsed = parseCbcSolution('Stopped on time (no integer solution - continuous used) - objective value 39439.00000000\n      3 x4  0.5  0\n', log, 10, options);
    expect(parsed).toEqual({ status: 'time-limit', objective: NaN, bound: 39439, sites: [] });
  });
  it('keeps the incumbent of a stop on time', () => {
    const parsed = parseCbcSolution('Stopped on time - objective value 12.00000000\n      1 x2  1  0\n', 'Partial search - best objective -12 (best possible -15), took', 10, options);
    expect(parsed).toEqual({ status: 'time-limit', objective: 12, bound: 15, sites: [2] });
  });
});

describe.skipIf(!cbcPath)('CBC as a process', () => {
  it('reports its version', () => {
    expect(cbcVersion(cbcPath!)).toMatch(/^\d+\.\d+/);
  });

  it('solves the written LP model to the enumerated optimum and leaves no temporary files', () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('atlas-cbc-')).length;
    const { problem } = randomProblem(301);
    const cover = buildCandidateCosts(
      problem.costs.demandCount,
      problem.costs.candidateCount,
      ...(() => {
        const c: number[] = [];
        const d: number[] = [];
        for (let j = 0; j < problem.costs.candidateCount; j++) {
          for (let k = problem.costs.offsets[j]!; k < problem.costs.offsets[j + 1]!; k++) {
            if (problem.costs.cost[k]! <= problem.radius!) {
              c.push(j);
              d.push(problem.costs.demandIndex[k]!);
            }
          }
        }
        return [Uint32Array.from(c), Uint32Array.from(d), new Float64Array(c.length)] as const;
      })(),
    );
    const groups = groupCoverage(cover, problem.weightByDemand, []);
    expect(coverModelLp(groups, { mode: 'max-cover', newSites: 2 })).toMatch(/^Maximize\n obj:\n[\s\S]*\nBinaries\n[\s\S]*End\n$/);
    const result = solveCoverWithCbc(cbcPath!, groups, problem.costs.candidateCount, { mode: 'max-cover', newSites: 2, start: [0], timeLimitSeconds: 20 });
    expect(result.status).toBe('optimal');
    expect(result.sites.length).toBeLessThanOrEqual(2);
    expect(result.objective).toBe(bruteForce({ problem: { ...problem, newSites: 2, fixed: [] }, m: problem.costs.candidateCount }));
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('atlas-cbc-')).length).toBe(before);
  });

  it('exact MCLP through CBC equals exhaustive search and says CBC or the bounds proved it', () => {
    const coverSolver = cbcCoverSolver()!;
    const engines: string[] = [];
    for (const [seed, size] of CASES) {
      const instance = randomProblem(seed, size);
      const solution = solveSiting(instance.problem, { method: 'exact', coverSolver });
      expect(solution.value).toBe(bruteForce(instance));
      expect(solution.provedOptimal).toBe(true);
      expect(solution.gap).toBe(0);
      engines.push(solution.engine);
    }
    expect(engines.filter((engine) => engine !== 'cbc' && engine !== 'heuristic-bound')).toEqual([]);
    expect(engines).toContain('cbc');
  });
});

describe('HiGHS WebAssembly when CBC is absent', () => {
  it('exact MCLP equals exhaustive search with ATLAS_CBC=none, naming no CBC', () => {
    const coverSolver = cbcCoverSolver({ ATLAS_CBC: 'none' });
    const engines: string[] = [];
    for (const [seed, size] of CASES) {
      const instance = randomProblem(seed, size);
      const solution = solveSiting(instance.problem, { method: 'exact', highs, coverSolver });
      expect(solution.value).toBe(bruteForce(instance));
      expect(solution.provedOptimal).toBe(true);
      expect(solution.boundSource).not.toMatch(/CBC/);
      engines.push(solution.engine);
    }
    expect(engines.filter((engine) => engine !== 'highs-wasm' && engine !== 'heuristic-bound')).toEqual([]);
    expect(engines).toContain('highs-wasm');
  });

  it("'exact' without HiGHS or an engine is refused", () => {
    expect(() => solveSiting(randomProblem(300).problem, { method: 'exact' })).toThrow(/HiGHS/);
  });
});
