// What-if edits: the reducer (each edit, limits, undo/redo/clear), plan.evaluate's input, the URL's
// ?scenario= and ?compare=, and the delta in words.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_SCENARIO_EDITS, SCENARIO_LIMITS, type LngLat } from '../../server/domain/scenario';
import {
  EMPTY_HISTORY,
  MAX_UNDO,
  applyEdit,
  editCount,
  evaluateInputOf,
  linkLengthMeters,
  reduceWhatIf,
  type WhatIfAction,
  type WhatIfHistory,
} from '../../client/src/modes/plan/whatif/whatif-edits';
import { compareFromParams, scenarioFromParams, withCompare, withScenario } from '../../client/src/modes/plan/whatif/whatif-url';
import { formatLengthMeters, formatPointChange, formatRateChange, formatSignedInteger } from '../../client/src/modes/plan/whatif/whatif-format';

const A: LngLat = [123.45, 41.79];
const B: LngLat = [123.46, 41.8];

function run(actions: WhatIfAction[], start: WhatIfHistory = EMPTY_HISTORY): WhatIfHistory {
  return actions.reduce(reduceWhatIf, start);
}

describe('what-if edits', () => {
  it('adds, drags and removes a new facility, rounding to 6 decimals', () => {
    const h = run([
      { type: 'addSite', lngLat: [123.1234567, 41.7654321] },
      { type: 'moveSite', index: 0, lngLat: [123.2, 41.8] },
    ]);
    expect(h.present.addFacilities).toEqual([{ lngLat: [123.2, 41.8], source: 'manual' }]);
    expect(run([{ type: 'addSite', lngLat: [123.1234567, 41.7654321] }]).present.addFacilities[0]!.lngLat).toEqual([123.123457, 41.765432]);
    expect(run([{ type: 'removeSite', index: 0 }], h).present.addFacilities).toEqual([]);
  });

  it('closes an existing facility once, reopens it, and moves one as a closure plus a new site', () => {
    const h = run([
      { type: 'closeFacility', id: 7 },
      { type: 'closeFacility', id: 7 },
    ]);
    expect(h.present.removeFacilities).toEqual([7]);
    expect(h.past).toHaveLength(1); // the second closure changed nothing, so it is no step to undo
    expect(run([{ type: 'reopenFacility', id: 7 }], h).present.removeFacilities).toEqual([]);
    const moved = run([{ type: 'moveFacility', id: 9, lngLat: A, name: '卫生站 9' }]).present;
    expect(moved.removeFacilities).toEqual([9]);
    expect(moved.addFacilities).toEqual([{ lngLat: A, name: '卫生站 9', source: 'manual' }]);
  });

  it('draws links (never from a point to itself) and toggles cuts', () => {
    const h = run([
      { type: 'addLink', link: [A, B] },
      { type: 'addLink', link: [A, A] },
      { type: 'toggleCut', edgeId: 42 },
      { type: 'toggleCut', edgeId: 43 },
      { type: 'toggleCut', edgeId: 42 },
    ]);
    expect(h.present.addLinks).toEqual([[A, B]]);
    expect(h.present.removeLinks).toEqual([43]);
    expect(run([{ type: 'removeLink', index: 0 }], h).present.addLinks).toEqual([]);
  });

  it('accepts proposals as sites of source "proposal", up to the limit', () => {
    const h = run([{ type: 'addSite', lngLat: A }, { type: 'acceptProposals', sites: [{ lngLat: B, name: '候选 1' }, { lngLat: A }] }]);
    expect(h.present.addFacilities.map((s) => s.source)).toEqual(['manual', 'proposal', 'proposal']);
    expect(h.present.addFacilities[1]!.name).toBe('候选 1');
    const many = Array.from({ length: SCENARIO_LIMITS.maxSites + 5 }, (_, i): { lngLat: LngLat } => ({ lngLat: [123 + i * 1e-4, 41.8] }));
    const full = run([{ type: 'acceptProposals', sites: many }]).present;
    expect(full.addFacilities).toHaveLength(SCENARIO_LIMITS.maxSites);
    expect(applyEdit(full, { type: 'addSite', lngLat: A })).toBe(full);
  });

  it('undoes, redoes and clears; a new edit drops the redo stack; load starts a new history', () => {
    let h = run([{ type: 'addSite', lngLat: A }, { type: 'closeFacility', id: 3 }]);
    h = run([{ type: 'undo' }], h);
    expect(h.present.removeFacilities).toEqual([]);
    expect(h.future).toHaveLength(1);
    expect(run([{ type: 'redo' }], h).present.removeFacilities).toEqual([3]);
    h = run([{ type: 'toggleCut', edgeId: 5 }], h);
    expect(h.future).toEqual([]);
    h = run([{ type: 'clear' }], h);
    expect(editCount(h.present)).toBe(0);
    expect(run([{ type: 'undo' }], h).present.removeLinks).toEqual([5]);
    expect(run([{ type: 'undo' }, { type: 'undo' }, { type: 'undo' }, { type: 'undo' }], h).present).toEqual(EMPTY_SCENARIO_EDITS);
    const loaded = run([{ type: 'load', edits: { ...EMPTY_SCENARIO_EDITS, removeFacilities: [1] } }], h);
    expect(loaded.past).toEqual([]);
    expect(run([{ type: 'undo' }], loaded)).toBe(loaded);
  });

  it('undo after any sequence of edits walks back through every distinct state (property)', () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant('addSite' as const), lngLat: fc.tuple(fc.double({ min: 123, max: 124, noNaN: true }), fc.double({ min: 41, max: 42, noNaN: true })) }),
      fc.record({ type: fc.constant('closeFacility' as const), id: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ type: fc.constant('toggleCut' as const), edgeId: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ type: fc.constant('removeSite' as const), index: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        const states = [EMPTY_HISTORY.present];
        let h = EMPTY_HISTORY;
        for (const a of actions) {
          const next = reduceWhatIf(h, a);
          if (next !== h) states.push(next.present);
          h = next;
        }
        for (let i = states.length - 1; i > 0; i--) {
          expect(h.present).toEqual(states[i]);
          h = reduceWhatIf(h, { type: 'undo' });
        }
        expect(h.present).toEqual(EMPTY_SCENARIO_EDITS);
      }),
    );
  });

  it('keeps at most MAX_UNDO steps', () => {
    const actions = Array.from({ length: MAX_UNDO + 10 }, (_, i): WhatIfAction => ({ type: 'toggleCut', edgeId: i + 1 }));
    expect(run(actions).past).toHaveLength(MAX_UNDO);
  });

  it("maps the edits to plan.evaluate's input", () => {
    const edits = run([
      { type: 'addSite', lngLat: A },
      { type: 'closeFacility', id: 3 },
      { type: 'addLink', link: [A, B] },
      { type: 'toggleCut', edgeId: 8 },
    ]).present;
    expect(evaluateInputOf(edits, 'health_station', 15, '210103')).toEqual({
      kind: 'health_station',
      maxMinutes: 15,
      within: '210103',
      add: [A],
      remove: [3],
      addLinks: [[A, B]],
      removeLinks: [8],
    });
  });

  it('measures a link by the haversine formula', () => {
    // One hundredth of a degree of latitude: 1,111.95 m on the mean sphere.
    expect(linkLengthMeters([[123, 41], [123, 41.01]])).toBeCloseTo(1111.95, 1);
    expect(linkLengthMeters([A, A])).toBe(0);
  });
});

