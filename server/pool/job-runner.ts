// How procedures run jobs: the interface, and the in-process runner (tests, the CLI, one-shot tools) that
// builds the prepared data on first use and runs each job on the calling thread. The server uses the
// worker pool (pool-runner.ts), which answers with the same values.

import { JOBS, type JobName, type JobInput, type JobOutput } from '../jobs/registry';
import { loadHighsRuntime, type JobEnv } from '../jobs/job-env';
import { ThreadCache } from '../jobs/thread-cache';
import { buildPreparedData, viewPreparedData, type PreparedData } from '../prepared/prepared-data';
import type { AtlasStore } from '../store/atlas-store';

export interface RunOptions {
  /** Aborts the job when the caller has gone (client disconnected, superseded). */
  signal?: AbortSignal;
  /** The request's "now", ms since epoch (default Date.now()). */
  nowMs?: number;
  /** Who asks, for per-client limits (a token, a session or an address). */
  client?: string;
}

export interface PreparedStatus {
  dataVersion: string;
  state: 'building' | 'ready' | 'failed';
  /** Build time and shared memory, once ready. */
  buildMs: number | null;
  bytes: number | null;
  error: string | null;
}

export interface LaneStatus {
  name: 'light' | 'heavy';
  threads: number;
  running: number;
  queued: number;
  maxQueue: number;
  completed: number;
  cancelled: number;
  timedOut: number;
  refused: number;
  /** Share of the lane's thread time spent running jobs since start (0–1). */
  utilization: number;
}

export interface RunnerStatus {
  mode: 'pool' | 'inline';
  prepared: PreparedStatus | null;
  lanes: LaneStatus[];
  /** Answers kept for identical requests. */
  answers: { entries: number; bytes: number; maxBytes: number; hits: number; misses: number; shared: number };
}

export interface JobRunner {
  /**
   * A job's answer. The pool runner answers with a RawJson (the worker's bytes, spliced into the
   * response by the HTTP layer) typed as the value; use `value` where the value itself is needed.
   */
  run<N extends JobName>(name: N, input: JobInput<N>, options?: RunOptions): Promise<JobOutput<N>>;
  /** A job's answer as a value, whichever runner. */
  value<N extends JobName>(name: N, input: JobInput<N>, options?: RunOptions): Promise<JobOutput<N>>;
  /** Starts building the prepared data (if not yet) and resolves when it is ready. */
  prepare(): Promise<void>;
  status(): RunnerStatus;
  close(): Promise<void>;
}

/** Runs jobs on the calling thread (no pool): for tests, the CLI and scripts. */
/** The in-process runner; `clearCache` drops kept intermediate results (benchmarks of cold answers). */
export interface InlineRunner extends JobRunner {
  clearCache(): void;
}

export function createInlineRunner(store: AtlasStore, options: { cacheBytes?: number; prepared?: () => PreparedData } = {}): InlineRunner {
  const cache = new ThreadCache(options.cacheBytes);
  let prepared: PreparedData | null = null;
  let preparedError: Error | null = null;
  const ensurePrepared = (): PreparedData => {
    if (preparedError) throw preparedError;
    try {
      prepared ??= options.prepared ? options.prepared() : buildPreparedData(store);
    } catch (error) {
      preparedError = error as Error;
      throw error;
    }
    return prepared;
  };
  const run = async <N extends JobName>(name: N, input: JobInput<N>, runOptions: RunOptions = {}): Promise<JobOutput<N>> => {
    const spec = JOBS[name] as unknown as { run: (env: JobEnv, input: unknown) => unknown; prepared: boolean; budgetMs: number };
    const nowMs = runOptions.nowMs ?? Date.now();
    const env: JobEnv = {
      store,
      prepared: spec.prepared ? viewPreparedData(ensurePrepared()) : null,
      cache,
      nowMs,
      deadlineMs: Date.now() + spec.budgetMs,
      offerFallback: () => {},
      loadHighs: loadHighsRuntime,
    };
    return (await spec.run(env, input)) as JobOutput<N>;
  };
  return {
    run,
    value: run,
    prepare: async () => {
      ensurePrepared();
    },
    status: () => ({
      mode: 'inline',
      prepared: prepared
        ? { dataVersion: prepared.dataVersion, state: 'ready', buildMs: prepared.buildMs, bytes: prepared.bytes, error: null }
        : preparedError
          ? { dataVersion: store.health().dataVersion, state: 'failed', buildMs: null, bytes: null, error: preparedError.message }
          : null,
      lanes: [],
      answers: { entries: cache.usage.entries, bytes: cache.usage.bytes, maxBytes: cache.maxBytes, hits: 0, misses: 0, shared: 0 },
    }),
    clearCache: () => cache.clear(),
    close: async () => {
      cache.clear();
    },
  };
}
