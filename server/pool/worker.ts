// A thread of the worker pool (piscina): opens the store read-only once, views the prepared data it is
// handed (shared memory, no copy), runs jobs from the registry and answers with their JSON as bytes
// (transferred, not copied), or builds the prepared data of a data version.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MessagePort } from 'node:worker_threads';
import { move } from 'piscina';
import { ThreadCache, DEFAULT_THREAD_CACHE_BYTES } from '../jobs/thread-cache';
import { JOBS, type JobName } from '../jobs/registry';
import { runImportTask, runUndoTask, type ImportTaskInput } from '../jobs/import';
import { loadHighsRuntime, resetHighsRuntime, type JobEnv } from '../jobs/job-env';
import { buildPreparedData, viewPreparedData, type PreparedData } from '../prepared/prepared-data';
import { RequestError } from '../request-error';
import { SqliteStore } from '../store/sqlite-store';
import { encodeJobAnswer, encodeJobError } from './job-answer';

export type PoolTask =
  | {
      kind: 'job';
      name: JobName;
      input: unknown;
      databasePath: string;
      /** The data version the main thread serves: a thread whose store read an older one refreshes it. */
      dataVersion?: string;
      prepared: PreparedData | null;
      nowMs: number;
      /** The job's time budget, ms, counted from when it starts here. */
      budgetMs: number;
      cacheBytes?: number;
      /** Where a fallback answer is posted (bytes as encodeJobAnswer makes them). */
      fallbackPort?: MessagePort;
    }
  | { kind: 'prepare'; databasePath: string }
  | { kind: 'import'; input: ImportTaskInput }
  | { kind: 'undo-import'; databasePath: string };

let store: SqliteStore | null = null;
let cache: ThreadCache | null = null;

function storeAt(databasePath: string, dataVersion?: string): SqliteStore {
  if (store && store.path === databasePath) {
    // An import or undo changed the data: read its version again and drop what was cached for the old one.
    if (dataVersion !== undefined && store.health().dataVersion !== dataVersion && store.refresh()) cache?.clear();
    return store;
  }
  store?.close();
  store = new SqliteStore(databasePath);
  cache?.clear();
  return store;
}

/** Garbage beyond this (bytes of dead arrays and heap) is collected as soon as a job ends. */
const GARBAGE_BYTES = 96 * 1024 * 1024;

/**
 * V8's collector of this thread. Worker threads cannot be started with --expose-gc, so the flag is set
 * at run time and the function taken from a fresh context (null if V8 refuses).
 */
const collectGarbage: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

/**
 * Collects right away when a job left much garbage behind (a p-center search drops hundreds of MB of
 * covering sets): V8 would wait for heap pressure, and the process's memory would stay up meanwhile.
 */
function releaseGarbage(sharedBytes: number, cachedBytes: number): void {
  const collect = collectGarbage;
  if (!collect) return;
  const garbageOf = (memory: NodeJS.MemoryUsage): number => memory.arrayBuffers + memory.heapUsed - sharedBytes - cachedBytes;
  if (garbageOf(process.memoryUsage()) <= GARBAGE_BYTES) return;
  collect();
  // What is still held beyond the cache is HiGHS's WebAssembly memory, grown by a large model.
  if (garbageOf(process.memoryUsage()) > GARBAGE_BYTES) {
    resetHighsRuntime();
    collect();
  }
}

export default async function runPoolTask(task: PoolTask): Promise<unknown> {
  if (task.kind === 'prepare') return buildPreparedData(storeAt(task.databasePath));
  if (task.kind === 'import') return runImportTask(task.input);
  if (task.kind === 'undo-import') return runUndoTask(task.databasePath);
  cache ??= new ThreadCache(task.cacheBytes ?? DEFAULT_THREAD_CACHE_BYTES);
  // The budget counts from here, not from the time spent waiting in the queue.
  task.fallbackPort?.postMessage('started');
  const env: JobEnv = {
    store: storeAt(task.databasePath, task.dataVersion),
    prepared: task.prepared ? viewPreparedData(task.prepared) : null,
    cache,
    nowMs: task.nowMs,
    deadlineMs: Date.now() + task.budgetMs,
    offerFallback: (answer) => {
      if (!task.fallbackPort) return;
      const bytes = encodeJobAnswer(answer);
      task.fallbackPort.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    },
    loadHighs: loadHighsRuntime,
  };
  let bytes: Uint8Array;
  try {
    const spec = JOBS[task.name] as { run: (env: JobEnv, input: unknown) => unknown };
    bytes = encodeJobAnswer(await spec.run(env, task.input));
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    bytes = encodeJobError(error);
  } finally {
    task.fallbackPort?.close();
  }
  releaseGarbage(task.prepared?.bytes ?? 0, cache.usage.bytes);
  return move(bytes);
}
