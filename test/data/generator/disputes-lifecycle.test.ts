// Workflow chains of generated disputes: the keyed uniform numbers, legality of every planned step from
// every (status, level, severity), no escalation at the top level, and chains that always end closed.

import { describe, expect, it } from 'vitest';
import { DISPUTE_TYPE_KEYS } from '../../../server/domain/dispute-categories';
import { DISPUTE_ACTIONS, DISPUTE_STATUSES, HANDLING_LEVELS, nextStatusIndex } from '../../../server/domain/dispute-workflow';
import {
  DISPUTE_STEP_NOTES,
  applyStepPlan,
  createStepPlan,
  keyedUnit,
  planNextDisputeStep,
  type DisputeLifecycleState,
} from '../../../data/generator/disputes-lifecycle';

const ESCALATE = DISPUTE_ACTIONS.indexOf('escalate');
const CLOSED = DISPUTE_STATUSES.indexOf('closed');

function stateOf(id: number, statusIndex: number, handlingLevelIndex: number, severityIndex: number): DisputeLifecycleState {
  return { id, statusIndex, handlingLevelIndex, severityIndex, typeIndex: id % DISPUTE_TYPE_KEYS.length, sourceIndex: id % 5, reportedAtMs: 0, lastStepAtMs: 1e12, stepCount: id % 5 };
}

describe('dispute lifecycle chains', () => {
  it('draws keyed numbers in [0, 1) with uniform moments, different for different keys', () => {
    let sum = 0;
    let sumSquares = 0;
    const n = 50_000;
    const seen = new Set<number>();
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const u = keyedUnit(17, k, k % 7, k % 3);
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSquares += u * u;
      seen.add(u);
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSquares / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(seen.size).toBe(n);
    expect(keyedUnit(1, 2, 3, 4)).toBe(keyedUnit(1, 2, 3, 4));
    expect(keyedUnit(1, 2, 3, 4)).not.toBe(keyedUnit(2, 2, 3, 4));
  });

  it('plans only legal steps, later than the last one, from every status, level and severity', () => {
    const plan = createStepPlan();
    for (let status = 0; status < DISPUTE_STATUSES.length; status++) {
      for (let level = 0; level < HANDLING_LEVELS.length; level++) {
        for (let severity = 0; severity < 3; severity++) {
          for (let id = 1; id <= 120; id++) {
            const state = stateOf(id, status, level, severity);
            if (!planNextDisputeStep(99, state, plan)) {
              expect(status).toBe(CLOSED);
              continue;
            }
            expect(plan.fromStatusIndex).toBe(status);
            expect(nextStatusIndex(status, plan.actionIndex)).toBe(plan.toStatusIndex);
            expect(plan.atMs).toBeGreaterThanOrEqual(state.lastStepAtMs + 60_000);
            expect(plan.handlingLevelIndex).toBe(plan.actionIndex === ESCALATE ? level + 1 : level);
            expect(plan.handlingLevelIndex).toBeLessThan(HANDLING_LEVELS.length);
            expect(DISPUTE_STEP_NOTES[plan.noteIndex]).toBeTruthy();
            expect(plan.outcomeIndex >= 0).toBe(plan.toStatusIndex === CLOSED);
          }
        }
      }
    }
  });

  it('runs every chain from reported to closed in a bounded number of steps', () => {
    const plan = createStepPlan();
    for (let id = 1; id <= 5000; id++) {
      const state = stateOf(id, 0, 0, id % 3);
      state.stepCount = 0;
      state.lastStepAtMs = 0;
      let closedOnce = false;
      while (planNextDisputeStep(7, state, plan)) {
        applyStepPlan(state, plan);
        if (state.statusIndex === CLOSED) closedOnce = true;
        expect(state.stepCount).toBeLessThan(40);
      }
      expect(closedOnce).toBe(true);
      expect(state.statusIndex).toBe(CLOSED);
    }
  });
});
