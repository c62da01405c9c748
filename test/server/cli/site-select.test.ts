// `site-select` on files: the San Francisco cost matrix (PySAL spopt's published answers) and an
// OR-Library instance (Beasley's optimum), plus the errors a wrong command line gets.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../server/cli/site-select';
import { testdataPath, writeSanFranciscoCsv } from '../analysis/siting/reference-data';

const dir = mkdtempSync(join(tmpdir(), 'site-select-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sfFiles = writeSanFranciscoCsv(dir);

interface CliResult {
  problem: string;
  chosen: (string | number)[];
  fixed: (string | number)[];
  objective: number;
  coveredWeight?: number;
  meanCost?: number;
  bound: number;
  gap: number;
  provedOptimal: boolean;
  status: 'optimal' | 'not-proven' | 'infeasible';
  engine: 'cbc' | 'highs-wasm' | 'heuristic-bound';
  feasible: boolean;
}

async function siteSelect(args: string[]): Promise<{ code: number; result: CliResult }> {
  const out = join(dir, `result-${Math.random().toString(36).slice(2)}.json`);
  const code = await run([...args, '--out', out]);
  return { code, result: JSON.parse(readFileSync(out, 'utf8')) as CliResult };
}

const sf = ['--cost-matrix', sfFiles.costMatrix, '--demand', sfFiles.demand];

describe('site-select --cost-matrix (San Francisco)', () => {
  it('MCLP --exact: 4 stores, proven optimal, 184 of 205 tracts covered as in spopt', async () => {
    const { code, result } = await siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--exact']);
    expect(code).toBe(0);
    expect(result.problem).toBe('mclp');
    expect(result.chosen).toHaveLength(4);
    expect(result.chosen.every((id) => typeof id === 'string' && id.startsWith('Store_'))).toBe(true);
    expect(result.provedOptimal).toBe(true);
    expect(result.gap).toBe(0);
    expect(result.coveredWeight).toBe(result.objective);
  });

  it('p-median --exact: mean distance 2982.1268579890657 m (spopt)', async () => {
    const { result } = await siteSelect([...sf, '--objective', 'pmedian', '--p', '4', '--exact']);
    expect(result.meanCost).toBeCloseTo(2982.1268579890657, 6);
    expect(result.provedOptimal).toBe(true);
    expect(result.status).toBe('optimal');
    expect(['cbc', 'highs-wasm', 'heuristic-bound']).toContain(result.engine);
  });

  it('MCLP --exact --engine highs: the same optimum, and no CBC named', async () => {
    const { code, result } = await siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--exact', '--engine', 'highs']);
    expect(code).toBe(0);
    expect(result.coveredWeight).toBe((await siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--exact'])).result.coveredWeight);
    expect(result.engine).not.toBe('cbc');
  });

  it('--engine cbc without cbc, or an unknown engine, is refused', async () => {
    const saved = process.env.ATLAS_CBC;
    process.env.ATLAS_CBC = 'none';
    try {
      await expect(siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--exact', '--engine', 'cbc'])).rejects.toThrow(/no `cbc`/);
    } finally {
      if (saved === undefined) delete process.env.ATLAS_CBC;
      else process.env.ATLAS_CBC = saved;
    }
    await expect(siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--exact', '--engine', 'gurobi'])).rejects.toThrow(/--engine must be/);
  });

  it('keeps --fixed sites and counts them in --p, as spopt does', async () => {
    const { result } = await siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4', '--fixed', 'Store_1', '--exact']);
    expect(result.chosen[0]).toBe('Store_1');
    expect(result.fixed).toEqual(['Store_1']);
    expect(result.chosen).toHaveLength(4);
  });

  it('heuristic runs report a gap with a bound on the right side', async () => {
    const { result } = await siteSelect([...sf, '--objective', 'pmedian', '--p', '3']);
    expect(result.bound).toBeLessThanOrEqual(result.objective);
    expect(result.gap).toBeGreaterThanOrEqual(0);
    expect(result.gap).toBeLessThan(0.05);
  });

  it('refuses bad command lines with a message', async () => {
    await expect(run([...sf, '--objective', 'mclp', '--p', '4', '--out', join(dir, 'x.json')])).rejects.toThrow(/--radius is required/);
    await expect(run([...sf, '--objective', 'nearest', '--p', '4', '--out', join(dir, 'x.json')])).rejects.toThrow(/--objective must be one of/);
    await expect(run([...sf, '--objective', 'pmedian', '--p', '4', '--fixed', 'Store_99', '--out', join(dir, 'x.json')])).rejects.toThrow(/Store_99/);
    const badCosts = join(dir, 'bad.csv');
    writeFileSync(badCosts, 'demand_id,candidate_id,cost\nnobody,Store_1,5\n');
    await expect(run(['--cost-matrix', badCosts, '--demand', sfFiles.demand, '--objective', 'pmedian', '--p', '1', '--out', join(dir, 'x.json')])).rejects.toThrow(
      /demand id "nobody"/,
    );
    const twice = join(dir, 'twice.csv');
    writeFileSync(twice, 'demand_id,candidate_id,cost\n1,Store_1,5\n1,Store_2,6\n2,Store_1,7\n1,Store_1,8\n');
    const twiceDemand = join(dir, 'twice-demand.csv');
    writeFileSync(twiceDemand, 'id,weight\n1,3\n2,4\n');
    await expect(run(['--cost-matrix', twice, '--demand', twiceDemand, '--objective', 'pmedian', '--p', '1', '--out', join(dir, 'x.json')])).rejects.toThrow(
      /row 4: pair \(1, Store_1\) appears twice/,
    );
  });

  it('reads quoted CSV fields (the full parser) to the same answer as plain ones', async () => {
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, readFileSync(sfFiles.costMatrix, 'utf8').replace(/Store_(\d+)/g, '"Store_$1"'));
    const plain = await siteSelect([...sf, '--objective', 'mclp', '--radius', '5000', '--p', '4']);
    const fromQuoted = await siteSelect(['--cost-matrix', quoted, '--demand', sfFiles.demand, '--objective', 'mclp', '--radius', '5000', '--p', '4']);
    expect(fromQuoted.result.chosen).toEqual(plain.result.chosen);
    expect(fromQuoted.result.objective).toBe(plain.result.objective);
  });
});

describe('site-select --orlib', () => {
  it("pmed1 --exact reproduces Beasley's optimum 5819", async () => {
    const { code, result } = await siteSelect(['--orlib', testdataPath('siting-orlib', 'pmed1.txt'), '--exact']);
    expect(code).toBe(0);
    expect(result.problem).toBe('pmedian');
    expect(result.objective).toBe(5819);
    expect(result.chosen).toHaveLength(5);
    expect(result.chosen.every((id) => typeof id === 'number' && id >= 1 && id <= 100)).toBe(true);
    expect(result.provedOptimal).toBe(true);
  });
  it('--exact stopped by --time-limit before a proof exits 2 and says not-proven, with the answer and its gap', async () => {
    const { code, result } = await siteSelect(['--orlib', testdataPath('siting-orlib', 'pmed36.txt'), '--exact', '--time-limit', '0.05']);
    expect(code).toBe(2);
    expect(result.status).toBe('not-proven');
    expect(result.provedOptimal).toBe(false);
    expect(result.gap).toBeGreaterThan(0);
    expect(result.chosen).toHaveLength(10);
  });
});
