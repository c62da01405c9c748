// The 数据管理 page's departmental target (多格合一): a department's grids go to admin.import as layer grids
// with the trimmed department name (none without a name), and the link to the 多格合一 room it reads.

import { describe, expect, it } from 'vitest';
import { DEPARTMENT_GRIDS, FORM_LAYERS, gridsPathOf, importTargetOf } from '../../client/src/modes/plan/data/data-import';
import { DATA_TEXT, layerLabel } from '../../client/src/modes/plan/data/data-text';

describe("a department's grid layer in the import form", () => {
  it('is offered after the unified layers, named in both languages', () => {
    expect(FORM_LAYERS.at(-1)).toBe(DEPARTMENT_GRIDS);
    expect(layerLabel(DEPARTMENT_GRIDS, DATA_TEXT.zh)).toBe('部门网格（多格合一）');
    expect(layerLabel(DEPARTMENT_GRIDS, DATA_TEXT.en)).toBe('Departmental grids');
  });

  it('is layer grids with the trimmed department; no target without a name; other layers carry none', () => {
    expect(importTargetOf(DEPARTMENT_GRIDS, '  安全生产 ')).toEqual({ layer: 'grids', department: '安全生产' });
    expect(importTargetOf(DEPARTMENT_GRIDS, '   ')).toBeNull();
    expect(importTargetOf('grids', '安全生产')).toEqual({ layer: 'grids' });
    expect(importTargetOf('facilities', '')).toEqual({ layer: 'facilities' });
  });

  it('links to the 多格合一 room by ?department=, encoded', () => {
    expect(gridsPathOf('市场监管')).toBe(`/plan/grids?department=${encodeURIComponent('市场监管')}`);
    expect(new URLSearchParams(gridsPathOf('a&b c').split('?')[1]).get('department')).toBe('a&b c');
  });
});
