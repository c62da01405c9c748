// Escalation by rule: the rule table's parsing (defaults, overrides, off, errors), when a rule fires
// (hand-computed hours), and the dispute service on a writable copy of the test database with an explicit
// "now": one level per run, a step by the system naming the rule, the version bumped, the step on the live
// log, each rule once per case, every firing case found (brute force), and the unref'd timer.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_DEADLINE_POLICY } from '../../../server/domain/dispute-deadlines';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { DisputeService, ESCALATION_INTERVAL_MS, escalationEveryMsFromEnv } from '../../../server/live/dispute-service';
import { DEFAULT_ESCALATION_RULES, firingRule, parseEscalationRules, type EscalationRules } from '../../../server/live/escalation-rules';
import { appRouter } from '../../../server/routers/app';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { createCallerFactory } from '../../../server/trpc';
import { principalFor, testContext } from '../../support/context';

const HOUR = 3_600_000;
/** Days a critical case has at every level (its severity's cap). */
const CRITICAL_DAYS = DEFAULT_DEADLINE_POLICY.maxDaysBySeverity.critical;

describe('parseEscalationRules', () => {
  it('keeps the defaults, changes the entries given, turns entries or everything off', () => {
    expect(parseEscalationRules(undefined)).toEqual(DEFAULT_ESCALATION_RULES);
    expect(parseEscalationRules('')).toEqual(DEFAULT_ESCALATION_RULES);
    const rules = parseEscalationRules(' critical.grid = 2, general.street=off ,major.county=72');
    expect(rules.critical).toEqual({ ...DEFAULT_ESCALATION_RULES.critical, grid: 2 });
    expect(rules.general).toEqual({ grid: 24, community: 48 });
    expect(rules.major).toEqual({ ...DEFAULT_ESCALATION_RULES.major, county: 72 });
    expect(parseEscalationRules('off')).toEqual({ general: {}, major: {}, critical: {} });
    expect(parseEscalationRules('critical.grid=0').critical.grid).toBe(0);
  });

  it('refuses what it cannot read, naming the entry', () => {
    expect(() => parseEscalationRules('urgent.grid=4')).toThrow('ATLAS_ESCALATION_RULES: "urgent.grid" must be severity.level');
    expect(() => parseEscalationRules('critical.above=4')).toThrow('"critical.above" needs a level of grid, community, street, county');
    expect(() => parseEscalationRules('critical=4')).toThrow('"critical" needs a level');
    expect(() => parseEscalationRules('critical.grid=-1')).toThrow('critical.grid needs hours overdue (a number ≥ 0) or off, got "-1"');
    expect(() => parseEscalationRules('critical.grid=soon')).toThrow('got "soon"');
    expect(() => parseEscalationRules('critical.grid')).toThrow('got ""');
  });
});

describe('escalationEveryMsFromEnv', () => {
  it('reads a whole number of ms above 0, defaults to the interval when unset, refuses anything else', () => {
    expect(escalationEveryMsFromEnv(undefined)).toBe(ESCALATION_INTERVAL_MS);
    expect(escalationEveryMsFromEnv('')).toBe(ESCALATION_INTERVAL_MS);
    expect(escalationEveryMsFromEnv('1000')).toBe(1000);
    expect(escalationEveryMsFromEnv(' 250 ')).toBe(250);
    for (const bad of ['0', '-5', '1.5', '1e3', 'soon', '99999999999999999999']) {
      expect(() => escalationEveryMsFromEnv(bad)).toThrow(`ATLAS_ESCALATION_EVERY_MS must be a whole number of milliseconds above 0, got "${bad}"`);
    }
  });
});

