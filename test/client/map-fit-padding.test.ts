// The room a map keeps clear when it fits its focus: as asked on a desk screen, shrunk on small screens so
// the focus keeps at least half the map (MapLibre refuses a fit whose padding leaves no room).

import { describe, expect, it } from 'vitest';
import { fitPaddingFor } from '../../client/src/map/atlas-map';

describe('fitPaddingFor', () => {
  it('is 32 px all round by default, as every map fitted before', () => {
    expect(fitPaddingFor({ clientWidth: 1440, clientHeight: 860 }, undefined)).toEqual({ top: 32, right: 32, bottom: 32, left: 32 });
  });

  it('keeps a side column clear on a desk screen', () => {
    const padding = { top: 72, right: 456, bottom: 32, left: 32 };
    expect(fitPaddingFor({ clientWidth: 1440, clientHeight: 860 }, padding)).toEqual(padding);
  });

  it('shrinks each axis in proportion so half the map stays for the focus', () => {
    const fitted = fitPaddingFor({ clientWidth: 600, clientHeight: 100 }, { top: 72, right: 456, bottom: 32, left: 32 });
    expect(fitted.left + fitted.right).toBeCloseTo(300, 9);
    expect(fitted.right / fitted.left).toBeCloseTo(456 / 32, 9);
    expect(fitted.top + fitted.bottom).toBeCloseTo(50, 9);
  });
});
