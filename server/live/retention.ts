// Retention of personal data (PIPL art. 19: no longer than the purpose needs): the parties, summaries
// and notes of cases closed more than `days` ago are masked for good, in small batches between other
// work on the event loop (each batch an indexed read and one transaction), at start and every six hours.
// The figures (types, places, times, outcomes) stay for statistics and hotspots.

import type { DisputeStore } from '../store/dispute-store';

/** ATLAS_RETENTION_DAYS: days after closure a case keeps its personal data (default 3 years; "off" keeps it). */
export const DEFAULT_RETENTION_DAYS = 3 * 365;
const BATCH = 200;
const EVERY_MS = 6 * 3_600_000;

/** The retention period from ATLAS_RETENTION_DAYS: a whole number of days ≥ 1, or null for "off". */
export function retentionDaysFromEnv(value: string | undefined): number | null {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  if (value === 'off') return null;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`ATLAS_RETENTION_DAYS must be a whole number of days ≥ 1 or "off", got "${value}"`);
  return days;
}

export interface Retention {
  /** Resolves when the pass in progress (if any) has finished. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Masks the personal data of cases closed more than `days` before now, batch by batch, yielding to
 * other work between batches; `onDone` hears how many cases each pass masked (for the audit log).
 */
export function startRetention(options: { disputes: DisputeStore; days: number; clock?: () => number; onDone?: (cases: number) => void }): Retention {
  const clock = options.clock ?? Date.now;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = async (): Promise<void> => {
    const cutoff = clock() - options.days * 86_400_000;
    let total = 0;
    for (;;) {
      if (stopped) break;
      const masked = options.disputes.redactClosedBefore(cutoff, BATCH, clock());
      total += masked;
      if (masked < BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total > 0) options.onDone?.(total);
  };
  const run = (): void => {
    running = running.then(pass);
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return {
    idle: () => running,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
