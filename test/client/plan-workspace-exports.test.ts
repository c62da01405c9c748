// The planner workspace's exports and legend as data: CSV quoting and BOM, the scale bar's round
// distances, the legend entries of each question (shared by the screen and the PNG), the search.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCsv, csvField, metersPerPixel, scaleBar } from '../../client/src/modes/plan/plan-export';
import { completenessClassTexts, planLegendModel, rateClassTexts } from '../../client/src/modes/plan/plan-legend';
import { searchUnits } from '../../client/src/modes/plan/plan-search';
import { planTableValues } from '../../client/src/modes/plan/plan-table-section';
import { MESSAGES } from '../../client/src/i18n';
import { FACILITY_KIND_LABELS } from '../../server/domain/facility-kinds';
import { COMPLETENESS_PALETTE, completenessClass } from '../../client/src/layers/completeness-colors';
import { RATE_PALETTES } from '../../client/src/layers/coverage-colors';

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks and starts with a byte-order mark', () => {
    expect(csvField('沈河区')).toBe('沈河区');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    const text = buildCsv(['名称', '人口'], [['北站街道', 1200], ['x\ny', null]]);
    expect(text).toBe('\uFEFF名称,人口\r\n北站街道,1200\r\n"x\ny",\r\n');
  });

  it('reads back in GDAL (ogrinfo, as QGIS opens it): every row, Chinese names, quoted commas and numbers typed', () => {
    const rows = [
      ['210103001', '北站街道', 31_250, 0.823],
      ['210103002', '风雨坛街道, 东', 18_004, 0.5],
      ['210103003', '说 "好" 社区', 0, null],
    ] as const;
    const dir = mkdtempSync(join(tmpdir(), 'plan-csv-'));
    try {
      const path = join(dir, 'table.csv');
      writeFileSync(path, buildCsv(['代码', '名称', '常住人口', '覆盖率'], rows));
      const listing = execFileSync('ogrinfo', ['-ro', '-al', '-oo', 'AUTODETECT_TYPE=YES', path], { encoding: 'utf8' });
      expect(listing).toMatch(/^Feature Count: 3$/m);
      expect(listing).toMatch(/常住人口: Integer/);
      for (const [, name, population] of rows) {
        expect(listing).toContain(`名称 (String) = ${name}`);
        expect(listing).toContain(`常住人口 (Integer) = ${population}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the coverage table with rates in per cent and uncovered residents', () => {
    const { header, rows } = planTableValues(
      {
        kind: 'coverage',
        rows: [{ code: '210103001', name: '北站', level: 'street', population: 1000, coveredPopulation: 823, rate: 0.823, networkPopulation: 1000, method: 'network' }],
      },
      MESSAGES.zh,
      'zh',
    );
    expect(header).toEqual(['代码', '名称', '常住人口', '已覆盖', '覆盖率 (%)', '未覆盖']);
    expect(rows).toEqual([['210103001', '北站', 1000, 823, 82.3, 177]]);
  });

  it('writes what each community lacks by the kinds\' names', () => {
    const { rows } = planTableValues(
      {
        kind: 'completeness',
        rows: [
          {
            code: '210103001001',
            name: '甲社区',
            level: 'community',
            population: 900,
            kindsWithin: 6,
            kindsTotal: 8,
            missing: ['health_station', 'elder_day_care'],
            shares: {},
            completeResidents: 0,
          },
        ],
      },
      MESSAGES.en,
      'en',
    );
    expect(rows[0]).toEqual(['210103001001', '甲社区', 900, 6, 8, `${FACILITY_KIND_LABELS.health_station.en}; ${FACILITY_KIND_LABELS.elder_day_care.en}`]);
  });
});

describe('scale bar', () => {
  it('picks the longest 1-2-5 distance that fits', () => {
    // 512-px tiles: at zoom 12 and latitude 41.8° one CSS pixel is 40,075,017 × cos 41.8° / 2,097,152 ≈ 14.2 m;
    // 140 px ≈ 1.99 km → a 1 km bar; at zoom 11, 140 px ≈ 3.99 km → 2 km.
    const perPixel = metersPerPixel(41.8, 12);
    expect(perPixel).toBeCloseTo(14.25, 1);
    const bar = scaleBar(perPixel, 140);
    expect(bar.meters).toBe(1000);
    expect(bar.pixels).toBeCloseTo(1000 / perPixel, 6);
    expect(scaleBar(metersPerPixel(41.8, 11), 140).meters).toBe(2000);
    expect(scaleBar(1, 140).meters).toBe(100);
    expect(scaleBar(1, 99).meters).toBe(50);
  });
});

describe('legend model', () => {
  const base = { t: MESSAGES.zh, lang: 'zh' as const, gapsAsPoints: false, showAreas: true, completenessMinutes: null, kindsTotal: 8 };

  it('shows the rate classes and outlined service areas for coverage', () => {
    const model = planLegendModel('coverage', base);
    expect(model.entries.slice(0, 5).map((e) => e.color)).toEqual(RATE_PALETTES.light);
    expect(model.entries.slice(0, 5).map((e) => e.text)).toEqual(rateClassTexts());
    expect(rateClassTexts()).toEqual(['< 50%', '50% – 70%', '70% – 85%', '85% – 95%', '≥ 95%']);
    expect(model.entries.slice(5).map((e) => e.shape)).toEqual(['outline', 'outline']);
  });

  it('names the kinds and GB 50180-2018 distances for completeness, or the one walking time', () => {
    const model = planLegendModel('completeness', base);
    expect(model.entries.map((e) => e.color)).toEqual(COMPLETENESS_PALETTE);
    expect(model.note).toContain('GB 50180-2018');
    expect(model.note).toContain('社区卫生服务站 300 米');
    expect(model.note).toContain('社区卫生服务中心 1000 米');
    expect(planLegendModel('completeness', { ...base, completenessMinutes: 10 }).note).toBe('所有类型统一 10 分钟步行');
  });

  it('labels each completeness class with the kinds counts that fall in it', () => {
    const texts = completenessClassTexts(8, MESSAGES.zh, 'zh');
    expect(texts).toEqual(['0–3 类', '4 类', '5–6 类', '7 类', '全部 8 类']);
    // Every count lands in the class whose text names it.
    for (let within = 0; within <= 8; within++) {
      const text = texts[completenessClass(within, 8)]!;
      const [from, to] = text.includes('全部') ? [8, 8] : text.replace(' 类', '').split('–').map(Number).concat([]);
      expect(within).toBeGreaterThanOrEqual(from!);
      expect(within).toBeLessThanOrEqual(to ?? from!);
    }
  });

  it('draws the gaps as dots for a city and as grid fills below', () => {
    expect(planLegendModel('gaps', { ...base, gapsAsPoints: true }).entries[0]!.shape).toBe('dot');
    expect(planLegendModel('gaps', base).entries[0]!.shape).toBe('fill');
  });
});

describe('search', () => {
  const entries = [
    { code: '210103', name: '沈河区', levelLabel: '区县' },
    { code: '210103001', name: '北站街道', levelLabel: '街道' },
    { code: '210103001001', name: '北站社区', levelLabel: '社区' },
    { code: '210103002', name: '南塔街道', levelLabel: '街道' },
    { code: '210103001', name: '北站街道', levelLabel: '街道' },
  ];

  it('matches names (shortest first, then by code) and code prefixes (coarsest first), without duplicates', () => {
    expect(searchUnits(entries, '北站').map((e) => e.code)).toEqual(['210103001', '210103001001']);
    expect(searchUnits(entries, '南').map((e) => e.name)).toEqual(['南塔街道']);
    expect(searchUnits(entries, '210103001').map((e) => e.code)).toEqual(['210103001', '210103001001']);
    expect(searchUnits(entries, '  ')).toEqual([]);
    expect(searchUnits(entries, '铁西')).toEqual([]);
  });
});