describe('what-if URL', () => {
  it('reads ?scenario= and ?compare=, refusing malformed values', () => {
    expect(scenarioFromParams(new URLSearchParams('scenario=12'))).toBe(12);
    for (const bad of ['scenario=', 'scenario=0', 'scenario=abc', 'scenario=base', 'scenario=1.5', 'x=1']) {
      expect(scenarioFromParams(new URLSearchParams(bad))).toBeNull();
    }
    expect(compareFromParams(new URLSearchParams('compare=base,4'))).toEqual(['base', 4]);
    expect(compareFromParams(new URLSearchParams('compare=3,4'))).toEqual([3, 4]);
    for (const bad of ['compare=3', 'compare=3,3', 'compare=3,4,5', 'compare=base,base', 'compare=a,4', 'compare=']) {
      expect(compareFromParams(new URLSearchParams(bad))).toBeNull();
    }
  });

  it('writes them back keeping the other parameters', () => {
    const params = new URLSearchParams('region=210103&kind=health_station&minutes=15');
    const withBoth = withCompare(withScenario(params, 5), [5, 'base']);
    expect(withBoth.toString()).toBe('region=210103&kind=health_station&minutes=15&scenario=5&compare=5%2Cbase');
    expect(compareFromParams(withBoth)).toEqual([5, 'base']);
    expect(withScenario(withCompare(withBoth, null), null).toString()).toBe(params.toString());
  });
});

describe('what-if delta in words', () => {
  it('signs residents and rates', () => {
    expect(formatSignedInteger(1234, 'zh')).toBe('+1,234');
    expect(formatSignedInteger(-56, 'en')).toBe('−56');
    expect(formatSignedInteger(0.2, 'en')).toBe('0');
    expect(formatRateChange(0.6234, 0.641)).toBe('62.3% → 64.1%');
    expect(formatPointChange(0.018, 'zh')).toBe('+1.8 个百分点');
    expect(formatPointChange(-0.0051, 'en')).toBe('−0.5 pp');
    expect(formatPointChange(0.0001, 'en')).toBe('0 pp');
    expect(formatLengthMeters(86.4, 'zh')).toBe('86 米');
    expect(formatLengthMeters(1240, 'en')).toBe('1.24 km');
  });
});
