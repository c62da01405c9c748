// A tRPC context for router tests: the store with an in-process job runner (one per store, so the
// prepared data is built once per test file), version "test" and any overrides.

import type { Principal } from '../../server/auth/accounts';
import type { AtlasContext } from '../../server/context';
import type { Role } from '../../server/domain/access';
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

/** A caller of a role and jurisdiction, as a logged-in user (a kiosk as its screen-only token). */
export function principalFor(role: Role, jurisdiction = '21'): Principal {
  const token = role === 'kiosk';
  return {
    kind: token ? 'token' : 'user',
    actor: token ? 'token:1' : `user:test-${role}`,
    role,
    jurisdiction,
    screenOnly: token,
    username: token ? null : `test-${role}`,
    sessionHash: null,
    mustChangePassword: false,
  };
}

/** A context for router tests; the caller is a province officer of the whole deployment unless given. */
export function testContext(store: AtlasStore, overrides: Partial<AtlasContext> = {}): AtlasContext {
  return { store, version: 'test', jobs: inlineRunnerFor(store), principal: principalFor('province-officer'), ...overrides };
}
