// The 数据管理 page's pure parts: the coordinate-system choice and the column map as admin.import's input,
// every importer issue code named in Chinese, and import times in China time.

import { describe, expect, it } from 'vitest';
import { columnMapOf, crsOf, formatImportTime } from '../../client/src/modes/plan/data/data-import';
import { DATA_TEXT, issueCodeLabel, layerLabel } from '../../client/src/modes/plan/data/data-text';
import { DATA_LAYERS } from '../../server/domain/data-layers';

describe('the import form as admin.import input', () => {
  it('sends the chosen system, an EPSG code only when it is one, nothing for automatic', () => {
    expect(crsOf('auto', '')).toBeUndefined();
    expect(crsOf('gcj02', '')).toBe('gcj02');
    expect(crsOf('epsg', '4549')).toBe('EPSG:4549');
    expect(crsOf('epsg', 'epsg:4490')).toBe('EPSG:4490');
    expect(crsOf('epsg', 'abc')).toBeUndefined();
  });

  it('keeps the column map rows with both sides filled', () => {
    expect(columnMapOf([])).toBeUndefined();
    expect(columnMapOf([{ field: ' name ', column: '名称' }, { field: 'lng', column: '' }])).toEqual({ name: '名称' });
  });
});

describe('the page text', () => {
  it('names every layer in both languages', () => {
    for (const layer of DATA_LAYERS) {
      expect(layerLabel(layer, DATA_TEXT.zh)).not.toBe(layer);
      expect(layerLabel(layer, DATA_TEXT.en)).not.toBe(layer);
    }
  });

  it('names in Chinese the issue codes the importer writes', () => {
    for (const code of ['unreadable', 'invalid-geometry', 'wrong-type', 'missing-field', 'unknown-code', 'outside-parent', 'duplicate', 'grid-overlap', 'grid-gap', 'crs-shifted']) {
      expect(issueCodeLabel(code, DATA_TEXT.zh), code).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(issueCodeLabel('something-new', DATA_TEXT.zh)).toBe('something-new');
  });

  it('writes import times in China time', () => {
    expect(formatImportTime('2026-12-07T13:05:00.000Z', 'zh')).toBe('2026/12/07 21:05');
    expect(formatImportTime('not a time', 'zh')).toBe('not a time');
  });
});
