// The dispute state machine: every (status, action) pair against a hand-written table, escalation up the
// handling levels (and not past the top), legal-action lists, random action sequences, and the SLA rules.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import {
  DISPUTE_ACTIONS,
  DISPUTE_ACTION_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
  HANDLING_LEVELS,
  HANDLING_LEVEL_LABELS,
  applyTransition,
  isOverdue,
  legalActions,
  nextHandlingLevel,
  nextStatus,
  nextStatusIndex,
  type DisputeAction,
  type DisputeStatus,
  type HandlingLevel,
} from '../../../server/domain/dispute-workflow';

/** The documented transitions, written out independently of the implementation's table. */
const EXPECTED: Record<string, DisputeStatus> = {
  'reported/assign': 'assigned',
  'assigned/accept': 'accepted',
  'accepted/handle': 'handled',
  'handled/feedback': 'feedback',
  'feedback/review': 'reviewed',
  'reviewed/close': 'closed',
  'assigned/escalate': 'assigned',
  'accepted/escalate': 'assigned',
  'handled/escalate': 'assigned',
  'closed/reopen': 'assigned',
  'reviewed/reopen': 'assigned',
};

describe('dispute workflow', () => {
  it('lists the statuses, actions and levels of the brief, each with a Chinese label', () => {
    expect(DISPUTE_STATUSES).toEqual(['reported', 'assigned', 'accepted', 'handled', 'feedback', 'reviewed', 'closed']);
    expect(DISPUTE_ACTIONS).toEqual(['assign', 'accept', 'handle', 'feedback', 'review', 'close', 'escalate', 'reopen']);
    expect(HANDLING_LEVELS).toEqual(['grid', 'community', 'street', 'county', 'above']);
    for (const status of DISPUTE_STATUSES) expect(DISPUTE_STATUS_LABELS[status].zh).toMatch(/^[\u4e00-\u9fff]+$/);
    for (const action of DISPUTE_ACTIONS) expect(DISPUTE_ACTION_LABELS[action].zh).toMatch(/^[\u4e00-\u9fff]+$/);
    for (const level of HANDLING_LEVELS) expect(HANDLING_LEVEL_LABELS[level].zh.length).toBeGreaterThan(1);
    // English labels exist and hold no Chinese.
    for (const labels of [DISPUTE_STATUS_LABELS, DISPUTE_ACTION_LABELS, HANDLING_LEVEL_LABELS]) {
      for (const label of Object.values(labels)) expect(label.en).toMatch(/^[A-Za-z][A-Za-z /-]*$/);
    }
  });

  it('gives the documented status for every legal (status, action) pair and null for the other 45', () => {
    let legal = 0;
    for (const status of DISPUTE_STATUSES) {
      for (const action of DISPUTE_ACTIONS) {
        const expected = EXPECTED[`${status}/${action}`] ?? null;
        expect(nextStatus(status, action), `${status} + ${action}`).toBe(expected);
        const index = nextStatusIndex(DISPUTE_STATUSES.indexOf(status), DISPUTE_ACTIONS.indexOf(action));
        expect(index).toBe(expected === null ? -1 : DISPUTE_STATUSES.indexOf(expected));
        if (expected !== null) legal++;
      }
    }
    expect(legal).toBe(11);
    expect(nextStatusIndex(-1, 0)).toBe(-1);
    expect(nextStatusIndex(0, DISPUTE_ACTIONS.length)).toBe(-1);
    expect(nextStatusIndex(DISPUTE_STATUSES.length, 0)).toBe(-1);
  });

  it('lists legal actions per status, without escalate at the top level', () => {
    expect(legalActions('reported')).toEqual(['assign']);
    expect(legalActions('assigned')).toEqual(['accept', 'escalate']);
    expect(legalActions('accepted')).toEqual(['handle', 'escalate']);
    expect(legalActions('handled')).toEqual(['feedback', 'escalate']);
    expect(legalActions('feedback')).toEqual(['review']);
    expect(legalActions('reviewed')).toEqual(['close', 'reopen']);
    expect(legalActions('closed')).toEqual(['reopen']);
    expect(legalActions('accepted', 'county')).toEqual(['handle', 'escalate']);
    expect(legalActions('accepted', 'above')).toEqual(['handle']);
    expect(legalActions('handled', 'above')).toEqual(['feedback']);
  });

  it('escalates one level at a time from grid to above, and not past above', () => {
    let state = { status: 'accepted' as DisputeStatus, handlingLevel: 'grid' as HandlingLevel };
    const visited: HandlingLevel[] = [];
    for (let k = 0; k < 4; k++) {
      const next = applyTransition(state, 'escalate');
      expect(next).not.toBeNull();
      expect(next!.status).toBe('assigned');
      visited.push(next!.handlingLevel);
      state = applyTransition(next!, 'accept')!;
    }
    expect(visited).toEqual(['community', 'street', 'county', 'above']);
    expect(applyTransition(state, 'escalate')).toBeNull();
    expect(applyTransition({ status: 'assigned', handlingLevel: 'above' }, 'escalate')).toBeNull();
    expect(applyTransition({ status: 'handled', handlingLevel: 'above' }, 'escalate')).toBeNull();
    expect(nextHandlingLevel('above')).toBeNull();
    expect(nextHandlingLevel('grid')).toBe('community');
  });

  it('keeps the handling level on every other action, reopen included, and rejects illegal moves', () => {
    for (const level of HANDLING_LEVELS) {
      expect(applyTransition({ status: 'closed', handlingLevel: level }, 'reopen')).toEqual({ status: 'assigned', handlingLevel: level });
      expect(applyTransition({ status: 'reported', handlingLevel: level }, 'assign')).toEqual({ status: 'assigned', handlingLevel: level });
      expect(applyTransition({ status: 'reviewed', handlingLevel: level }, 'close')).toEqual({ status: 'closed', handlingLevel: level });
      expect(applyTransition({ status: 'reported', handlingLevel: level }, 'close')).toBeNull();
      expect(applyTransition({ status: 'closed', handlingLevel: level }, 'escalate')).toBeNull();
    }
  });

  it('never lowers the level along any action sequence; the level rises once per accepted escalation', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DISPUTE_ACTIONS), { maxLength: 60 }), (actions: DisputeAction[]) => {
        let state = { status: 'reported' as DisputeStatus, handlingLevel: 'grid' as HandlingLevel };
        let escalations = 0;
        for (const action of actions) {
          const next = applyTransition(state, action);
          const legal = legalActions(state.status, state.handlingLevel).includes(action);
          expect(next !== null).toBe(legal);
          if (next === null) continue;
          expect(HANDLING_LEVELS.indexOf(next.handlingLevel)).toBeGreaterThanOrEqual(HANDLING_LEVELS.indexOf(state.handlingLevel));
          if (action === 'escalate') escalations++;
          state = next;
        }
        expect(HANDLING_LEVELS.indexOf(state.handlingLevel)).toBe(escalations);
      }),
    );
  });

  it('calls a case overdue when closed late or still open after its deadline', () => {
    const due = Date.UTC(2025, 0, 8);
    expect(isOverdue(due, due - 1, due + 100 * MS_PER_DAY)).toBe(false);
    expect(isOverdue(due, due, due + MS_PER_DAY)).toBe(false);
    expect(isOverdue(due, due + 1, due + MS_PER_DAY)).toBe(true);
    expect(isOverdue(due, null, due)).toBe(false);
    expect(isOverdue(due, NaN, due + 1)).toBe(true);
    expect(isOverdue(due, null, due - MS_PER_DAY)).toBe(false);
  });
});
