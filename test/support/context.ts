// A tRPC context for router tests: the store with an in-process job runner (one per store, so the
// prepared data is built once per test file), version "test" and any overrides.

import type { AtlasContext } from '../../server/context';
import { createInlineRunner, type InlineRunner } from '../../server/pool/job-runner';
import { buildPreparedData, viewPreparedData, type PreparedData, type PreparedViews } from '../../server/prepared/prepared-data';
import type { AtlasStore } from '../../server/store/atlas-store';

const runners = new WeakMap<AtlasStore, InlineRunner>();
const prepared = new WeakMap<AtlasStore, PreparedData>();

/** The prepared data of a store, built once per store and test file. */
export function preparedDataFor(store: AtlasStore): PreparedData {
  let data = prepared.get(store);
  if (!data) {
    data = buildPreparedData(store);
    prepared.set(store, data);
  }
  return data;
}

/** Views of the store's prepared data (what jobs read: located residents and facilities, the network). */
export function preparedViewsFor(store: AtlasStore): PreparedViews {
  return viewPreparedData(preparedDataFor(store));
}

/** The in-process runner of a store (shared by every context of it), on the same prepared data. */
export function inlineRunnerFor(store: AtlasStore): InlineRunner {
  let runner = runners.get(store);
  if (!runner) {
    runner = createInlineRunner(store, { prepared: () => preparedDataFor(store) });
    runners.set(store, runner);
  }
  return runner;
}

export function testContext(store: AtlasStore, overrides: Partial<AtlasContext> = {}): AtlasContext {
  return { store, version: 'test', jobs: inlineRunnerFor(store), ...overrides };
}
