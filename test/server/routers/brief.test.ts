// brief.* through createCaller on the test database (Shenyang, seed 1): every KPI card equals the
// procedure that owns its figure (events.kpis, dashboard.summary, coverage.rates of the health circle for
// urban and rural residents), sparklines add up to the card and mark the running slice partial, rankings
// partition their unit (down to a community's grids), and the narrative writes only numbers it returns
// as facts, in Chinese and English. Also: events.stats by grid inside a community, coverage.rates of
// several kinds and of urban or rural residents, and clear refusals.

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { principalFor, testContext } from '../../support/context';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { MS_PER_DAY, chinaDayStartMs, chinaDateOf } from '../../../server/domain/china-time';
import { HEALTH_CIRCLE, KPI_DEFINITIONS, KPI_IDS, kpiStatus } from '../../../server/domain/kpis';
import type { Role } from '../../../server/domain/access';

let store: SqliteStore;
let clock: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction = '21') => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => clock }));
let caller: ReturnType<typeof callerAs>;

const SHENYANG = '2101';
const SHENHE = '210103';
/** 沈河区滨河街道. */
const BINHE = '210103005';
let community: string;
/** The last 30 days to now, and the month holding now (running: its last days are partial). */
let last30: { from: number; to: number };
let thisMonth: { from: number; to: number };

beforeAll(() => {
  store = new SqliteStore(inject('databasePath'));
  clock = inject('testDemo').nowMs! + 10 * 3_600_000;
  caller = callerAs('province-officer');
  last30 = { from: clock - 30 * MS_PER_DAY, to: clock };
  const { year, month } = chinaDateOf(clock);
  thisMonth = { from: chinaDayStartMs({ year, month, day: 1 }), to: chinaDayStartMs({ year: month === 12 ? year + 1 : year, month: (month % 12) + 1, day: 1 }) };
  community = store.adminChildren(BINHE)[0]!.code;
});

afterAll(() => store.close());

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], pattern: RegExp): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof TRPCError && error.code === code && pattern.test(error.message));
}

/** Residents and covered residents of the health circle for one group, summed from coverage.rates. */
async function healthCircle(within: string, groupBy: 'county' | 'street' | 'community' | 'grid', residents: 'urban' | 'rural') {
  const rows = await caller.coverage.rates({ kind: [...HEALTH_CIRCLE.kind], maxMinutes: HEALTH_CIRCLE.maxMinutes, within, groupBy, residents });
  return rows.reduce((sum, row) => ({ covered: sum.covered + row.coveredPopulation, residents: sum.residents + row.population }), { covered: 0, residents: 0 });
}

