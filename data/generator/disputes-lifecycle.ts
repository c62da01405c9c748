// How a generated dispute moves through the workflow: a Markov chain over the state machine of
// server/analysis/disputes/workflow.ts with per-step delays, escalation and reopen chances. Every random
// number is a counter-based hash of (seed, case id, step number, slot), so the next step depends only on
// the current state: the history and the live generator continue the same chains, and a human action
// taken through the API (which changes the state) is simply continued from.

import { DISPATCHER_ROLE_INDEX, DISPUTE_TYPE_KEYS, REVIEWER_ROLE_INDEX, type DisputeType } from '../../server/domain/dispute-categories';
import {
  DISPUTE_ACTIONS,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  HANDLING_LEVEL_LABELS,
  TOP_HANDLING_LEVEL_INDEX,
  nextStatusIndex,
  type DisputeAction,
} from '../../server/domain/dispute-workflow';
import { MS_PER_HOUR } from '../../server/domain/china-time';

/** What the chain needs to know about a case; the live generator receives and returns these. */
export interface DisputeLifecycleState {
  id: number;
  /** Index into DISPUTE_STATUSES. */
  statusIndex: number;
  /** Index into HANDLING_LEVELS. */
  handlingLevelIndex: number;
  severityIndex: number;
  typeIndex: number;
  sourceIndex: number;
  /** ms since epoch. */
  reportedAtMs: number;
  /** Time of the last step (reportedAtMs before the first), ms since epoch. */
  lastStepAtMs: number;
  /** Steps taken so far; the next step has seq stepCount + 1. */
  stepCount: number;
}

/** The next step of a chain, written by {@link planNextDisputeStep}. */
export interface DisputeStepPlan {
  actionIndex: number;
  fromStatusIndex: number;
  toStatusIndex: number;
  atMs: number;
  /** Handling level after the step. */
  handlingLevelIndex: number;
  actorRoleIndex: number;
  noteIndex: number;
  /** Outcome (DISPUTE_OUTCOMES index) when the step closes the case, else -1. */
  outcomeIndex: number;
}

export function createStepPlan(): DisputeStepPlan {
  return { actionIndex: -1, fromStatusIndex: -1, toStatusIndex: -1, atMs: NaN, handlingLevelIndex: 0, actorRoleIndex: 0, noteIndex: 0, outcomeIndex: -1 };
}

const A = (action: DisputeAction): number => DISPUTE_ACTIONS.indexOf(action);
const ASSIGN = A('assign');
const ACCEPT = A('accept');
const HANDLE = A('handle');
const FEEDBACK = A('feedback');
const REVIEW = A('review');
const CLOSE = A('close');
const ESCALATE = A('escalate');
const REOPEN = A('reopen');
const S = (status: (typeof DISPUTE_STATUSES)[number]): number => DISPUTE_STATUSES.indexOf(status);
const REPORTED = S('reported');
const ASSIGNED = S('assigned');
const ACCEPTED = S('accepted');
const HANDLED = S('handled');
const FEEDBACK_GIVEN = S('feedback');
const REVIEWED = S('reviewed');
const CLOSED = S('closed');

/** Step notes; steps store an index into this list. */
const NOTE_TEMPLATES: Readonly<Record<DisputeAction, readonly [string, string]>> = {
  assign: ['派送{level}处置', '按属地原则派送{level}'],
  accept: ['已签收，联系当事人', '已签收，安排上门走访'],
  handle: ['现场调解', '组织双方当面协商'],
  feedback: ['处置结果已反馈当事人', '已电话回访当事人'],
  review: ['复查：当事人表示满意', '复查：协议正在履行'],
  close: ['办结归档', '案结事了，归档'],
  escalate: ['超出处置权限，上报{level}', '矛盾升级，提请{level}协调'],
  reopen: ['复查未通过，重新交办', '当事人反映问题反复，重新交办'],
};
const LEVEL_COUNT = HANDLING_LEVELS.length;

