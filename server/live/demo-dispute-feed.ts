// The demonstration live feed: while the server runs on generated data, new disputes and workflow
// steps keep arriving. On start it catches up from where the data (or the last run) stopped to the
// present at the history's own rate, then appends a window every tick at the configured rate. It
// writes through the dispute store's public appendHistory, as an importer would: the store assigns
// the ids, so cases reported through the API meanwhile never collide with the feed's.

import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../domain/dispute-deadlines';
import { createLiveDisputeGenerator, computeHistoricalRatePerMinute, type LiveDisputeBatch, type LiveDisputeGenerator } from '../../data/generator/disputes-live';
import type { DisputeGrid } from '../../data/generator/disputes';
import type { PlantedCluster } from '../../data/generator/disputes-clusters';
import { formatPartyName, formatPartyPhone } from '../../data/generator/disputes-columns';
import { DISPUTE_STEP_NOTES, type DisputeLifecycleState } from '../../data/generator/disputes-lifecycle';
import { createRng } from '../analysis/random';
import { MS_PER_DAY } from '../domain/china-time';
import { DISPUTE_ACTOR_ROLE_KEYS, DISPUTE_OUTCOME_KEYS, DISPUTE_PARTY_ROLES_ZH, DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS } from '../domain/dispute-categories';
import { DISPUTE_ACTIONS, DISPUTE_SEVERITIES, DISPUTE_STATUSES, HANDLING_LEVELS } from '../domain/dispute-workflow';
import type { AtlasStore } from '../store/atlas-store';
import type { DisputeHistoryBatch, HistoryCase, HistoryStep, OpenCaseState } from '../store/dispute-store';

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
  /** Deadlines of new cases and new stages (default DEFAULT_DEADLINE_POLICY; the server passes its service's). */
  deadlines?: DeadlinePolicy;
}

export interface DemoFeed {
  /** Resolves when the catch-up is written (immediately when there is no demonstration data). */
  ready: Promise<void>;
  /** Generates and writes the window up to now; returns the number of new cases. */
  tick(): number;
  stop(): void;
}

/** Where the feed stopped (the store's meta entry `live_cursor`): everything before untilMs is written. */
export interface LiveCursor {
  untilMs: number;
}

export const LIVE_CURSOR_KEY = 'live_cursor';

const CATCH_UP_CHUNK_MS = MS_PER_DAY;

/** An open case as the generator's workflow model sees it (indices into the vocabularies). */
function lifecycleStateOf(open: OpenCaseState): DisputeLifecycleState {
  return {
    id: open.id,
    statusIndex: DISPUTE_STATUSES.indexOf(open.status),
    handlingLevelIndex: HANDLING_LEVELS.indexOf(open.handlingLevel),
    severityIndex: DISPUTE_SEVERITIES.indexOf(open.severity),
    typeIndex: DISPUTE_TYPE_KEYS.indexOf(open.type),
    sourceIndex: DISPUTE_SOURCE_KEYS.indexOf(open.source),
    reportedAtMs: open.reportedAt,
    lastStepAtMs: open.lastStepAt,
    stepCount: open.stepCount,
  };
}

/**
 * A generated window as the store's history batch: new cases keyed by the generator's ids (steps of
 * new cases refer to them by key, steps of earlier cases by id).
 */