describe('brief.kpis', () => {
  it('answers the eight shared KPIs in order, labelled, with targets and statuses from their definitions', async () => {
    const cards = await caller.brief.kpis({ within: SHENYANG, ...last30 });
    expect(cards.map((card) => card.id)).toEqual([...KPI_IDS]);
    for (const card of cards) {
      const definition = KPI_DEFINITIONS[card.id];
      expect(card.label).toEqual(definition.label);
      expect(card.target).toBe(definition.target);
      expect(card.status).toBe(kpiStatus(definition, card.value));
      if (card.unit === 'share' && card.value !== null) {
        expect(card.value).toBeGreaterThanOrEqual(0);
        expect(card.value).toBeLessThanOrEqual(1);
        expect(card.value).toBeCloseTo(card.numerator / card.denominator!, 12);
      }
    }
  });

  it('dispute cards equal events.kpis for the same unit and period, the period before included', async () => {
    for (const within of [SHENYANG, SHENHE, BINHE, community]) {
      const cards = Object.fromEntries((await caller.brief.kpis({ within, ...last30 })).map((card) => [card.id, card]));
      const kpis = await caller.events.kpis({ within, ...last30 });
      expect(cards.disputesReported!.value).toBe(kpis.current.reported);
      expect(cards.disputeResolution!.value).toBe(kpis.current.resolutionRate);
      expect(cards.inGridResolution!.value).toBe(kpis.current.inGridRate);
      expect(cards.overdueCases!.value).toBe(kpis.current.overdue);
      // The test data's record starts a year before now: the period before is recorded, last year's not.
      expect(cards.disputesReported!.previous).toBe(kpis.previous.reported);
      expect(cards.disputeResolution!.previous).toBe(kpis.previous.resolutionRate);
      expect(cards.overdueCases!.previous).toBe(kpis.previous.overdue);
    }
  });

  it('facility cards equal dashboard.summary; health-circle cards equal coverage.rates of urban and of rural residents', async () => {
    for (const within of [SHENYANG, SHENHE, BINHE]) {
      const cards = Object.fromEntries((await caller.brief.kpis({ within, ...last30 })).map((card) => [card.id, card]));
      const summary = await caller.dashboard.summary({ within });
      expect(cards.workstationCoverage!.value).toBe(summary.workstationRate);
      expect(cards.healthStandardised!.value).toBe(summary.healthStandardisedRate);
      expect(cards.workstationCoverage!.previous).toBeNull();
      expect(cards.workstationCoverage!.series).toEqual([]);
      const groupBy = within === SHENYANG ? 'county' : within === SHENHE ? 'street' : 'community';
      for (const [id, residents] of [['healthCircleUrban', 'urban'], ['healthCircleRural', 'rural']] as const) {
        const expected = await healthCircle(within, groupBy, residents);
        expect(cards[id]!.numerator).toBe(expected.covered);
        expect(cards[id]!.denominator).toBe(expected.residents);
      }
    }
    // Urban and rural residents are all residents, counted once.
    const all = await caller.coverage.rates({ kind: [...HEALTH_CIRCLE.kind], maxMinutes: 15, within: SHENYANG, groupBy: 'county', residents: 'all' });
    const urban = await healthCircle(SHENYANG, 'county', 'urban');
    const rural = await healthCircle(SHENYANG, 'county', 'rural');
    expect(urban.residents + rural.residents).toBe(all.reduce((sum, row) => sum + row.population, 0));
    expect(urban.covered + rural.covered).toBe(all.reduce((sum, row) => sum + row.coveredPopulation, 0));
    expect(urban.residents).toBeGreaterThan(0);
    expect(rural.residents).toBeGreaterThan(0);
  });

  it('sparklines cut the period into China-time days whose counts add up to the card; slices after now are partial', async () => {
    const cards = Object.fromEntries((await caller.brief.kpis({ within: SHENHE, ...thisMonth })).map((card) => [card.id, card]));
    const reported = cards.disputesReported!;
    expect(reported.series.length).toBeGreaterThanOrEqual(28);
    expect(reported.series[0]!.from).toBe(thisMonth.from);
    expect(reported.series[reported.series.length - 1]!.to).toBe(thisMonth.to);
    expect(reported.series.reduce((sum, point) => sum + point.numerator, 0)).toBe(reported.numerator);
    expect(reported.series.map((point) => point.partial)).toEqual(reported.series.map((point) => point.to > clock));
    expect(reported.series.some((point) => point.partial)).toBe(true);
    const closed = cards.disputeResolution!;
    expect(closed.series.reduce((sum, point) => sum + point.numerator, 0)).toBe(closed.numerator);
  });

  it('takes China-time day strings for a period, the last day included', async () => {
    const { year, month, day } = chinaDateOf(clock);
    const pad = (n: number) => String(n).padStart(2, '0');
    const today = `${year}-${pad(month)}-${pad(day)}`;
    const byDay = await caller.brief.kpis({ within: SHENHE, from: `${year}-${pad(month)}-01`, to: today });
    const byMs = await caller.brief.kpis({ within: SHENHE, from: thisMonth.from, to: chinaDayStartMs({ year, month, day }) + MS_PER_DAY });
    expect(byDay).toEqual(byMs);
  });

  it('refuses a period that ends before it starts, naming the field, and an unknown unit', async () => {
    await expectTrpcError(caller.brief.kpis({ within: SHENHE, from: last30.to, to: last30.from }), 'BAD_REQUEST', /to/);
    await expectTrpcError(caller.brief.kpis({ within: SHENHE, from: '2026-02-30', to: '2026-03-01' }), 'BAD_REQUEST', /from/);
    await expectTrpcError(caller.brief.kpis({ within: '210199', ...last30 }), 'NOT_FOUND', /210199/);
  });

  it('answers inside the caller’s jurisdiction only', async () => {
    const street = callerAs('street-officer', BINHE);
    await expect(street.brief.kpis({ within: community, ...last30 })).resolves.toHaveLength(KPI_IDS.length);
    await expectTrpcError(street.brief.kpis({ within: SHENHE, ...last30 }), 'FORBIDDEN', /jurisdiction|outside|above/i);
  });
});

