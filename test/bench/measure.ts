// Benchmark helpers: warm-up, repeated timing, median and spread.

export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  note?: string;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Times `fn` `runs` times after `warmup` untimed runs. */
export async function measure(
  name: string,
  fn: () => unknown,
  { runs = 20, warmup = 3, note }: { runs?: number; warmup?: number; note?: string } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, runs, medianMs: quantile(times, 0.5), p10Ms: quantile(times, 0.1), p90Ms: quantile(times, 0.9), note };
}

export function printTimings(title: string, timings: Timing[]): void {
  console.log(`\n## ${title}`);
  console.log('| case | runs | median ms | p10 ms | p90 ms | note |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const t of timings) {
    console.log(`| ${t.name} | ${t.runs} | ${t.medianMs.toFixed(2)} | ${t.p10Ms.toFixed(2)} | ${t.p90Ms.toFixed(2)} | ${t.note ?? ''} |`);
  }
}