/** Step note texts (Chinese), indexed by DisputeStepColumns.noteIndex. */
export const DISPUTE_STEP_NOTES: readonly string[] = [];
/** noteIndex by (action × 2 + variant) × levels + level. */
const NOTE_INDEX = new Uint8Array(DISPUTE_ACTIONS.length * 2 * LEVEL_COUNT);
{
  const notes = DISPUTE_STEP_NOTES as string[];
  DISPUTE_ACTIONS.forEach((action, actionIndex) => {
    NOTE_TEMPLATES[action].forEach((template, variant) => {
      for (let level = 0; level < LEVEL_COUNT; level++) {
        const text = template.replace('{level}', HANDLING_LEVEL_LABELS[HANDLING_LEVELS[level]!].zh);
        let index = notes.indexOf(text);
        if (index === -1) index = notes.push(text) - 1;
        NOTE_INDEX[(actionIndex * 2 + variant) * LEVEL_COUNT + level] = index;
      }
    });
  });
}

/** Latent difficulty of a case: normal, hard (handling takes ~3× longer), stuck (long-running 疑难 case). */
const DIFFICULTY_HANDLE_FACTOR = [1, 3, 18] as const;
const DIFFICULTY_ESCALATE_FACTOR = [1, 2, 2.5] as const;
const BASE_HARD_SHARE = 0.1;
const BASE_STUCK_SHARE = 0.02;
/** Relative chance of a hard or stuck case, by type (land, medical and wages are the hard ones). */
const DIFFICULTY_BY_TYPE: Readonly<Record<DisputeType, number>> = {
  family: 1, neighbour: 0.8, property: 1.2, wages: 1.5, land: 2, boundary: 1.5, consumer: 0.6, traffic: 0.9, medical: 1.8, contract: 1.3, other: 1,
};
const DIFFICULTY_FACTOR_BY_TYPE = DISPUTE_TYPE_KEYS.map((key) => DIFFICULTY_BY_TYPE[key]);

/** Escalation chance from `accepted` (handling tried and failed) by level, × severity and difficulty factors. */
const ESCALATE_FROM_ACCEPTED_BY_LEVEL = [0.06, 0.08, 0.07, 0.05, 0] as const;
const ESCALATE_SEVERITY_FACTOR = [1, 1.6, 2.2] as const;
/** Sent straight on by the level it was dispatched to (not its remit). */
const ESCALATE_FROM_ASSIGNED = 0.01;
/** On-site handling failed. */
const ESCALATE_FROM_HANDLED = 0.015;
/** Review found the result wanting. */
const REOPEN_AT_REVIEW = 0.018;
/** A closed case flares up again. */
const REOPEN_AFTER_CLOSE = 0.006;
/** No escalation or reopen once a case has this many steps (keeps chains finite and short). */
const MAX_STEPS_FOR_DETOUR = 14;

/** Mean delays in hours by severity [general, major, critical] (each delay: minimum + exponential). */
const HANDLE_MEAN_HOURS = [40, 36, 14] as const;
const HANDLE_MIN_HOURS = [4, 3, 2] as const;
const REVIEW_MEAN_HOURS = [48, 36, 12] as const;
const REVIEW_MIN_HOURS = [12, 8, 4] as const;
const FEEDBACK_MEAN_HOURS = [12, 10, 4] as const;

/** Outcome weights [mediated, agreement, referred, transferred, withdrawn, unresolved] by difficulty. */
const OUTCOME_WEIGHTS = [
  [62, 16, 7, 7, 5, 3],
  [40, 12, 20, 10, 5, 13],
  [20, 8, 32, 10, 5, 25],
] as const;
/** Types that are more often referred to court or arbitration (×1.8). */
const REFERRED_TYPES: ReadonlySet<DisputeType> = new Set(['contract', 'traffic', 'medical', 'wages']);

function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform number in [0, 1) determined by (seed, a, b, c) alone (murmur3 finalizer chain, 53 bits):
 * a counter-based generator, so any step of any case can be drawn without replaying the others.
 */