describe('brief.ranking', () => {
  it('ranks the children worst first, and their reported cases add up to the unit’s', async () => {
    const ranking = await caller.brief.ranking({ within: SHENHE, ...last30, kpi: 'disputesReported' });
    expect(ranking.level).toBe('street');
    expect(ranking.rows.map((row) => row.code).sort()).toEqual(store.adminChildren(SHENHE).map((unit) => unit.code).sort());
    const values = ranking.rows.map((row) => row.value!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const card = (await caller.brief.kpis({ within: SHENHE, ...last30 })).find((c) => c.id === 'disputesReported')!;
    expect(values.reduce((sum, value) => sum + value, 0)).toBe(card.value);
  });

  it('ranks shares ascending (worst first) with their parts and statuses', async () => {
    const ranking = await caller.brief.ranking({ within: SHENYANG, ...last30, kpi: 'workstationCoverage' });
    const values = ranking.rows.filter((row) => row.value !== null).map((row) => row.value!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    for (const row of ranking.rows) {
      expect(row.status).toBe(kpiStatus(KPI_DEFINITIONS.workstationCoverage, row.value));
      const summary = await caller.dashboard.summary({ within: row.code });
      expect(row.value).toBe(summary.workstationRate);
    }
  });

  it('goes down to the grids of a community, equal to coverage.rates by grid', async () => {
    const ranking = await caller.brief.ranking({ within: community, ...last30, kpi: 'healthCircleUrban' });
    expect(ranking.level).toBe('grid');
    const grids = store.gridRecords({ withinCode: community });
    expect(ranking.rows.map((row) => row.code).sort()).toEqual(grids.map((grid) => grid.code).sort());
    const rates = await caller.coverage.rates({ kind: [...HEALTH_CIRCLE.kind], maxMinutes: 15, within: community, groupBy: 'grid', residents: 'urban' });
    for (const row of ranking.rows) {
      const rate = rates.find((r) => r.code === row.code)!;
      expect(row.numerator).toBe(rate.coveredPopulation);
      expect(row.denominator).toBe(rate.population);
    }
  });

  it('refuses facility KPIs among a community’s grids (facilities belong to communities)', async () => {
    await expectTrpcError(caller.brief.ranking({ within: community, ...last30, kpi: 'workstationCoverage' }), 'BAD_REQUEST', /per community/);
    await expectTrpcError(
      caller.brief.ranking({ within: SHENHE, ...last30, kpi: 'nonsense' as 'overdueCases' }),
      'BAD_REQUEST',
      /kpi/,
    );
  });
});

/** The text with every fact's and place's text taken out: no digit may be left. */
function leftover(answer: { text: string; facts: { text: string }[]; places: { name: string }[] }): string {
  let rest = answer.text;
  const pieces = [...answer.facts.map((fact) => fact.text), ...answer.places.map((place) => place.name)].sort((a, b) => b.length - a.length);
  for (const piece of pieces) rest = rest.split(piece).join(' ');
  return rest;
}

describe('brief.narrative', () => {
  it('writes in Chinese only numbers it returns as facts, and its KPI facts equal the cards', async () => {
    for (const within of [SHENYANG, SHENHE, BINHE, community]) {
      const narrative = await caller.brief.narrative({ within, ...last30, lang: 'zh' });
      expect(narrative.text.startsWith(narrative.name)).toBe(true);
      expect(narrative.text).toMatch(/[\u4e00-\u9fff]/);
      for (const fact of narrative.facts) expect(narrative.text).toContain(fact.text);
      expect(leftover(narrative)).not.toMatch(/\d/);
      const cards = await caller.brief.kpis({ within, ...last30 });
      for (const card of cards) {
        const fact = narrative.facts.find((f) => f.id === `kpi.${card.id}.value`);
        if (fact) expect(fact.value).toBe(card.value);
      }
      const reported = cards.find((card) => card.id === 'disputesReported')!;
      const fact = narrative.facts.find((f) => f.id === 'kpi.disputesReported.value')!;
      expect(fact.value).toBe(reported.value);
      expect(fact.text).toBe(new Intl.NumberFormat('zh-CN').format(reported.value!));
    }
  });

  it('names the KPIs that miss their targets with zh-CN percentages', async () => {
    const narrative = await caller.brief.narrative({ within: SHENYANG, ...last30, lang: 'zh' });
    const cards = await caller.brief.kpis({ within: SHENYANG, ...last30 });
    for (const card of cards.filter((c) => c.status === 'red' || c.status === 'amber')) {
      expect(narrative.text).toContain(card.label.zh);
      if (card.unit === 'share') {
        const fact = narrative.facts.find((f) => f.id === `kpi.${card.id}.value`)!;
        expect(fact.text).toBe(`${(Math.round(card.value! * 1000) / 10).toFixed(1)}%`);
      }
    }
    expect(narrative.text).toContain('未达目标');
  });

  it('names the children where disputes rose most with counts equal to the ranking of the two periods', async () => {
    const narrative = await caller.brief.narrative({ within: SHENHE, ...last30, lang: 'zh' });
    const rose = narrative.facts.filter((fact) => fact.id.startsWith('rose.') && fact.id.endsWith('.current'));
    const now = await caller.brief.ranking({ within: SHENHE, ...last30, kpi: 'disputesReported' });
    const before = await caller.brief.ranking({ within: SHENHE, from: last30.from - 30 * MS_PER_DAY, to: last30.from, kpi: 'disputesReported' });
    for (const fact of rose) {
      const code = fact.id.split('.')[1]!;
      expect(fact.value).toBe(now.rows.find((row) => row.code === code)!.value);
      const previous = narrative.facts.find((f) => f.id === `rose.${code}.previous`)!;
      expect(previous.value).toBe(before.rows.find((row) => row.code === code)!.value);
      expect(fact.value as number).toBeGreaterThan(previous.value as number);
    }
  });

  it('writes the same facts in English', async () => {
    const zh = await caller.brief.narrative({ within: SHENHE, ...last30, lang: 'zh' });
    const en = await caller.brief.narrative({ within: SHENHE, ...last30, lang: 'en' });
    expect(en.text).toMatch(/disputes were reported/);
    expect(leftover(en)).not.toMatch(/\d/);
    const values = (answer: typeof zh) => Object.fromEntries(answer.facts.filter((f) => !f.id.startsWith('period.') && !f.id.endsWith('lastPatrol')).map((f) => [f.id, f.value]));
    expect(values(en)).toEqual(values(zh));
  });

  it('names the boundary lines due a joint patrol (none in 90 days before the period’s end)', async () => {
    const narrative = await caller.brief.narrative({ within: SHENHE, ...last30, lang: 'zh' });
    const due = narrative.facts.find((fact) => fact.id === 'boundary.patrolDue');
    const lines = [...store.boundaryLines({ level: 'county', withinCode: SHENHE, band: 0 }), ...store.boundaryLines({ level: 'street', withinCode: SHENHE, band: 0 })].filter(
      (line) => line.rightCode !== null,
    );
    const end = chinaDateOf(last30.to - 1);
    const endDay = Date.UTC(end.year, end.month - 1, end.day) / MS_PER_DAY;
    const expected = lines.filter((line) => line.lastJointPatrol === null || endDay - Date.parse(line.lastJointPatrol.slice(0, 10)) / MS_PER_DAY > 90).length;
    expect(due?.value).toBe(expected);
    expect(narrative.text).toContain('联合巡逻');
  });
});

describe('statistics down to the grid', () => {
  it('events.stats groups a community’s cases by its grids, named, adding up to the community', async () => {
    const stats = await caller.events.stats({ within: community, ...last30, groupBy: 'unit', unitLevel: 'grid' });
    const grids = new Map(store.gridRecords({ withinCode: community }).map((grid) => [grid.code, grid.name]));
    expect(stats.rows.length).toBeGreaterThan(0);
    for (const row of stats.rows) {
      expect(grids.get(row.key)).toBe(row.label);
    }
    const kpis = await caller.events.kpis({ within: community, ...last30 });
    expect(stats.rows.reduce((sum, row) => sum + row.count, 0)).toBe(kpis.current.reported);
    // The default grouping of a community is its grids too.
    const byDefault = await caller.events.stats({ within: community, ...last30, groupBy: 'unit' });
    expect(byDefault.rows).toEqual(stats.rows);
  });

  it('coverage.rates of several kinds covers at least as many as each kind alone', async () => {
    const both = await caller.coverage.rates({ kind: ['health_station', 'health_center'], maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    const station = await caller.coverage.rates({ kind: 'health_station', maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    const centre = await caller.coverage.rates({ kind: 'health_center', maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    for (const row of both) {
      const a = station.find((r) => r.code === row.code)!;
      const b = centre.find((r) => r.code === row.code)!;
      expect(row.population).toBe(a.population);
      expect(row.coveredPopulation).toBeGreaterThanOrEqual(Math.max(a.coveredPopulation, b.coveredPopulation));
      expect(row.coveredPopulation).toBeLessThanOrEqual(a.coveredPopulation + b.coveredPopulation);
    }
    // The same set in another order is the same request.
    const reversed = await caller.coverage.rates({ kind: ['health_center', 'health_station', 'health_center'], maxMinutes: 15, within: SHENHE, groupBy: 'street' });
    expect(reversed).toEqual(both);
    await expectTrpcError(caller.coverage.rates({ kind: [], maxMinutes: 15, within: SHENHE, groupBy: 'street' }), 'BAD_REQUEST', /kind/);
  });

  it('coverage.gaps of the health circle for urban and for rural residents add up to the rates’ uncovered residents', async () => {
    const kind = [...HEALTH_CIRCLE.kind];
    let gapsTotal = 0;
    for (const residents of ['urban', 'rural'] as const) {
      const gaps = await caller.coverage.gaps({ kind, maxMinutes: 15, within: SHENHE, residents, as: 'points' });
      const uncovered = gaps.features.reduce((sum, feature) => sum + feature.properties.uncoveredPopulation, 0);
      const rates = await caller.coverage.rates({ kind, maxMinutes: 15, within: SHENHE, groupBy: 'street', residents });
      expect(uncovered).toBe(rates.reduce((sum, row) => sum + row.population - row.coveredPopulation, 0));
      gapsTotal += uncovered;
    }
    const all = await caller.coverage.gaps({ kind, maxMinutes: 15, within: SHENHE, as: 'points' });
    expect(all.features.reduce((sum, feature) => sum + feature.properties.uncoveredPopulation, 0)).toBe(gapsTotal);
  });
});
