// The 数据管理 page's departmental target (多格合一): a department's grids go to admin.import as layer grids
// with the trimmed department name (none without a name), and the link to the 多格合一 room (the department,
// on the smallest unit holding the unified grids it overlaps).

import { describe, expect, it } from 'vitest';
import { DEPARTMENT_GRIDS, FORM_LAYERS, gridsPathOf, importTargetOf, unitHoldingGrids } from '../../client/src/modes/plan/data/data-import';
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

  it('links to the 多格合一 room by ?department=, encoded, and ?within= when given', () => {
    expect(gridsPathOf('市场监管')).toBe(`/plan/grids?department=${encodeURIComponent('市场监管')}`);
    const params = new URLSearchParams(gridsPathOf('a&b c', '210102').split('?')[1]);
    expect([params.get('department'), params.get('within')]).toEqual(['a&b c', '210102']);
  });

  it('opens on the smallest unit holding the grids: a community, a street, a county, a city, the province', () => {
    expect(unitHoldingGrids([])).toBeNull();
    expect(unitHoldingGrids(['210102001001001', '210102001001002'])).toBe('210102001001');
    expect(unitHoldingGrids(['210102001001001', '210102001002001'])).toBe('210102001');
    // A common prefix between levels is cut back to a unit: 2101020 → the county 210102.
    expect(unitHoldingGrids(['210102001001001', '210102002001001'])).toBe('210102');
    expect(unitHoldingGrids(['210102001001001', '210103001001001'])).toBe('2101');
    expect(unitHoldingGrids(['210102001001001', '210203001001001'])).toBe('21');
    expect(unitHoldingGrids(['210102001001001', '220102001001001'])).toBeNull();
  });
});
