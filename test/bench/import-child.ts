// One import in a process of its own, for the import benchmark: prints {seconds, cpuSeconds, peakRssMiB,
// report summary} as JSON, so each run's peak resident memory is its own (getrusage maxrss).

import { importLayer } from '../../server/ingest/import/import-layer';
import type { ImportLayer } from '../../server/ingest/import/import-types';

const [layer, filePath, databasePath] = process.argv.slice(2) as [ImportLayer, string, string];
const started = performance.now();
const cpuStarted = process.cpuUsage();
const report = await importLayer({ databasePath, layer, filePath });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    featuresRead: report.featuresRead,
    committed: report.committed,
    errors: report.issueCounts.error,
    warnings: report.issueCounts.warning,
    fileError: report.fileError,
  }),
);
