// Full-scale run of the dispute generator on a synthetic province (about 42,000 grids, 42.59 M residents):
// `npx tsx data/generator/disputes-bench.ts [runs]` prints counts, the median and spread of wall time,
// peak resident memory, and a live catch-up. A script, not a test: numbers go in notes, never in CI gates.

import { generateDisputeHistory } from './disputes';
import { createLiveDisputeGenerator, computeHistoricalRatePerMinute, openStatesOf } from './disputes-live';
import { buildSyntheticProvinceInput } from './disputes-synthetic';
import { createRng } from '../../server/analysis/random';

const runs = Math.max(1, Number(process.argv[2] ?? 3));
const nowMs = Date.UTC(2025, 5, 30, 16, 0, 0);
const input = buildSyntheticProvinceInput({ totalPopulation: 42_590_000, rng: createRng(2020).fork('province') });
const population = input.grids.reduce((sum, grid) => sum + grid.population, 0);
console.log(`input: ${input.grids.length} grids, ${population} residents, ${input.boundaryLines.length} boundary lines`);

const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
const coldStarted = performance.now();
let history = generateDisputeHistory({ ...input, nowMs, rng: createRng(1).fork('disputes') });
const coldMs = performance.now() - coldStarted;
const coldPeakMiB = process.resourceUsage().maxRSS / 1024;
const outputBytes = [history.events, history.steps]
  .flatMap((columns) => Object.values(columns))
  .reduce((sum: number, value) => sum + (ArrayBuffer.isView(value) ? value.byteLength : 0), 0);
const timesMs: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  history = generateDisputeHistory({ ...input, nowMs, rng: createRng(1).fork('disputes') });
  timesMs.push(performance.now() - started);
}
timesMs.sort((a, b) => a - b);
const { summary } = history;
const closedTotal = Object.values(summary.byResolvedLevel).reduce((a, b) => a + b, 0);
const share = (value: number, of: number): string => `${((100 * value) / of).toFixed(1)} %`;
console.log(`events: ${summary.events} (background ${summary.backgroundEvents}, clusters ${summary.clusterEvents} in ${history.clusters.length})`);
console.log(`steps: ${summary.steps}`);
console.log(`cold run: ${(coldMs / 1000).toFixed(2)} s; peak RSS ${coldPeakMiB.toFixed(0)} MiB (${rssBeforeMiB.toFixed(0)} MiB before, input included); output columns ${(outputBytes / 2 ** 20).toFixed(0)} MiB`);
console.log(`time: median ${(timesMs[timesMs.length >> 1]! / 1000).toFixed(2)} s, min ${(timesMs[0]! / 1000).toFixed(2)} s, max ${(timesMs[timesMs.length - 1]! / 1000).toFixed(2)} s over ${runs} warm runs`);
console.log(`peak RSS over all runs: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(`closed ${share(summary.closed, summary.events)}, overdue ${share(summary.overdue, summary.events)}, escalated ${share(summary.escalated, summary.events)}, reopened ${share(summary.reopened, summary.events)}`);
console.log(`resolved at: ${Object.entries(summary.byResolvedLevel).map(([level, n]) => `${level} ${share(n, closedTotal)}`).join(', ')}`);
console.log(`sources: ${Object.entries(summary.bySource).map(([key, n]) => `${key} ${share(n, summary.events)}`).join(', ')}`);
console.log(`types: ${Object.entries(summary.byType).map(([key, n]) => `${key} ${share(n, summary.events)}`).join(', ')}`);
console.log(`clusters by kind: ${['persistent', 'emerging', 'diminishing', 'boundary'].map((kind) => `${kind} ${history.clusters.filter((c) => c.kind === kind).length}`).join(', ')}`);

const live = createLiveDisputeGenerator({ grids: input.grids, rng: createRng(1).fork('disputes'), clusters: history.clusters });
const open = openStatesOf(history.events);
const catchUpStarted = performance.now();
const batch = live.generate({
  openEvents: open,
  fromMs: nowMs,
  toMs: nowMs + 86_400_000,
  nextId: summary.events + 1,
  ratePerMinute: computeHistoricalRatePerMinute(input.grids),
});
console.log(
  `live catch-up of one day at the historical rate: ${batch.events.length} new cases, ${batch.steps.length} steps ` +
    `(${open.length} open cases carried) in ${((performance.now() - catchUpStarted) / 1000).toFixed(2)} s`,
);
