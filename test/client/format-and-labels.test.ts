// Numbers and dates per UI language (zh-CN conventions for zh, English for en, China time for clocks),
// and the UI string tables: the English ones hold no Chinese, and the vocabulary the client shows has a
// label in both languages in server/domain.

import { describe, expect, it } from 'vitest';
import { ADMIN_LEVEL_LABELS } from '../../server/domain/admin-codes';
import { DISPUTE_TYPES, DISPUTE_SOURCES, categoryLabel } from '../../server/domain/dispute-categories';
import { DISPUTE_SEVERITY_LABELS, DISPUTE_STATUS_LABELS, HANDLING_LEVEL_LABELS } from '../../server/domain/dispute-workflow';
import { FACILITY_KIND_LABELS } from '../../server/domain/facility-kinds';
import { solverText } from '../../client/src/components/solver-text';
import {
  formatChinaTime,
  formatClockDate,
  formatDayKey,
  formatDecimal,
  formatEventTime,
  formatInteger,
  formatPercent,
  formatPopulation,
} from '../../client/src/format';
import { MESSAGES } from '../../client/src/i18n';
import { SCREEN_TEXT } from '../../client/src/modes/screen/screen-text';

const CJK = /[\u3400-\u9fff]/;
/** Chinese punctuation that must not appear in English text either: ：，、（）。 */
const CJK_PUNCTUATION = /[\uff1a\uff0c\u3001\uff08\uff09\u3002]/;

/** Every string in a nested table, with its path. */
function strings(table: unknown, path = ''): [string, string][] {
  if (typeof table === 'string') return [[path, table]];
  return Object.entries(table as Record<string, unknown>).flatMap(([key, value]) => strings(value, path ? `${path}.${key}` : key));
}

describe('numbers', () => {
  it('writes populations in 万 and 亿 for zh, with thousands separators for en', () => {
    expect(formatPopulation(782_628, 'zh')).toBe('78.26万');
    expect(formatPopulation(42_591_407, 'zh')).toBe('4259.14万');
    expect(formatPopulation(123_456_789, 'zh')).toBe('1.23亿');
    expect(formatPopulation(9_999, 'zh')).toBe('9,999');
    expect(formatPopulation(782_628, 'en')).toBe('782,628');
    expect(formatPopulation(null, 'en')).toBe('—');
  });

  it('writes integers, decimals and percentages', () => {
    expect(formatInteger(1_234_567, 'en')).toBe('1,234,567');
    expect(formatInteger(1_234_567, 'zh')).toBe('1,234,567');
    expect(formatInteger(undefined, 'zh')).toBe('—');
    expect(formatDecimal(1234.56, 'en')).toBe('1,234.6');
    expect(formatPercent(0.8236)).toBe('82.4%');
    expect(formatPercent(0.9, 0)).toBe('90%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('dates and times', () => {
  // 2026-10-31 23:59 and 2026-11-01 00:01, China time.
  const lateOct31 = Date.UTC(2026, 9, 31, 15, 59);
  const earlyNov1 = Date.UTC(2026, 9, 31, 16, 1);

  it('tells the time in China time whatever the machine\'s zone', () => {
    expect(formatChinaTime(Date.UTC(2026, 0, 1, 0, 0, 5))).toBe('08:00:05');
    expect(formatChinaTime(earlyNov1)).toBe('00:01:00');
  });

  it('writes the wall\'s date line in each language', () => {
    expect(formatClockDate(earlyNov1, 'zh')).toBe('2026年11月1日星期日');
    expect(formatClockDate(earlyNov1, 'en')).toBe('Sun, 1 Nov 2026');
  });

  it('shows an event\'s time of day on the same China-time day, its date before', () => {
    expect(formatEventTime(earlyNov1, earlyNov1 + 3_600_000, 'en')).toBe('00:01');
    expect(formatEventTime(lateOct31, earlyNov1, 'zh')).toBe('10/31');
    expect(formatEventTime(lateOct31, earlyNov1, 'en')).toBe('31/10');
  });

  it('writes day keys as axis labels without shifting the day', () => {
    expect(formatDayKey('2026-11-01', 'zh')).toBe('11/01');
    expect(formatDayKey('2026-11-01', 'en')).toBe('1 Nov');
    expect(formatDayKey('2026-W44', 'en')).toBe('2026-W44');
  });
});

describe('UI strings', () => {
  it('has no Chinese in the English tables', () => {
    const offending = [...strings(MESSAGES.en), ...strings(SCREEN_TEXT.en)].filter(([, text]) => CJK.test(text) || CJK_PUNCTUATION.test(text));
    expect(offending).toEqual([]);
  });

  it('has every Chinese string filled in', () => {
    const empty = [...strings(MESSAGES.zh), ...strings(SCREEN_TEXT.zh)].filter(([path, text]) => text.trim() === '' && path !== 'colon' && path !== 'listSeparator');
    expect(empty).toEqual([]);
  });

  it('puts the siting solver\'s known phrases into Chinese for zh and leaves English alone', () => {
    const solver = 'lazy greedy, swap search';
    expect(solverText(solver, 'en')).toBe(solver);
    expect(solverText(solver, 'zh')).toBe('惰性贪心，交换搜索');
    expect(solverText('HiGHS MIP (optimal)', 'zh')).toBe('HiGHS 整数规划（最优）');
    // The exact mode's reduced model and engines.
    expect(solverText('lazy greedy + swap search; model reduced to 412 demand groups × 96 candidates; CBC MIP on the reduced model', 'zh')).toBe(
      '惰性贪心 + 交换搜索；模型约简为 412 个需求组 × 96 个候选点；约简模型上的 CBC 整数规划',
    );
    expect(solverText('Lagrangian reduced-cost fixing', 'zh')).toBe('拉格朗日约简成本固定');
    expect(solverText('CBC MIP dual bound', 'zh')).toBe('CBC 整数规划对偶界');
    expect(solverText('Lagrangian relaxation (reduced model)', 'zh')).toBe('拉格朗日松弛（约简模型）');
  });
});

describe('vocabulary labels from server/domain', () => {
  it('names every key in both languages, English without Chinese', () => {
    const tables: Record<string, Record<string, { zh: string; en: string }>> = {
      statuses: DISPUTE_STATUS_LABELS,
      severities: DISPUTE_SEVERITY_LABELS,
      handlingLevels: HANDLING_LEVEL_LABELS,
      facilityKinds: FACILITY_KIND_LABELS,
      adminLevels: ADMIN_LEVEL_LABELS,
    };
    for (const [name, table] of Object.entries(tables)) {
      for (const [key, label] of Object.entries(table)) {
        expect(label.zh, `${name}.${key}`).toMatch(CJK);
        expect(label.en, `${name}.${key}`).not.toMatch(CJK);
        expect(label.en.length, `${name}.${key}`).toBeGreaterThan(0);
      }
    }
    for (const list of [DISPUTE_TYPES, DISPUTE_SOURCES]) {
      for (const { key } of list) {
        expect(categoryLabel(list, key, 'en')).not.toMatch(CJK);
        expect(categoryLabel(list, key, 'zh')).toMatch(CJK);
      }
    }
  });
});
