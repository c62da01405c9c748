// How the briefing writes its figures (KPI values, changes against a comparison period, day ranges in
// zh-CN and English), which KPIs can rank a place's children, how KPIs are stepped through and swiped,
// and its string tables (the same keys in both languages, no Chinese in the English one).

import { describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS, KPI_IDS } from '../../server/domain/kpis';
import { formatDay, formatDayRange, formatKpiChange, formatKpiValue } from '../../client/src/modes/brief/brief-format';
import { kpiRanksChildren, stepKpi } from '../../client/src/modes/brief/brief-ranking';
import { BRIEF_TEXT, fill } from '../../client/src/modes/brief/brief-text';
import { SWIPE_MIN_PX, swipeDirection } from '../../client/src/modes/brief/use-swipe';
import { targetText, targetValueText } from '../../client/src/modes/brief/kpi-cards';

const CJK = /[\u3400-\u9fff]/;
const CJK_PUNCTUATION = /[\uff1a\uff0c\u3001\uff08\uff09\u3002]/;

describe('formatKpiValue', () => {
  it('writes shares as percentages with one decimal and cases with thousands separators', () => {
    expect(formatKpiValue(0.8312985571587126, 'share', 'zh')).toBe('83.1%');
    expect(formatKpiValue(0.8312985571587126, 'share', 'en')).toBe('83.1%');
    expect(formatKpiValue(1, 'share', 'zh')).toBe('100.0%');
    expect(formatKpiValue(0, 'share', 'zh')).toBe('0.0%');
    expect(formatKpiValue(0.00049, 'share', 'zh')).toBe('0.0%');
    expect(formatKpiValue(1987, 'cases', 'zh')).toBe('1,987件');
    expect(formatKpiValue(1987, 'cases', 'en')).toBe('1,987');
    expect(formatKpiValue(1234567, 'cases', 'zh')).toBe('1,234,567件');
    expect(formatKpiValue(0, 'cases', 'zh')).toBe('0件');
  });

  it('writes a missing value as a dash', () => {
    expect(formatKpiValue(null, 'share', 'zh')).toBe('—');
    expect(formatKpiValue(undefined, 'cases', 'en')).toBe('—');
  });
});

describe('formatKpiChange', () => {
  it('compares shares in percentage points, better or worse by the KPI direction', () => {
    expect(formatKpiChange(0.795, 0.993, 'share', 'higher', 'zh')).toEqual({ text: '▼19.8个百分点', tone: 'worse' });
    expect(formatKpiChange(0.795, 0.993, 'share', 'higher', 'en')).toEqual({ text: '▼19.8 pp', tone: 'worse' });
    expect(formatKpiChange(0.9, 0.85, 'share', 'higher', 'zh')).toEqual({ text: '▲5.0个百分点', tone: 'better' });
    expect(formatKpiChange(0.9, 0.85, 'share', 'lower', 'zh')).toEqual({ text: '▲5.0个百分点', tone: 'worse' });
  });

  it('calls a change under 0.05 points, or no change in cases, no change', () => {
    expect(formatKpiChange(0.8004, 0.8, 'share', 'higher', 'zh')).toEqual({ text: '持平', tone: 'same' });
    expect(formatKpiChange(0.8006, 0.8, 'share', 'higher', 'zh')?.tone).toBe('better');
    expect(formatKpiChange(12, 12, 'cases', 'lower', 'en')).toEqual({ text: 'no change', tone: 'same' });
  });

  it('compares cases by count and per cent (no per cent from zero); fewer is better for lower-is-better KPIs', () => {
    expect(formatKpiChange(1987, 640, 'cases', 'lower', 'zh')).toEqual({ text: '▲1,347件（+210.5%）', tone: 'worse' });
    expect(formatKpiChange(92, 104, 'cases', 'lower', 'zh')).toEqual({ text: '▼12件（−11.5%）', tone: 'better' });
    expect(formatKpiChange(92, 104, 'cases', 'lower', 'en')).toEqual({ text: '▼12 (−11.5%)', tone: 'better' });
    expect(formatKpiChange(3, 0, 'cases', 'lower', 'zh')).toEqual({ text: '▲3件', tone: 'worse' });
  });

  it('gives nothing when either side is missing', () => {
    expect(formatKpiChange(null, 0.5, 'share', 'higher', 'zh')).toBeNull();
    expect(formatKpiChange(0.5, null, 'share', 'higher', 'zh')).toBeNull();
  });
});

