// The shared KPI definitions: status against targets (both directions, the amber band), the compared
// periods (the one before, the same China-time dates a year earlier, 29 February) and the sparkline's
// slices (China-time days, ISO weeks from Monday, months; no gap, no overlap).

import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, chinaDateOf, chinaDayStartMs, formatChinaDateTime } from '../../../server/domain/china-time';
import {
  KPI_DEFINITIONS,
  KPI_IDS,
  kpiStatus,
  lastYearPeriodOf,
  previousPeriodOf,
  seriesSliceOf,
  seriesSlices,
  shiftChinaYears,
} from '../../../server/domain/kpis';
import { HEALTH_STANDARD_TARGET, WORKSTATION_BASELINE } from '../../../server/domain/targets';

const day = (year: number, month: number, dayOfMonth: number) => chinaDayStartMs({ year, month, day: dayOfMonth });

describe('KPI definitions', () => {
  it('define every KPI once, with both labels and the baselines of the design', () => {
    expect(Object.keys(KPI_DEFINITIONS).sort()).toEqual([...KPI_IDS].sort());
    for (const id of KPI_IDS) {
      const definition = KPI_DEFINITIONS[id];
      expect(definition.id).toBe(id);
      expect(definition.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(definition.label.en).toMatch(/^[A-Z0-9]/);
      expect(definition.definition.zh.length).toBeGreaterThan(4);
    }
    expect(KPI_DEFINITIONS.workstationCoverage.target).toBe(WORKSTATION_BASELINE);
    expect(KPI_DEFINITIONS.workstationCoverage.target).toBe(0.82);
    expect(KPI_DEFINITIONS.healthStandardised.target).toBe(HEALTH_STANDARD_TARGET);
    expect(KPI_DEFINITIONS.healthStandardised.target).toBe(0.9);
    expect(KPI_DEFINITIONS.overdueCases).toMatchObject({ target: 0, direction: 'lower', unit: 'cases' });
  });

  it('grade a share against its target: green on or above, amber within 5 points, red beyond', () => {
    const workstation = KPI_DEFINITIONS.workstationCoverage;
    expect(kpiStatus(workstation, 0.82)).toBe('green');
    expect(kpiStatus(workstation, 0.95)).toBe('green');
    expect(kpiStatus(workstation, 0.8199)).toBe('amber');
    expect(kpiStatus(workstation, 0.77)).toBe('amber');
    expect(kpiStatus(workstation, 0.769)).toBe('red');
    expect(kpiStatus(workstation, null)).toBeNull();
    expect(kpiStatus(workstation, Number.NaN)).toBeNull();
  });

  it('grade a count where lower is better: none overdue is green, any overdue red (no amber band)', () => {
    const overdue = KPI_DEFINITIONS.overdueCases;
    expect(kpiStatus(overdue, 0)).toBe('green');
    expect(kpiStatus(overdue, 1)).toBe('red');
    expect(kpiStatus(overdue, 1_763)).toBe('red');
  });

  it('give no status without a target', () => {
    for (const id of ['healthCircleUrban', 'healthCircleRural', 'disputeResolution', 'inGridResolution', 'disputesReported'] as const) {
      expect(kpiStatus(KPI_DEFINITIONS[id], 0.5)).toBeNull();
    }
  });
});

describe('compared periods', () => {
  it('the period before has the same length and ends where the period starts', () => {
    const period = { from: day(2026, 11, 1), to: day(2026, 12, 1) };
    expect(previousPeriodOf(period)).toEqual({ from: period.from - 30 * MS_PER_DAY, to: period.from });
  });

  it('last year keeps the China-time calendar dates and time of day', () => {
    const period = { from: day(2026, 11, 1), to: day(2026, 12, 1) + 9.5 * 3_600_000 };
    const shifted = lastYearPeriodOf(period);
    expect(chinaDateOf(shifted.from)).toEqual({ year: 2025, month: 11, day: 1 });
    expect(formatChinaDateTime(shifted.to)).toBe('2025-12-01T09:30:00.000+08:00');
  });

  it('29 February becomes 28 February in a year without it', () => {
    expect(chinaDateOf(shiftChinaYears(day(2024, 2, 29), -1))).toEqual({ year: 2023, month: 2, day: 28 });
    expect(chinaDateOf(shiftChinaYears(day(2028, 2, 29), 1))).toEqual({ year: 2029, month: 2, day: 28 });
  });
});

describe('sparkline slices', () => {
  const expectTiling = (period: { from: number; to: number }, slices: { from: number; to: number }[]) => {
    expect(slices[0]!.from).toBe(period.from);
    expect(slices[slices.length - 1]!.to).toBe(period.to);
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.from).toBe(slices[i - 1]!.to);
    for (const slice of slices) expect(slice.to).toBeGreaterThan(slice.from);
  };

  it('cut up to 31 days into China-time days, the first and last clipped', () => {
    const period = { from: day(2026, 11, 1) + 6 * 3_600_000, to: day(2026, 11, 8) + 3_600_000 };
    const { slice, slices } = seriesSlices(period);
    expect(slice).toBe('day');
    expectTiling(period, slices);
    expect(slices).toHaveLength(8);
    expect(slices[1]!.from).toBe(day(2026, 11, 2));
  });

  it('cut up to 120 days into ISO weeks starting on Monday', () => {
    const period = { from: day(2026, 9, 1), to: day(2026, 12, 1) };
    expect(seriesSliceOf(period)).toBe('week');
    const { slices } = seriesSlices(period);
    expectTiling(period, slices);
    for (const slice of slices.slice(1)) {
      const { year, month, day: dayOfMonth } = chinaDateOf(slice.from);
      expect(new Date(Date.UTC(year, month - 1, dayOfMonth)).getUTCDay()).toBe(1);
    }
  });

  it('cut longer periods into calendar months', () => {
    const period = { from: day(2026, 1, 1), to: day(2027, 1, 1) };
    const { slice, slices } = seriesSlices(period);
    expect(slice).toBe('month');
    expectTiling(period, slices);
    expect(slices).toHaveLength(12);
    expect(slices.map((s) => chinaDateOf(s.from).month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
