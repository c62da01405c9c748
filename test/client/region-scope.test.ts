// The region in focus held inside the caller's jurisdiction: it defaults to the jurisdiction (a grid's
// community for a grid), a ?region= above or outside it is replaced by it, and one inside it is kept.

import { describe, expect, it } from 'vitest';
import { PROVINCE_CODE, clampRegion, clampedRegionSearch, regionFrom, regionScopeOf } from '../../client/src/hooks/use-region';
import { parseScreenParams } from '../../client/src/modes/screen/screen-params';

const params = (search: string) => new URLSearchParams(search);
const BINHE = '210103005'; // 沈河区滨河街道

describe('regionScopeOf', () => {
  it('is the jurisdiction for an admin code of 2 to 12 digits', () => {
    for (const code of ['21', '2101', '210103', BINHE, '210103005001']) expect(regionScopeOf(code)).toBe(code);
  });

  it('is the community of a grid jurisdiction (15 digits)', () => {
    expect(regionScopeOf('210103005001002')).toBe('210103005001');
  });

  it('is the province until the jurisdiction is known, or when it is not a code', () => {
    for (const value of [undefined, null, '', '2', 'abc']) expect(regionScopeOf(value)).toBe(PROVINCE_CODE);
  });
});

describe('clampRegion', () => {
  it('keeps the scope and anything inside it', () => {
    expect(clampRegion(BINHE, BINHE)).toBe(BINHE);
    expect(clampRegion('210103005001', BINHE)).toBe('210103005001');
    expect(clampRegion('2101', '21')).toBe('2101');
  });

  it('replaces an ancestor or another area by the scope', () => {
    expect(clampRegion('21', BINHE)).toBe(BINHE);
    expect(clampRegion('2101', BINHE)).toBe(BINHE);
    expect(clampRegion('210103', BINHE)).toBe(BINHE);
    expect(clampRegion('210103006', BINHE)).toBe(BINHE);
    expect(clampRegion('2102', '2101')).toBe('2101');
  });
});

describe('regionFrom', () => {
  it('defaults to the scope', () => {
    expect(regionFrom(params(''), BINHE)).toBe(BINHE);
    expect(regionFrom(params(''))).toBe(PROVINCE_CODE);
    expect(regionFrom(params('region=21x'), '2101')).toBe('2101');
  });

  it('never goes above or outside the scope', () => {
    expect(regionFrom(params('region=21'), BINHE)).toBe(BINHE);
    expect(regionFrom(params('region=2102'), '2101')).toBe('2101');
    expect(regionFrom(params('region=210103005002'), BINHE)).toBe('210103005002');
  });

  it('holds the wall\'s region in the scope too', () => {
    expect(parseScreenParams(params('tour=0'), BINHE).region).toBe(BINHE);
    expect(parseScreenParams(params('region=2101&tour=0'), BINHE).region).toBe(BINHE);
    expect(parseScreenParams(params('region=2101'), '21').region).toBe('2101');
  });
});

describe('clampedRegionSearch', () => {
  it('leaves a URL without ?region=, or with one inside the scope, alone', () => {
    expect(clampedRegionSearch('', BINHE)).toBeNull();
    expect(clampedRegionSearch('?tour=0', BINHE)).toBeNull();
    expect(clampedRegionSearch(`?region=${BINHE}`, BINHE)).toBeNull();
    expect(clampedRegionSearch('?region=210103005001&lang=en', BINHE)).toBeNull();
  });

  it('drops a region above, outside or malformed, keeping the other parameters', () => {
    expect(clampedRegionSearch('?region=21&tour=0&lang=en', BINHE)).toBe('?tour=0&lang=en');
    expect(clampedRegionSearch('?region=2102', '2101')).toBe('');
    expect(clampedRegionSearch('?region=21x&scene=hotspots', '21')).toBe('?scene=hotspots');
  });
});
