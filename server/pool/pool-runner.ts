// The worker pool the server runs every heavy job in (piscina): a light lane (store reads and aggregates)
// that never waits behind the heavy lane (analyses, sized to the cores), the prepared data built once per
// data version in the background and shared with every thread, identical concurrent requests joined into
// one computation, answers kept by bytes for identical later requests, per-client and queue admission,
// a time budget per job (the job's fallback answer, or TIMEOUT, when it runs out) and cancellation
// when every caller has gone (a running job's thread is replaced).

import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';
import { Piscina } from 'piscina';
import { JOBS, type JobInput, type JobName, type JobOutput } from '../jobs/registry';
import { DEFAULT_THREAD_CACHE_BYTES } from '../jobs/thread-cache';
import { serverModuleUrl } from '../paths';
import type { PreparedData } from '../prepared/prepared-data';
import { RequestError } from '../request-error';
import type { AtlasStore } from '../store/atlas-store';
import { decodeJobAnswer } from './job-answer';
import type { JobRunner, LaneStatus, PreparedStatus, RunOptions, RunnerStatus } from './job-runner';
import type { RawJsonParts } from './raw-json';
import type { PoolTask } from './worker';

export interface PoolRunnerOptions {
  /** The main thread's store (data version, dispute log position). */
  store: AtlasStore;
  /** The database the threads open read-only. */
  databasePath: string;
  /** Heavy-lane threads (default: the cores). */
  heavyThreads?: number;
  /** Light-lane threads (default 1). */
  lightThreads?: number;
  /** Jobs waiting per lane at most; more are refused at once (TOO_MANY_REQUESTS). */
  maxQueue?: { light: number; heavy: number };
  /** Bytes of answers kept for identical requests (default 128 MiB). */
  answerCacheBytes?: number;
  /** Bytes of intermediate results each thread keeps (default 160 MiB). */
  threadCacheBytes?: number;
  /**
   * Heavy jobs of one client dispatched at once (default 2): its others wait their turn (up to 8),
   * so one busy view cannot take every thread from the other clients.
   */
  perClientHeavy?: number;
  /** Time budgets (ms) to use instead of the registry's, by job (tests, deployments on slower machines). */
  budgetsMs?: Partial<Record<JobName, number>>;
  /**
   * The time (ms) jobs are told they have, where it should differ from the budget they are stopped at:
   * a job told more than its budget runs past it, which tests the fallback answers.
   */
  toldBudgetsMs?: Partial<Record<JobName, number>>;
  log?: (message: string) => void;
}

/** The worker entry, in the same language as the running code (TypeScript through tsx, or the compiled build). */
const WORKER_URL = serverModuleUrl('pool/worker');

interface Lane {
  name: 'light' | 'heavy';
  pool: Piscina;
  maxQueue: number;
  active: number;
  cancelled: number;
  timedOut: number;
  refused: number;
}

interface Flight {
  promise: Promise<Buffer>;
  callers: number;
  controller: AbortController;
}