export function keyedUnit(seed: number, a: number, b: number, c: number): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ fmix32(a + 0x27d4eb2f));
  h = fmix32(h ^ fmix32(b + 0x165667b1));
  h = fmix32(h ^ fmix32(c + 0x61c88647));
  const high = fmix32(h ^ 0x5bd1e995) >>> 5;
  const low = fmix32(h + 0x68e31da4) >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}

const exponential = (u: number, mean: number): number => -Math.log(1 - u) * mean;

/** The case's latent difficulty: 0 normal, 1 hard, 2 stuck (fixed per seed and id). */
export function difficultyOf(seed: number, id: number, typeIndex: number): 0 | 1 | 2 {
  const u = keyedUnit(seed, id, 0xffff, 0);
  const factor = DIFFICULTY_FACTOR_BY_TYPE[typeIndex] ?? 1;
  if (u < BASE_STUCK_SHARE * factor) return 2;
  if (u < (BASE_STUCK_SHARE + BASE_HARD_SHARE) * factor) return 1;
  return 0;
}

const outcomeWeights = new Float64Array(6);

function drawOutcome(u: number, difficulty: 0 | 1 | 2, typeIndex: number): number {
  const base = OUTCOME_WEIGHTS[difficulty];
  const referredBoost = REFERRED_TYPES.has(DISPUTE_TYPE_KEYS[typeIndex]!) ? 1.8 : 1;
  let total = 0;
  for (let k = 0; k < base.length; k++) {
    outcomeWeights[k] = base[k]! * (k === 2 ? referredBoost : 1);
    total += outcomeWeights[k]!;
  }
  let target = u * total;
  for (let k = 0; k < base.length; k++) {
    target -= outcomeWeights[k]!;
    if (target < 0) return k;
  }
  return base.length - 1;
}

/**
 * Plans the step that follows `state` into `out`; false when the case stays as it is (closed for
 * good). The step's time is lastStepAtMs + a delay (at least one minute, whole ms). Delays: assign
 * 0.1–2 h, accept 0.2–4 h, handle ~1–2 days (×3 hard, ×18 stuck), feedback ~half a day, review 1–3
 * days, close a few hours; critical cases move faster. `seed` is the lifecycle seed of the data set.
 */