export function historyBatchOf(batch: LiveDisputeBatch, gridCodes: readonly string[]): DisputeHistoryBatch {
  const { events, steps } = batch;
  const firstNewId = events.length > 0 ? events.id[0]! : batch.nextId;
  // A new case is handled from its report at the level its first step (the dispatch) puts it.
  const firstLevel = new Map<number, number>();
  for (let s = 0; s < steps.length; s++) if (steps.eventId[s]! >= firstNewId && !firstLevel.has(steps.eventId[s]!)) firstLevel.set(steps.eventId[s]!, steps.handlingLevelIndex[s]!);
  const cases: HistoryCase[] = [];
  for (let i = 0; i < events.length; i++) {
    const gridCode = gridCodes[events.gridIndex[i]!]!;
    cases.push({
      key: events.id[i]!,
      type: DISPUTE_TYPE_KEYS[events.typeIndex[i]!]!,
      source: DISPUTE_SOURCE_KEYS[events.sourceIndex[i]!]!,
      severity: DISPUTE_SEVERITIES[events.severityIndex[i]!]!,
      lngLat: [events.lng[i]!, events.lat[i]!],
      summary: null,
      parties: Array.from({ length: events.partyCount[i]! }, (_, k) => ({
        role: DISPUTE_PARTY_ROLES_ZH[Math.min(k, 2)]!,
        name: formatPartyName(events, i, k),
        phone: formatPartyPhone(events, i, k),
      })),
      reportedAt: events.reportedAtMs[i]!,
      dueAt: events.dueAtMs[i]!,
      actorRole: 'gridWorker',
      placeCode: gridCode,
      countyCode: gridCode.slice(0, 6),
      handlingLevel: HANDLING_LEVELS[firstLevel.get(events.id[i]!) ?? events.handlingLevelIndex[i]!]!,
      clusterId: events.clusterId[i]! === 0 ? null : events.clusterId[i]!,
    });
  }
  const history: HistoryStep[] = [];
  for (let s = 0; s < steps.length; s++) {
    const id = steps.eventId[s]!;
    history.push({
      ...(id >= firstNewId ? { caseKey: id } : { caseId: id }),
      action: DISPUTE_ACTIONS[steps.actionIndex[s]!]!,
      at: steps.atMs[s]!,
      handlingLevel: HANDLING_LEVELS[steps.handlingLevelIndex[s]!]!,
      actorRole: DISPUTE_ACTOR_ROLE_KEYS[steps.actorRoleIndex[s]!]!,
      note: DISPUTE_STEP_NOTES[steps.noteIndex[s]!] || null,
      ...(steps.outcomeIndex[s]! >= 0 ? { outcome: DISPUTE_OUTCOME_KEYS[steps.outcomeIndex[s]!]! } : {}),
    });
  }
  return { cases, steps: history };
}

export function startDemoDisputeFeed(options: DemoFeedOptions): DemoFeed {
  const { store, ratePerMinute = 3, tickMs = 10_000, maxCatchUpDays = 60, now = Date.now, log = () => {}, onAppend, deadlines = DEFAULT_DEADLINE_POLICY } = options;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let generator: LiveDisputeGenerator | null = null;
  let gridCodes: string[] = [];
  let openStates: DisputeLifecycleState[] = [];
  let untilMs = 0;

  const appendWindow = (toMs: number, rate: number): number => {
    if (!generator || toMs <= untilMs) return 0;
    // Ids continue the store's, so a case keeps the id the generator's workflow chain is keyed by.
    const batch = generator.generate({ openEvents: openStates, fromMs: untilMs, toMs, nextId: store.disputes.maxId() + 1, ratePerMinute: rate });
    const { ids, lastSeq } = store.disputes.appendHistory(historyBatchOf(batch, gridCodes), { [LIVE_CURSOR_KEY]: { untilMs: toMs } satisfies LiveCursor }, deadlines);
    const renamed = new Map<number, number>();
    for (let i = 0; i < batch.events.length; i++) if (ids[i] !== batch.events.id[i]) renamed.set(batch.events.id[i]!, ids[i]!);
    openStates = renamed.size === 0 ? batch.states : batch.states.map((state) => ({ ...state, id: renamed.get(state.id) ?? state.id }));
    untilMs = toMs;
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
    const demo = store.health().demo;
    if (!demo || stopped) return;
    const grids: DisputeGrid[] = store.grids({}).map((grid) => ({
      gridCode: grid.code,
      communityCode: grid.communityCode,
      population: grid.population,
      urban: grid.urban,
      polygon: grid.geometry.coordinates,
    }));
    generator = createLiveDisputeGenerator({
      grids,
      rng: createRng(demo.seed).fork('disputes'),
      clusters: store.plantedClusters() as PlantedCluster[],
      deadlines,
    });
    gridCodes = grids.map((grid) => grid.gridCode);
    openStates = store.disputes.openCases().map(lifecycleStateOf);
    untilMs = (store.readMeta(LIVE_CURSOR_KEY) as LiveCursor | null)?.untilMs ?? demo.nowMs;
    const present = now();
    const earliest = present - maxCatchUpDays * MS_PER_DAY;
    if (untilMs < earliest) {
      log(`live feed: skipping ${((earliest - untilMs) / MS_PER_DAY).toFixed(0)} days without data`);
      untilMs = earliest;
    }
    const historicalRate = computeHistoricalRatePerMinute(grids);
    let caughtUp = 0;
    while (!stopped && untilMs < present) {
      caughtUp += appendWindow(Math.min(present, untilMs + CATCH_UP_CHUNK_MS), historicalRate);
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
