// What a job (an analysis answer: parsed input → prepared data and store → analysis → shape) runs with,
// in a pool thread or in-process: the store, the prepared data of its data version, the thread's cache,
// the request's clock and deadline, and a way to hand the main thread a fallback answer early.

import type { Highs } from 'highs';
import type { PreparedViews } from '../prepared/prepared-data';
import { RequestError } from '../request-error';
import type { AtlasStore } from '../store/atlas-store';
import type { ThreadCache } from './thread-cache';

export interface JobEnv {
  store: AtlasStore;
  /** Prepared data of the store's data version (jobs declared `prepared: true` always get it). */
  prepared: PreparedViews | null;
  cache: ThreadCache;
  /** The request's "now", ms since epoch. */
  nowMs: number;
  /** Wall-clock deadline of the job (Date.now() scale): work past it is cut short or refused. */
  deadlineMs: number;
  /**
   * Hands the main thread an answer to use if this job is stopped at its deadline (the best found so
   * far, e.g. the heuristic siting solution before the exact solver starts).
   */
  offerFallback(answer: unknown): void;
  /** The HiGHS WebAssembly solver, loaded once per thread. */
  loadHighs(): Promise<Highs>;
}

/** The prepared data, which every analysis job is dispatched with. */
export function preparedOf(env: JobEnv): PreparedViews {
  if (!env.prepared) throw new Error('this job needs prepared data: declare it prepared in the job registry');
  return env.prepared;
}

/** Seconds left before the deadline (at least `floorSeconds`). */
export function secondsLeft(env: JobEnv, floorSeconds = 0.5): number {
  return Math.max(floorSeconds, (env.deadlineMs - Date.now()) / 1000);
}

/** Throws TIMEOUT when the deadline has passed (between steps of a long job). */
export function checkDeadline(env: JobEnv, what: string): void {
  if (Date.now() > env.deadlineMs) throw new RequestError('TIMEOUT', `${what} did not finish within its time budget; narrow the request`);
}

let highsRuntime: Promise<Highs> | null = null;

/** The HiGHS WebAssembly runtime, loaded once per thread (again after resetHighsRuntime). */
export function loadHighsRuntime(): Promise<Highs> {
  highsRuntime ??= import('highs').then((module) => module.default());
  return highsRuntime;
}

/**
 * Drops this thread's HiGHS runtime: its WebAssembly memory grows with the largest model solved and
 * never shrinks, so a thread that solved a large one lets it go (the next solve loads a fresh runtime).
 */
export function resetHighsRuntime(): void {
  highsRuntime = null;
}
