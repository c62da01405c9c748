// The demonstration live feed: while the server runs on generated data, new disputes and workflow
// steps keep arriving. On start it catches up from where the data (or the last run) stopped to the
// present at the history's own rate, then appends a window every tick at the configured rate.
// Everything goes through the store in transactions; the clock is passed in.

import { createLiveDisputeGenerator, computeHistoricalRatePerMinute, type LiveDisputeGenerator } from '../../data/generator/disputes-live';
import type { DisputeLifecycleState } from '../../data/generator/disputes-lifecycle';
import { createRng } from '../../data/generator/random';
import { MS_PER_DAY } from '../domain/china-time';
import type { AtlasStore } from '../store/atlas-store';

export interface DemoFeedOptions {
  store: AtlasStore;
  /** New cases per minute once caught up (default 3); 0 turns the feed off. */
  ratePerMinute?: number;
  /** How often a window is generated, ms (default 10 s). */
  tickMs?: number;
  /** A catch-up longer than this many days starts this far back instead (default 60). */
  maxCatchUpDays?: number;
  now?: () => number;
  log?: (message: string) => void;
  /** Called after every appended batch with the log's last sequence number. */
  onAppend?: (lastSeq: number) => void;
}

export interface DemoFeed {
  /** Resolves when the catch-up is written (immediately when there is no demonstration data). */
  ready: Promise<void>;
  /** Generates and writes the window up to now; returns the number of new cases. */
  tick(): number;
  stop(): void;
}

const CATCH_UP_CHUNK_MS = MS_PER_DAY;

export function startDemoDisputeFeed(options: DemoFeedOptions): DemoFeed {
  const { store, ratePerMinute = 3, tickMs = 10_000, maxCatchUpDays = 60, now = Date.now, log = () => {}, onAppend } = options;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let generator: LiveDisputeGenerator | null = null;
  let gridCodes: string[] = [];
  let openStates: DisputeLifecycleState[] = [];
  let cursor = { untilMs: 0, nextId: 1 };

  const appendWindow = (toMs: number, rate: number): number => {
    if (!generator || toMs <= cursor.untilMs) return 0;
    const batch = generator.generate({ openEvents: openStates, fromMs: cursor.untilMs, toMs, nextId: cursor.nextId, ratePerMinute: rate });
    const { lastSeq } = store.appendDisputeBatch(batch, gridCodes, toMs);
    openStates = batch.states;
    cursor = { untilMs: toMs, nextId: batch.nextId };
    onAppend?.(lastSeq);
    return batch.events.length;
  };

  const tick = (): number => {
    if (stopped) return 0;
    try {
      return appendWindow(now(), ratePerMinute);
    } catch (error) {
      log(`live feed: a window failed and will be retried: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  };

  const ready = (async () => {
    if (ratePerMinute <= 0) return;
    // Let the server answer first: loading every grid polygon takes a moment.
    await new Promise((resolve) => setImmediate(resolve));
    const source = store.loadLiveFeedSource();
    if (!source || stopped) return;
    generator = createLiveDisputeGenerator({
      grids: source.grids,
      rng: createRng(source.demo.seed).fork('disputes'),
      clusters: source.clusters,
    });
    gridCodes = source.grids.map((grid) => grid.gridCode);
    openStates = source.openStates;
    cursor = source.cursor;
    const present = now();
    const earliest = present - maxCatchUpDays * MS_PER_DAY;
    if (cursor.untilMs < earliest) {
      log(`live feed: skipping ${((earliest - cursor.untilMs) / MS_PER_DAY).toFixed(0)} days without data`);
      cursor = { ...cursor, untilMs: earliest };
    }
    const historicalRate = computeHistoricalRatePerMinute(source.grids);
    let caughtUp = 0;
    while (!stopped && cursor.untilMs < present) {
      caughtUp += appendWindow(Math.min(present, cursor.untilMs + CATCH_UP_CHUNK_MS), historicalRate);
      await new Promise((resolve) => setImmediate(resolve));
    }
    log(`live feed: caught up ${caughtUp} cases; now ${ratePerMinute} per minute`);
    if (!stopped) {
      timer = setInterval(tick, tickMs);
      timer.unref();
    }
  })().catch((error: unknown) => {
    log(`live feed stopped: ${error instanceof Error ? error.message : String(error)}`);
  });

  return {
    ready,
    tick,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
