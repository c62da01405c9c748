// What-if layers and the comparison's helpers: dashes of a link, the middle of a cut segment, the
// colours of changed grids and of per-unit differences, the layers built from a set of edits, the
// comparison table's sorting and default grouping.

import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import {
  WHATIF_COLORS,
  WHATIF_LAYER_IDS,
  changedGridFill,
  createWhatIfDeltaLayer,
  createWhatIfEditLayers,
  crossStrokes,
  dashSegments,
  lineMidpoint,
} from '../../client/src/layers/whatif-edits-layer';
import { childGroupBy, deltaFill, sortUnits } from '../../client/src/modes/plan/whatif/whatif-compare';
import { linkLengthMeters } from '../../client/src/modes/plan/whatif/whatif-edits';
import { evaluate } from './layers/accessor';

describe('what-if layers', () => {
  it('dashes a link: dashes of the asked length, none past its end, none for a point', () => {
    const from: [number, number] = [123.4, 41.8];
    const to: [number, number] = [123.4, 41.801]; // about 111 m north
    const dashes = dashSegments(from, to, 10, 5);
    expect(dashes).toHaveLength(Math.ceil(linkLengthMeters([from, to]) / 15));
    expect(dashes[0]![0]).toEqual(from);
    expect(linkLengthMeters(dashes[0]!)).toBeCloseTo(10, 0);
    expect(dashes.at(-1)![1][1]).toBeLessThanOrEqual(to[1]);
    expect(dashSegments(from, from, 10, 5)).toEqual([]);
    expect(dashSegments(from, [124.4, 41.8], 1, 1).length).toBe(200);
  });

  it('draws a ✕ as two strokes crossing at the place, arms of the asked length', () => {
    const [a, b] = crossStrokes([{ lngLat: [123.4, 41.8], color: WHATIF_COLORS.cut }], 10);
    expect(linkLengthMeters([a!.from, a!.to])).toBeCloseTo(20 * Math.SQRT2, 0);
    expect((a!.from[0] + a!.to[0]) / 2).toBeCloseTo(123.4, 12);
    expect((b!.from[1] + b!.to[1]) / 2).toBeCloseTo(41.8, 12);
  });

  it('finds the middle of a line by length', () => {
    expect(lineMidpoint([[0, 0], [2, 0]])).toEqual([1, 0]);
    expect(lineMidpoint([[0, 0], [1, 0], [1, 3]])).toEqual([1, 1]);
    expect(lineMidpoint([[5, 5]])).toEqual([5, 5]);
  });

  it('colours changed grids gained / lost, and per-unit differences blue / orange by size', () => {
    expect(changedGridFill({ code: 'g', coveredBefore: 10, coveredAfter: 30 })).toEqual(WHATIF_COLORS.gained);
    expect(changedGridFill({ code: 'g', coveredBefore: 30, coveredAfter: 10 })).toEqual(WHATIF_COLORS.lost);
    expect(changedGridFill({ code: 'g', coveredBefore: 30, coveredAfter: 30 })).toBeNull();
    expect(deltaFill(0, 100)).toBeNull();
    expect(deltaFill(100, 100)).toEqual([33, 102, 172, 230]);
    expect(deltaFill(-50, 100)).toEqual([230, 97, 1, 145]);
    expect(deltaFill(5, 0)).toBeNull();
  });

  it('draws only the changed grids, each in its colour', () => {
    const square = (code: string, x: number) => ({
      type: 'Feature' as const,
      properties: { code },
      geometry: { type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] } as Polygon,
    });
    const grids: FeatureCollection<Polygon, { code: string }> = { type: 'FeatureCollection', features: [square('a', 0), square('b', 1), square('c', 2)] };
    const layer = createWhatIfDeltaLayer(grids, [
      { code: 'a', coveredBefore: 0, coveredAfter: 5 },
      { code: 'c', coveredBefore: 5, coveredAfter: 0 },
    ]);
    const data = layer.props.data as typeof grids.features;
    expect(data.map((f) => f.properties.code)).toEqual(['a', 'c']);
    expect(evaluate(layer.props.getFillColor, data[0])).toEqual(WHATIF_COLORS.gained);
    expect(evaluate(layer.props.getFillColor, data[1])).toEqual(WHATIF_COLORS.lost);
  });

  it('builds the edit layers: draggable sites by source colour, crosses for closures and cuts, dashes and lengths for links', () => {
    const layers = createWhatIfEditLayers(
      {
        sites: [
          { index: 0, lngLat: [123.4, 41.8], source: 'manual' },
          { index: 1, lngLat: [123.41, 41.8], source: 'proposal' },
        ],
        closed: [{ id: 7, lngLat: [123.42, 41.8] }],
        links: [{ index: 0, from: [123.4, 41.8], to: [123.4, 41.801], label: '111 米' }],
        cuts: [{ id: 9, lngLat: [123.43, 41.8] }],
      },
      { dashMeters: 10 },
    );
    const byId = new Map(layers.map((layer) => [layer.id, layer]));
    const sites = byId.get(WHATIF_LAYER_IDS.sites)! as unknown as { props: { pickable: boolean; data: unknown; getFillColor: unknown } };
    expect(sites.props.pickable).toBe(true);
    const siteData = sites.props.data as { source: string }[];
    expect(evaluate(sites.props.getFillColor, siteData[0])).toEqual(WHATIF_COLORS.site);
    expect(evaluate(sites.props.getFillColor, siteData[1])).toEqual(WHATIF_COLORS.proposal);
    const crosses = byId.get('whatif-crosses')!;
    const crossData = crosses.props.data as unknown[];
    // Two strokes per ✕: the closure's, then the cut's.
    expect(crossData.map((d) => evaluate(crosses.props.getColor, d))).toEqual([WHATIF_COLORS.closed, WHATIF_COLORS.closed, WHATIF_COLORS.cut, WHATIF_COLORS.cut]);
    expect((byId.get('whatif-links')!.props.data as unknown[]).length).toBeGreaterThan(5);
    expect((byId.get('whatif-link-lengths')!.props.data as { label: string }[]).map((d) => d.label)).toEqual(['111 米']);
  });
});

describe('scenario comparison table', () => {
  const units = [
    { code: '210103001', name: '滨河街道', population: 100, coveredA: 50, coveredB: 70, delta: 20 },
    { code: '210103002', name: '北站街道', population: 300, coveredA: 90, coveredB: 80, delta: -10 },
    { code: '210103003', name: '万莲街道', population: 200, coveredA: 10, coveredB: 10, delta: 0 },
  ];
  it('sorts by any column, names by Chinese collation, ties by code', () => {
    expect(sortUnits(units, 'delta', true).map((u) => u.delta)).toEqual([20, 0, -10]);
    expect(sortUnits(units, 'population', false).map((u) => u.population)).toEqual([100, 200, 300]);
    const byName = sortUnits(units, 'name', false).map((u) => u.name);
    expect(byName).toEqual([...byName].sort(new Intl.Collator('zh-CN').compare));
    expect(sortUnits([units[2]!, { ...units[2]!, code: '210103000' }], 'delta', true).map((u) => u.code)).toEqual(['210103000', '210103003']);
  });

  it('groups by the focus\'s children by default', () => {
    expect(childGroupBy('21')).toBe('county');
    expect(childGroupBy('2101')).toBe('county');
    expect(childGroupBy('210103')).toBe('street');
    expect(childGroupBy('210103005')).toBe('community');
    expect(childGroupBy('210103005001')).toBe('grid');
  });
});