export class PoolRunner {
  private readonly store: AtlasStore;
  private readonly databasePath: string;
  private readonly lanes: Record<'light' | 'heavy', Lane>;
  private readonly answers: LRUCache<string, Buffer>;
  private readonly answerCacheBytes: number;
  private readonly flights = new Map<string, Flight>();
  private readonly heavyByClient = new Map<string, { running: number; waiting: (() => void)[] }>();
  private readonly perClientHeavy: number;
  private readonly threadCacheBytes: number;
  private readonly budgetsMs: Partial<Record<JobName, number>>;
  private readonly toldBudgetsMs: Partial<Record<JobName, number>>;
  private readonly log: (message: string) => void;
  private prepared: { dataVersion: string; promise: Promise<PreparedData>; data: PreparedData | null; error: Error | null } | null = null;
  private counts = { hits: 0, misses: 0, shared: 0 };
  /** Threads load the TypeScript sources through tsx when this file runs as TypeScript. */
  private readonly execArgv = WORKER_URL.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];

  constructor(options: PoolRunnerOptions) {
    this.store = options.store;
    this.databasePath = options.databasePath;
    this.log = options.log ?? (() => {});
    this.perClientHeavy = options.perClientHeavy ?? 2;
    this.budgetsMs = options.budgetsMs ?? {};
    this.toldBudgetsMs = options.toldBudgetsMs ?? {};
    this.threadCacheBytes = options.threadCacheBytes ?? Math.min(DEFAULT_THREAD_CACHE_BYTES, 160 * 1024 * 1024);
    this.answerCacheBytes = options.answerCacheBytes ?? 128 * 1024 * 1024;
    this.answers = new LRUCache<string, Buffer>({ maxSize: this.answerCacheBytes, sizeCalculation: (bytes) => Math.max(1, bytes.byteLength) });
    const heavyThreads = options.heavyThreads ?? Math.max(1, availableParallelism());
    const lightThreads = options.lightThreads ?? 1;
    // Threads load the TypeScript sources through tsx when this file runs as TypeScript.
    const execArgv = this.execArgv;
    const lane = (name: 'light' | 'heavy', threads: number, maxQueue: number): Lane => ({
      name,
      pool: new Piscina({ filename: WORKER_URL.href, minThreads: threads, maxThreads: threads, maxQueue, execArgv, idleTimeout: Infinity }),
      maxQueue,
      active: 0,
      cancelled: 0,
      timedOut: 0,
      refused: 0,
    });
    this.lanes = {
      light: lane('light', lightThreads, options.maxQueue?.light ?? 64),
      heavy: lane('heavy', heavyThreads, options.maxQueue?.heavy ?? 16),
    };
  }

  /** The prepared data of the store's current data version: built once in the heavy lane, shared by every job after. */
  private preparedData(): Promise<PreparedData> {
    const dataVersion = this.store.health().dataVersion;
    if (this.prepared?.dataVersion === dataVersion && !this.prepared.error) return this.prepared.promise;
    const started = performance.now();
    const task: PoolTask = { kind: 'prepare', databasePath: this.databasePath };
    const state: NonNullable<PoolRunner['prepared']> = {
      dataVersion,
      data: null,
      error: null,
      promise: (this.runInOwnThread(task) as Promise<PreparedData>).then(
        (data) => {
          state.data = data;
          this.log(`prepared data ${dataVersion}: ${(data.bytes / 1048576).toFixed(0)} MiB shared, built in ${(data.buildMs / 1000).toFixed(1)} s`);
          return data;
        },
        (error: unknown) => {
          state.error = error instanceof Error ? error : new Error(String(error));
          this.log(`prepared data ${dataVersion} failed after ${((performance.now() - started) / 1000).toFixed(1)} s: ${state.error.message}`);
          throw state.error;
        },
      ),
    };
    this.prepared = state;
    return state.promise;
  }

  async prepare(): Promise<void> {
    await this.preparedData();
  }

  /**
   * After an import or undo changed the data (the store refreshed): drops the answers and the prepared
   * data of the old version and starts building the new one. Jobs carry the data version, so each
   * thread refreshes its own store and cache before its next job.
   */
  dataChanged(): void {
    this.answers.clear();
    this.prepared = null;
    void this.prepare().catch(() => {});
  }

  /**
   * Runs a task in a thread of its own that exits afterwards, outside the lanes and their time budgets:
   * the prepared data's build (its garbage goes with the thread) and imports and undos (tens of seconds
   * for a large file, holding up no analysis thread).
   */
  async runInOwnThread(task: Extract<PoolTask, { kind: 'prepare' | 'import' | 'undo-import' }>): Promise<unknown> {
    const thread = new Piscina({ filename: WORKER_URL.href, minThreads: 1, maxThreads: 1, execArgv: this.execArgv });
    try {
      return await thread.run(task);
    } finally {
      await thread.destroy();
    }
  }

  /** Whether the prepared data is still being built (a job that needs it waits for the same build). */
  get preparing(): boolean {
    return this.prepared !== null && this.prepared.data === null && this.prepared.error === null;
  }

  private keyOf(name: JobName, input: unknown, nowMs: number): string {
    const spec = JOBS[name];
    const parts = [name, this.store.health().dataVersion];
    // Answers from the dispute log change as it grows, and with the clock (overdue cases, as-of times).
    if (spec.cache === 'disputes') parts.push(String(this.store.lastDisputeSeq()), String(Math.floor(nowMs / 60_000)));
    parts.push(JSON.stringify(input));
    return parts.join('\u0000');
  }

  /** A job's answer as JSON bytes (the worker's, untouched). */
  async runBytes<N extends JobName>(name: N, input: JobInput<N>, options: RunOptions = {}): Promise<Buffer> {
    const spec = JOBS[name];
    const nowMs = options.nowMs ?? Date.now();
    const key = this.keyOf(name, input, nowMs);
    if (spec.cache !== 'none') {
      const hit = this.answers.get(key);
      if (hit) {
        this.counts.hits++;
        return hit;
      }
      this.counts.misses++;
    }
    let flight = this.flights.get(key);
    if (flight) {
      this.counts.shared++;
    } else {
      const client = options.client ?? 'anonymous';
      const controller = new AbortController();
      const promise = (async () => {
        const release = spec.lane === 'heavy' ? await this.clientTurn(client, controller.signal) : () => {};
        try {
          return await this.dispatch(name, input, nowMs, controller.signal);
        } finally {
          release();
        }
      })().finally(() => this.flights.delete(key));
      flight = { promise, callers: 0, controller };
      this.flights.set(key, flight);
      if (spec.cache !== 'none') {
        promise.then(
          (bytes) => this.answers.set(key, bytes),
          () => {},
        );
      }
    }
    return this.join(flight, options.signal);
  }

  /** Most heavy jobs of one client waiting for its turn; more are refused. */
  private static readonly MAX_WAITING_PER_CLIENT = 8;

  /** Waits until the client has fewer than perClientHeavy heavy jobs dispatched; resolves to the release of its turn. */
  private async clientTurn(client: string, signal: AbortSignal): Promise<() => void> {
    let state = this.heavyByClient.get(client);
    if (!state) {
      state = { running: 0, waiting: [] };
      this.heavyByClient.set(client, state);
    }
    if (state.running >= this.perClientHeavy) {
      if (state.waiting.length >= PoolRunner.MAX_WAITING_PER_CLIENT) {
        this.lanes.heavy.refused++;
        throw new RequestError('TOO_MANY_REQUESTS', `you already have ${state.running + state.waiting.length} analyses running or waiting; wait for one to finish`);
      }
      const turn = state;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          turn.waiting.splice(turn.waiting.indexOf(go), 1);
          reject(new RequestError('TIMEOUT', 'the request was cancelled'));
        };
        const go = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        turn.waiting.push(go);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    state.running++;
    const held = state;
    return () => {
      held.running--;
      const next = held.waiting.shift();
      if (next) next();
      else if (held.running === 0) this.heavyByClient.delete(client);
    };
  }

  /** Waits for a shared computation; the computation is cancelled once every caller has gone. */
  private join(flight: Flight, signal: AbortSignal | undefined): Promise<Buffer> {
    flight.callers++;
    if (!signal) return flight.promise;
    if (signal.aborted) {
      this.leave(flight);
      return Promise.reject(new RequestError('TIMEOUT', 'the request was cancelled'));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const onAbort = (): void => {
        this.leave(flight);
        reject(new RequestError('TIMEOUT', 'the request was cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (bytes) => {
          signal.removeEventListener('abort', onAbort);
          resolve(bytes);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private leave(flight: Flight): void {
    flight.callers--;
    if (flight.callers <= 0) flight.controller.abort('every caller has gone');
  }

  private async dispatch(name: JobName, input: unknown, nowMs: number, signal: AbortSignal): Promise<Buffer> {
    const spec = JOBS[name];
    const budgetMs = this.budgetsMs[name] ?? spec.budgetMs;
    const lane = this.lanes[spec.lane];
    let prepared: PreparedData | null = null;
    if (spec.prepared) {
      try {
        prepared = await this.preparedData();
      } catch (error) {
        throw new RequestError('TIMEOUT', `the analysis data could not be prepared: ${(error as Error).message}`);
      }
      if (signal.aborted) throw new RequestError('TIMEOUT', 'the request was cancelled');
    }
    if (lane.pool.queueSize >= lane.maxQueue) {
      lane.refused++;
      throw new RequestError('TOO_MANY_REQUESTS', `the server is busy: ${lane.pool.queueSize} ${lane.name} jobs are waiting; try again in a few seconds`);
    }
    // The job's own abort: every caller gone, or its budget spent once it started.
    const abort = new AbortController();
    const onCallersGone = (): void => abort.abort('cancelled');
    signal.addEventListener('abort', onCallersGone, { once: true });
    const channel = new MessageChannel();
    let fallback: Uint8Array | null = null;
    let budget: NodeJS.Timeout | null = null;
    channel.port1.on('message', (message: Uint8Array | 'started') => {
      if (message === 'started') {
        budget = setTimeout(() => abort.abort('budget'), budgetMs);
        budget.unref();
      } else {
        fallback = message;
      }
    });
    const task: PoolTask = {
      kind: 'job',
      name,
      input,
      databasePath: this.databasePath,
      dataVersion: this.store.health().dataVersion,
      prepared,
      nowMs,
      budgetMs: this.toldBudgetsMs[name] ?? budgetMs,
      cacheBytes: this.threadCacheBytes,
      fallbackPort: channel.port2,
    };
    lane.active++;
    try {
      const bytes = (await lane.pool.run(task, { signal: abort.signal, transferList: [channel.port2] })) as Uint8Array;
      return decodeJobAnswer(bytes);
    } catch (error) {
      if (error instanceof RequestError) throw error;
      if (abort.signal.aborted) {
        if (abort.signal.reason === 'budget') {
          lane.timedOut++;
          if (fallback) return decodeJobAnswer(fallback);
          throw new RequestError('TIMEOUT', `${name} did not finish within ${Math.round(budgetMs / 1000)} s; narrow the request`);
        }
        lane.cancelled++;
        throw new RequestError('TIMEOUT', 'the request was cancelled');
      }
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        lane.refused++;
        throw new RequestError('TOO_MANY_REQUESTS', `the server is busy: ${lane.name} jobs are queued to the limit; try again in a few seconds`);
      }
      throw error;
    } finally {
      lane.active--;
      if (budget) clearTimeout(budget);
      signal.removeEventListener('abort', onCallersGone);
      channel.port1.close();
    }
  }

  /** A job's answer as a value (the bytes parsed: for answers that feed another job). */
  async value<N extends JobName>(name: N, input: JobInput<N>, options?: RunOptions): Promise<JobOutput<N>> {
    return JSON.parse((await this.runBytes(name, input, options)).toString('utf8')) as JobOutput<N>;
  }

  status(): RunnerStatus {
    const lanes: LaneStatus[] = Object.values(this.lanes).map((lane) => ({
      name: lane.name,
      threads: lane.pool.threads.length,
      running: Math.max(0, lane.active - lane.pool.queueSize),
      queued: lane.pool.queueSize,
      maxQueue: lane.maxQueue,
      completed: lane.pool.completed,
      cancelled: lane.cancelled,
      timedOut: lane.timedOut,
      refused: lane.refused,
      utilization: Math.round(lane.pool.utilization * 1000) / 1000,
    }));
    const prepared: PreparedStatus | null = this.prepared && {
      dataVersion: this.prepared.dataVersion,
      state: this.prepared.error ? 'failed' : this.prepared.data ? 'ready' : 'building',
      buildMs: this.prepared.data?.buildMs ?? null,
      bytes: this.prepared.data?.bytes ?? null,
      error: this.prepared.error?.message ?? null,
    };
    return {
      mode: 'pool',
      prepared,
      lanes,
      answers: { entries: this.answers.size, bytes: this.answers.calculatedSize, maxBytes: this.answerCacheBytes, ...this.counts },
    };
  }

  async close(): Promise<void> {
    for (const flight of this.flights.values()) flight.controller.abort('closing');
    await Promise.all(Object.values(this.lanes).map((lane) => lane.pool.destroy()));
  }
}

/**
 * The runner a request's procedures use: pool answers registered with the response, so the HTTP layer
 * writes the worker's bytes in place of their placeholders.
 */
export function createRequestRunner(pool: PoolRunner, parts: RawJsonParts, defaults: RunOptions): JobRunner {
  return {
    run: async (name, input, options) =>
      parts.add(await pool.runBytes(name, input, { ...defaults, ...options })) as unknown as JobOutput<typeof name>,
    value: (name, input, options) => pool.value(name, input, { ...defaults, ...options }),
    prepare: () => pool.prepare(),
    status: () => pool.status(),
    close: async () => {},
  };
}
