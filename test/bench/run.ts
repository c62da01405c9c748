// `npm run bench`: every benchmark, printed as Markdown tables (numbers go in closing notes, not in tests).

import os from 'node:os';
import { runFoundationBench } from './foundation.bench';

console.log(`# Pingan Atlas benchmarks — ${new Date().toISOString()}`);
console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
await runFoundationBench();