describe('firingRule', () => {
  const rules: EscalationRules = { general: { grid: 24 }, major: {}, critical: { grid: 4, community: 8 } };
  const due = 1_000_000_000_000;
  const state = (handlingLevel: 'grid' | 'community' | 'street', firedRules: string[] = []) => ({ severity: 'critical' as const, handlingLevel, dueAt: due, firedRules });
  it('fires once the case is overdue by the hours of its severity and level, once per rule', () => {
    expect(firingRule(rules, state('grid'), due + 4 * HOUR - 1)).toBeNull();
    expect(firingRule(rules, state('grid'), due + 4 * HOUR)).toEqual({ key: 'critical.grid', hours: 4 });
    expect(firingRule(rules, state('grid', ['critical.grid']), due + 40 * HOUR)).toBeNull();
    expect(firingRule(rules, state('community', ['critical.grid']), due + 8 * HOUR)).toEqual({ key: 'critical.community', hours: 8 });
    // No rule for the level: never.
    expect(firingRule(rules, state('street'), due + 1000 * HOUR)).toBeNull();
    expect(firingRule(rules, { ...state('grid'), severity: 'major' }, due + 1000 * HOUR)).toBeNull();
    // A zero-hour rule still waits for the deadline to pass.
    expect(firingRule({ ...rules, critical: { grid: 0 } }, state('grid'), due)).toBeNull();
    expect(firingRule({ ...rules, critical: { grid: 0 } }, state('grid'), due + 1)).toEqual({ key: 'critical.grid', hours: 0 });
  });
});