describe('day ranges and days', () => {
  it('writes the shared parts of a range once, zh-CN and English', () => {
    expect(formatDayRange({ from: '2026-10-01', to: '2026-10-31' }, 'zh')).toBe('2026年10月1日至31日');
    expect(formatDayRange({ from: '2026-10-01', to: '2026-12-07' }, 'zh')).toBe('2026年10月1日至12月7日');
    expect(formatDayRange({ from: '2025-12-01', to: '2026-01-31' }, 'zh')).toBe('2025年12月1日至2026年1月31日');
    expect(formatDayRange({ from: '2026-10-05', to: '2026-10-05' }, 'zh')).toBe('2026年10月5日');
    expect(formatDayRange({ from: '2026-10-01', to: '2026-10-31' }, 'en')).toBe('1–31 Oct 2026');
    expect(formatDayRange({ from: '2026-10-01', to: '2026-12-07' }, 'en')).toBe('1 Oct – 7 Dec 2026');
    expect(formatDayRange({ from: '2025-12-01', to: '2026-01-31' }, 'en')).toBe('1 Dec 2025 – 31 Jan 2026');
    expect(formatDayRange({ from: '2026-10-05', to: '2026-10-05' }, 'en')).toBe('5 Oct 2026');
  });

  it('writes a day with its year only when it differs from the reference day', () => {
    expect(formatDay('2026-07-15', 'zh', '2026-10-31')).toBe('7月15日');
    expect(formatDay('2025-07-15', 'zh', '2026-10-31')).toBe('2025年7月15日');
    expect(formatDay('2026-07-15T00:00:00+08:00', 'en', '2026-10-31')).toBe('15 Jul');
    expect(formatDay('2026-07-15', 'en')).toBe('15 Jul 2026');
  });
});

describe('targets', () => {
  it('writes the target with the side of it that is good', () => {
    const workstations = KPI_DEFINITIONS.workstationCoverage;
    expect(targetValueText(workstations, 'zh')).toBe('≥ 82.0%');
    expect(targetText(workstations, 'zh')).toBe('目标 ≥ 82.0%');
    expect(targetText(KPI_DEFINITIONS.overdueCases, 'zh')).toBe('目标 ≤ 0件');
    expect(targetText(KPI_DEFINITIONS.overdueCases, 'en')).toBe('target ≤ 0');
    expect(targetText(KPI_DEFINITIONS.disputeResolution, 'zh')).toBe('无目标值');
  });
});

describe('ranking a place’s children', () => {
  it('ranks every KPI down to communities, only the per-grid ones inside a community', () => {
    for (const level of ['city', 'county', 'street', 'community'] as const) {
      expect(KPI_IDS.filter((id) => kpiRanksChildren(id, level))).toEqual([...KPI_IDS]);
    }
    expect(KPI_IDS.filter((id) => !kpiRanksChildren(id, 'grid'))).toEqual(['workstationCoverage', 'healthStandardised']);
  });

  it('steps through the KPIs offered, wrapping around, from one not offered to the first', () => {
    const ids = ['a', 'b', 'c'];
    expect(stepKpi(ids, 'a', 1)).toBe('b');
    expect(stepKpi(ids, 'c', 1)).toBe('a');
    expect(stepKpi(ids, 'a', -1)).toBe('c');
    expect(stepKpi(ids, 'b', -4)).toBe('a');
    expect(stepKpi(ids, 'z', 1)).toBe('a');
    expect(stepKpi([], 'a', 1)).toBeNull();
  });

  it('takes a sideways swipe of at least 60 px, mostly sideways, as next (left) or previous (right)', () => {
    expect(SWIPE_MIN_PX).toBe(60);
    expect(swipeDirection(-60, 0)).toBe(1);
    expect(swipeDirection(80, 10)).toBe(-1);
    expect(swipeDirection(-59, 0)).toBe(0);
    expect(swipeDirection(-100, 50)).toBe(0);
    expect(swipeDirection(-100, 49)).toBe(1);
  });
});

describe('the briefing’s strings', () => {
  function entries(table: unknown, path = ''): [string, string][] {
    if (typeof table === 'string') return [[path, table]];
    return Object.entries(table as Record<string, unknown>).flatMap(([key, value]) => entries(value, path ? `${path}.${key}` : key));
  }

  it('has the same keys in Chinese and English, and no Chinese in the English table', () => {
    expect(entries(BRIEF_TEXT.en).map(([path]) => path)).toEqual(entries(BRIEF_TEXT.zh).map(([path]) => path));
    expect(entries(BRIEF_TEXT.en).filter(([, text]) => CJK.test(text) || CJK_PUNCTUATION.test(text))).toEqual([]);
    for (const [path, text] of entries(BRIEF_TEXT.zh)) expect(text.trim(), path).not.toBe('');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('按{slice}统计：{range}', { slice: '周', range: '2026年10月1日至31日' })).toBe('按周统计：2026年10月1日至31日');
    expect(fill('{count} in all {other}', { count: 3 })).toBe('3 in all {other}');
  });
});