export function planNextDisputeStep(seed: number, state: DisputeLifecycleState, out: DisputeStepPlan): boolean {
  const id = state.id;
  const seq = state.stepCount;
  const uChoice = keyedUnit(seed, id, seq, 0);
  const uDelay = keyedUnit(seed, id, seq, 1);
  const uNote = keyedUnit(seed, id, seq, 2);
  const severity = Math.min(2, Math.max(0, state.severityIndex));
  const level = state.handlingLevelIndex;
  const canEscalate = level < TOP_HANDLING_LEVEL_INDEX && seq < MAX_STEPS_FOR_DETOUR;
  const difficulty = difficultyOf(seed, id, state.typeIndex);
  let action: number;
  let delayHours: number;
  switch (state.statusIndex) {
    case REPORTED: {
      action = ASSIGN;
      // A grid worker who found the case on patrol logs and dispatches it at once.
      delayHours = state.sourceIndex === 0 ? 0.1 + exponential(uDelay, 0.4) : 0.3 + exponential(uDelay, severity === 2 ? 0.7 : 1.5);
      break;
    }
    case ASSIGNED: {
      if (canEscalate && uChoice < ESCALATE_FROM_ASSIGNED) {
        action = ESCALATE;
        delayHours = 1 + exponential(uDelay, 4);
      } else {
        action = ACCEPT;
        delayHours = severity === 2 ? 0.1 + exponential(uDelay, 1) : 0.2 + exponential(uDelay, 3);
      }
      break;
    }
    case ACCEPTED: {
      const p = Math.min(0.6, ESCALATE_FROM_ACCEPTED_BY_LEVEL[level as 0]! * ESCALATE_SEVERITY_FACTOR[severity as 0] * DIFFICULTY_ESCALATE_FACTOR[difficulty]);
      if (canEscalate && uChoice < p) {
        action = ESCALATE;
        delayHours = 6 + exponential(uDelay, 30 * DIFFICULTY_HANDLE_FACTOR[difficulty] ** 0.5);
      } else {
        action = HANDLE;
        delayHours = HANDLE_MIN_HOURS[severity as 0] + exponential(uDelay, HANDLE_MEAN_HOURS[severity as 0] * DIFFICULTY_HANDLE_FACTOR[difficulty]);
      }
      break;
    }
    case HANDLED: {
      if (canEscalate && uChoice < ESCALATE_FROM_HANDLED * DIFFICULTY_ESCALATE_FACTOR[difficulty]) {
        action = ESCALATE;
        delayHours = 12 + exponential(uDelay, 24);
      } else {
        action = FEEDBACK;
        delayHours = 1 + exponential(uDelay, FEEDBACK_MEAN_HOURS[severity as 0]);
      }
      break;
    }
    case FEEDBACK_GIVEN: {
      action = REVIEW;
      delayHours = REVIEW_MIN_HOURS[severity as 0] + exponential(uDelay, REVIEW_MEAN_HOURS[severity as 0]);
      break;
    }
    case REVIEWED: {
      if (seq < MAX_STEPS_FOR_DETOUR && uChoice < REOPEN_AT_REVIEW * (difficulty === 0 ? 1 : 2)) {
        action = REOPEN;
        delayHours = 2 + exponential(uDelay, 24);
      } else {
        action = CLOSE;
        delayHours = 0.5 + exponential(uDelay, 6);
      }
      break;
    }
    case CLOSED: {
      if (!(seq < MAX_STEPS_FOR_DETOUR && uChoice < REOPEN_AFTER_CLOSE)) return false;
      action = REOPEN;
      delayHours = 72 + exponential(uDelay, 240);
      break;
    }
    default:
      return false;
  }
  const toStatus = nextStatusIndex(state.statusIndex, action);
  if (toStatus < 0) return false;
  const levelAfter = action === ESCALATE ? level + 1 : level;
  out.actionIndex = action;
  out.fromStatusIndex = state.statusIndex;
  out.toStatusIndex = toStatus;
  out.atMs = state.lastStepAtMs + Math.max(60_000, Math.round(delayHours * MS_PER_HOUR));
  out.handlingLevelIndex = levelAfter;
  if (action === ACCEPT || action === HANDLE || action === FEEDBACK) out.actorRoleIndex = level;
  else if (action === REVIEW) out.actorRoleIndex = REVIEWER_ROLE_INDEX;
  else out.actorRoleIndex = DISPATCHER_ROLE_INDEX;
  const variant = action === REOPEN ? (state.statusIndex === CLOSED ? 1 : 0) : uNote < 0.5 ? 0 : 1;
  out.noteIndex = NOTE_INDEX[(action * 2 + variant) * LEVEL_COUNT + levelAfter]!;
  out.outcomeIndex = action === CLOSE ? drawOutcome(keyedUnit(seed, id, seq, 3), difficulty, state.typeIndex) : -1;
  return true;
}

/** Moves `state` along a planned step. */
export function applyStepPlan(state: DisputeLifecycleState, plan: DisputeStepPlan): void {
  state.statusIndex = plan.toStatusIndex;
  state.handlingLevelIndex = plan.handlingLevelIndex;
  state.lastStepAtMs = plan.atMs;
  state.stepCount += 1;
}

/** Index constants the generators share. */
export const STATUS_INDEX = { REPORTED, ASSIGNED, ACCEPTED, HANDLED, FEEDBACK: FEEDBACK_GIVEN, REVIEWED, CLOSED } as const;
export const ACTION_INDEX = { ASSIGN, ACCEPT, HANDLE, FEEDBACK, REVIEW, CLOSE, ESCALATE, REOPEN } as const;
