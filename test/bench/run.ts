// `npm run bench`: every benchmark, printed as Markdown tables (numbers go in closing notes, not in tests).
// BENCH_ONLY=foundation,generation runs a subset.

import os from 'node:os';
import { runBriefBench } from './brief.bench';
import { runCoverageBench } from './coverage.bench';
import { runDeskBench, runDeskBrowserBench, runDeskRoundTripBench } from './desk.bench';
import { runFoundationBench } from './foundation.bench';
import { runEventsBench } from './events.bench';
import { runGenerationBench } from './generation.bench';
import { runHotspotsBench } from './hotspots.bench';
import { runImportBench } from './import.bench';
import { runPlanBench } from './plan.bench';
import { runReconcileBench } from './reconcile.bench';
import { runResponsivenessBench } from './responsiveness.bench';
import { runScreenBench } from './screen.bench';
import { runSitingBench } from './siting.bench';

const benches: Record<string, () => Promise<void>> = {
  generation: runGenerationBench,
  foundation: runFoundationBench,
  events: runEventsBench,
  hotspots: runHotspotsBench,
  siting: runSitingBench,
  screen: runScreenBench,
  coverage: runCoverageBench,
  responsiveness: runResponsivenessBench,
  brief: runBriefBench,
  plan: runPlanBench,
  import: runImportBench,
  reconcile: runReconcileBench,
  desk: async () => {
    await runDeskBench();
    await runDeskRoundTripBench();
    await runDeskBrowserBench();
  },
};
const only = process.env.BENCH_ONLY?.split(',');

console.log(`# Pingan Atlas benchmarks — ${new Date().toISOString()}`);
console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
for (const [name, run] of Object.entries(benches)) {
  if (!only || only.includes(name)) await run();
}