describe('DisputeService escalation', () => {
  let dir: string;
  let store: SqliteStore;
  let reportedAt: number;
  const rules: EscalationRules = { general: {}, major: {}, critical: { grid: 4, community: 8 } };
  const createCaller = createCallerFactory(appRouter);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-escalation-'));
    const databasePath = join(dir, 'atlas.sqlite');
    copyFileSync(inject('databasePath'), databasePath);
    store = new SqliteStore(databasePath, { writable: true });
    reportedAt = inject('testDemo').nowMs! + HOUR;
  });

  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A critical case reported at `at` in a Shenyang grid and assigned (at grid level). */
  async function assignedCase(at: number): Promise<number> {
    const caller = createCaller(testContext(store, { principal: principalFor('city-officer', '2101'), now: () => at }));
    const grid = store.gridRecords({ withinCode: '210103' })[3]!;
    const { id } = await caller.events.report({ lngLat: grid.labelLngLat, type: 'neighbour', source: 'patrol', severity: 'critical' });
    await caller.events.transition({ id, action: 'assign', version: 1 });
    return id;
  }

  /** The cases a run at `nowMs` must escalate, by brute force over every case. */
  function firing(nowMs: number): number[] {
    return store.disputes
      .list({ limit: 10_000_000 })
      .filter((d) => ['assigned', 'accepted', 'handled'].includes(d.status) && firingRule(rules, { ...d, firedRules: firedOf(d.id) }, nowMs) !== null)
      .map((d) => d.id)
      .sort((a, b) => a - b);
  }
  const firedOf = (id: number) => store.disputes.get(id)!.history.filter((step) => step.actorRole === 'system').map((step) => /rule (\S+):/.exec(step.note!)![1]!);

  it('escalates one level per run, as a step by the system naming the rule, once per rule', async () => {
    const service = new DisputeService(store, DEFAULT_DEADLINE_POLICY, rules);
    const id = await assignedCase(reportedAt);
    // More firing cases than one chunk holds, so the run crosses chunk seams.
    for (let more = 0; more < 6; more++) await assignedCase(reportedAt);
    const due = reportedAt + CRITICAL_DAYS * MS_PER_DAY;
    expect(store.disputes.get(id)!.dispute.dueAt).toBe(due);

    const early = service.escalateOverdue(due + 4 * HOUR - 1);
    expect(early).not.toContain(id);
    expect(store.disputes.get(id)!.dispute).toMatchObject({ handlingLevel: 'grid', version: 2 });

    const at = due + 4 * HOUR;
    const expected = firing(at);
    expect(expected.length).toBeGreaterThan(5);
    const seq = store.disputes.lastSeq();
    // In chunks of 3 cases: every firing case across the chunks' seams, each once.
    const escalated = service.escalateOverdue(at, 3);
    expect([...escalated].sort((a, b) => a - b)).toEqual(expected);
    const { dispute, history } = store.disputes.get(id)!;
    expect(dispute).toMatchObject({ handlingLevel: 'community', status: 'assigned', version: 3 });
    expect(history.at(-1)).toMatchObject({ action: 'escalate', actorRole: 'system', at, handlingLevel: 'community' });
    expect(history.at(-1)!.note).toContain('critical.grid');
    // On the live log, after what was there.
    expect(store.disputes.logAfter(seq, 100_000).filter((entry) => entry.disputeId === id).map((entry) => entry.action)).toEqual(['escalate']);

    // The community's stage has its own deadline from the escalation on.
    const communityDue = at + CRITICAL_DAYS * MS_PER_DAY;
    expect(dispute.dueAt).toBe(communityDue);
    // The same run again, or a later one before the community rule's hours past that deadline: nothing.
    expect(service.escalateOverdue(at)).toEqual([]);
    expect(service.escalateOverdue(communityDue + 8 * HOUR - 1).includes(id)).toBe(false);
    expect(service.escalateOverdue(communityDue + 8 * HOUR)).toContain(id);
    expect(store.disputes.get(id)!.dispute).toMatchObject({ handlingLevel: 'street', version: 4 });
    // No rule for the street: it stays.
    service.escalateOverdue(due + 1000 * HOUR);
    expect(store.disputes.get(id)!.dispute).toMatchObject({ handlingLevel: 'street', version: 4 });
  });

  it('fires a rule once per case even after the case comes back down to the level', async () => {
    const service = new DisputeService(store, DEFAULT_DEADLINE_POLICY, rules);
    const id = await assignedCase(reportedAt + 2 * HOUR);
    const due = reportedAt + 2 * HOUR + CRITICAL_DAYS * MS_PER_DAY;
    service.escalateOverdue(due + 5 * HOUR);
    expect(store.disputes.get(id)!.dispute.handlingLevel).toBe('community');
    // Handed back to its grid through review and reopen (a new stage, a new deadline), then overdue
    // again past the grid rule's hours: the grid rule has fired already.
    const caller = createCaller(testContext(store, { principal: principalFor('city-officer', '2101'), now: () => due + 6 * HOUR }));
    let version = store.disputes.get(id)!.dispute.version;
    for (const action of ['accept', 'handle', 'feedback', 'review'] as const) version = (await caller.events.transition({ id, action, version })).version;
    const grid = store.disputes.get(id)!.dispute.placeCode;
    await caller.events.transition({ id, action: 'reopen', version, handlerUnit: grid });
    const reopened = store.disputes.get(id)!.dispute;
    expect(reopened.handlingLevel).toBe('grid');
    expect(reopened.dueAt).toBe(due + 6 * HOUR + CRITICAL_DAYS * MS_PER_DAY);
    expect(service.escalateOverdue(reopened.dueAt + 5 * HOUR)).not.toContain(id);
    expect(store.disputes.get(id)!.dispute.handlingLevel).toBe('grid');
  });

  it('runs on an unref’d timer with its clock, and never on a read-only store', async () => {
    const service = new DisputeService(store, DEFAULT_DEADLINE_POLICY, rules);
    const id = await assignedCase(reportedAt + 3 * HOUR);
    const due = reportedAt + 3 * HOUR + CRITICAL_DAYS * MS_PER_DAY;
    service.startEscalation(10, () => due + 5 * HOUR);
    try {
      for (let wait = 0; wait < 200 && store.disputes.get(id)!.dispute.handlingLevel === 'grid'; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(store.disputes.get(id)!.dispute.handlingLevel).toBe('community');
    } finally {
      service.stopEscalation();
    }
    const readOnly = new SqliteStore(inject('databasePath'));
    try {
      expect(new DisputeService(readOnly, DEFAULT_DEADLINE_POLICY, rules).escalateOverdue(due + 1000 * HOUR)).toEqual([]);
    } finally {
      readOnly.close();
    }
  });
});
