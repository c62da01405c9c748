// Generation benchmark: the whole province's demonstration data and database, in a child process
// (its own peak memory). Targets from the issue: ≤ 90 s and ≤ 4 GB on the 2-core reference machine.

import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../server/paths';

export async function runGenerationBench(scope = process.env.BENCH_GENERATION_SCOPE ?? '21'): Promise<void> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/generation-child.ts', scope], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const result = JSON.parse(output.trim().split('\n').pop()!) as {
    seconds: number;
    maxRssMiB: number;
    databaseMiB: number;
    contentHash: string;
    timings: Record<string, number>;
    counts: Record<string, number>;
  };
  console.log(`\n## Demonstration data generation (scope ${scope}, one run)`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| total build (geography + generation + writing), s | ${result.seconds.toFixed(1)} |`);
  for (const [stage, seconds] of Object.entries(result.timings)) console.log(`| · ${stage}, s | ${seconds.toFixed(1)} |`);
  console.log(`| peak memory (max RSS), MiB | ${result.maxRssMiB.toFixed(0)} |`);
  console.log(`| database size, MiB | ${result.databaseMiB.toFixed(0)} |`);
  for (const key of ['street', 'community', 'grids', 'demandPoints', 'facilities', 'roadEdges', 'roadComponents', 'disputes', 'disputeSteps', 'plantedClusters', 'boundaryLines.street']) {
    console.log(`| ${key} | ${(result.counts[key] ?? 0).toLocaleString('en-US')} |`);
  }
  console.log(`| content hash | ${result.contentHash} |`);
}
