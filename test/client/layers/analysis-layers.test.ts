// The analysis layer builders (coverage gaps and service areas, hot spot classes and emerging categories,
// live events, siting proposals, kernel density): ids, data, the colour, radius or width each datum gets,
// and the update triggers.

import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { EmergingCellProperties, GapProperties, HotspotCellProperties, ServiceAreaProperties } from '../../../client/src/api-types';
import type { LiveEvent } from '../../../client/src/hooks/use-live-events';
import { GAP_COLORS, SERVICE_AREA_COLORS } from '../../../client/src/layers/coverage-colors';
import { MIN_GAP_RADIUS_PIXELS, createCoverageGapLayer, gapFill, gapRadiusPixels } from '../../../client/src/layers/coverage-gap-layer';
import { createServiceAreaLayer } from '../../../client/src/layers/coverage-service-area-layer';
import { createEmergingHotspotLayer, createHotspotClassLayer } from '../../../client/src/layers/hotspot-class-layer';
import { EMERGING_CATEGORY_COLORS, HOTSPOT_CLASS_COLORS } from '../../../client/src/layers/hotspot-colors';
import { KERNEL_DENSITY_RAMP, createKernelDensityLayer, densityToRgba } from '../../../client/src/layers/kernel-density-layer';
import type { KernelDensityGrid } from '../../../client/src/layers/kernel-density-grid';
import { PULSE_MS, SEVERITY_COLORS, createLiveEventLayers } from '../../../client/src/layers/live-event-layer';
import { DEFAULT_PROPOSAL_COLOR, catchmentRadiusMeters, createSitingProposalLayers, type SitingProposalDatum } from '../../../client/src/layers/siting-proposals-layer';
import type { Rgba } from '../../../client/src/layers/color-scales';
import { evaluate } from './accessor';
import { gapGrid, hotspotCell, square, squarePolygon } from './fixtures';

describe('coverage gaps', () => {
  it('sizes circles by area: radius ∝ √residents, the largest at maxRadius, specks dropped', () => {
    expect(gapRadiusPixels(400, 400, 3)).toBe(3);
    expect(gapRadiusPixels(100, 400, 3)).toBeCloseTo(1.5, 12);
    expect(gapRadiusPixels(1, 400, 3)).toBe(0);
    expect(3 * Math.sqrt(1 / 400)).toBeLessThan(MIN_GAP_RADIUS_PIXELS);
    expect(gapRadiusPixels(5, 0, 3)).toBe(0);
  });

  it('fills from a third of the colour\'s opacity (nobody uncovered) to all of it (everybody), clamped', () => {
    const [r, g, b, a] = GAP_COLORS.fill;
    expect(gapFill(0)).toEqual([r, g, b, Math.round(a / 3)]);
    expect(gapFill(1)).toEqual(GAP_COLORS.fill);
    expect(gapFill(0.5)).toEqual([r, g, b, Math.round(a * (1 / 3 + 1 / 3))]);
    expect(gapFill(7)).toEqual(GAP_COLORS.fill);
    expect(gapFill(-1, [10, 20, 30, 90])).toEqual([10, 20, 30, 30]);
  });

  const polygons: FeatureCollection<MultiPolygon | Point, GapProperties> = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: gapGrid('210102001001001', 1000, 250), geometry: square(123.4, 41.8) },
      { type: 'Feature', properties: gapGrid('210102001001002', 500, 500), geometry: { type: 'Point', coordinates: [123.41, 41.81] } },
    ],
  };

  it('fills polygons by their uncovered share and circles fully, sized against the largest gap', () => {
    const color: Rgba = [244, 63, 170, 170];
    const layer = createCoverageGapLayer(polygons, { id: 'gaps', maxRadiusPixels: 4, color });
    expect(layer.id).toBe('gaps');
    expect(layer.props.data).toBe(polygons);
    const [polygon, point] = polygons.features;
    expect(evaluate(layer.props.getFillColor, polygon)).toEqual(gapFill(0.25, color));
    expect(evaluate(layer.props.getFillColor, point)).toEqual(gapFill(1, color));
    expect(evaluate(layer.props.getPointRadius, point)).toBe(4);
    expect(evaluate(layer.props.getLineWidth, polygon)).toBe(0.6);
    expect(evaluate(layer.props.getLineWidth, point)).toBe(0);
    expect(layer.props.updateTriggers).toEqual({ getPointRadius: [500, 4], getFillColor: ['244,63,170,170'] });
  });
});

describe('createServiceAreaLayer', () => {
  it('colours service areas by how they were measured', () => {
    const area = (method: ServiceAreaProperties['method']): Feature<MultiPolygon, ServiceAreaProperties> => ({
      type: 'Feature',
      properties: { kind: 'health_station', method, facilityId: null, facilityName: null, facilityCount: 4, maxMeters: 1000, cellMeters: null },
      geometry: square(123.4, 41.8),
    });
    const data: FeatureCollection<MultiPolygon, ServiceAreaProperties> = { type: 'FeatureCollection', features: [area('network'), area('straight-line')] };
    const layer = createServiceAreaLayer(data, { id: 'areas' });
    expect(layer.props.data).toBe(data);
    expect(data.features.map((f) => evaluate(layer.props.getFillColor, f))).toEqual([SERVICE_AREA_COLORS.network.fill, SERVICE_AREA_COLORS['straight-line'].fill]);
    expect(data.features.map((f) => evaluate(layer.props.getLineColor, f))).toEqual([SERVICE_AREA_COLORS.network.line, SERVICE_AREA_COLORS['straight-line'].line]);
    expect(evaluate(layer.props.getLineWidth, data.features[0])).toBe(1);
  });
});

describe('hot spot layers', () => {
  const cells: FeatureCollection<Polygon, HotspotCellProperties> = {
    type: 'FeatureCollection',
    features: [hotspotCell('a', 3, 20), hotspotCell('b', 0, 2), hotspotCell('c', -2, 0)],
  };

  it('fills cells in their class colour for the theme, class 0 transparent unless asked for', () => {
    const layer = createHotspotClassLayer(cells, { id: 'cells', theme: 'dark' });
    expect(layer.props.data).toBe(cells);
    expect(cells.features.map((f) => evaluate(layer.props.getFillColor, f))).toEqual([HOTSPOT_CLASS_COLORS.dark[3], [0, 0, 0, 0], HOTSPOT_CLASS_COLORS.dark[-2]]);
    const faint = createHotspotClassLayer(cells, { id: 'cells', theme: 'light', showInsignificant: true });
    expect(evaluate(faint.props.getFillColor, cells.features[1])).toEqual(HOTSPOT_CLASS_COLORS.light[0]);
    expect(faint.props.updateTriggers).toEqual({ getFillColor: ['light', true] });
    expect(faint.props.pickable).toBe(false);
  });

  it('fills emerging cells by category', () => {
    const cell = (category: EmergingCellProperties['category']): Feature<Polygon, EmergingCellProperties> => ({
      type: 'Feature',
      properties: { id: category, name: null, count: 5, category, hotSlices: 3, coldSlices: 0, trendZ: 2.1, trendP: 0.03, lastZ: 2.7 },
      geometry: squarePolygon(123.4, 41.8),
    });
    const data: FeatureCollection<Polygon, EmergingCellProperties> = { type: 'FeatureCollection', features: [cell('intensifyingHot'), cell('persistentCold')] };
    const layer = createEmergingHotspotLayer(data, { id: 'emerging' });
    expect(data.features.map((f) => evaluate(layer.props.getFillColor, f))).toEqual([EMERGING_CATEGORY_COLORS.intensifyingHot, EMERGING_CATEGORY_COLORS.persistentCold]);
  });
});

describe('createLiveEventLayers', () => {
  const event = (disputeId: number, severity: LiveEvent['severity'], receivedAt: number): LiveEvent => ({
    seq: disputeId,
    disputeId,
    step: 1,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    at: receivedAt,
    handlingLevel: 'grid',
    placeCode: '210102001001001',
    placeName: null,
    otherSideCode: null,
    lngLat: [123.4 + disputeId / 100, 41.8],
    type: 'neighbour',
    source: 'patrol',
    severity,
    dueAt: receivedAt + 864_000_000,
    receivedAt,
  });
  const clockMs = 1_000_000;
  const events = [event(1, 'critical', clockMs - 15_000), event(2, 'general', clockMs - PULSE_MS - 1)];

  it('pulses only fresh events, growing and fading with age; dots for every event in severity colours', () => {
    const [pulse, dots] = createLiveEventLayers(events, { id: 'live', clockMs, radiusPixels: 4 });
    expect([pulse!.id, dots!.id]).toEqual(['live-pulse', 'live-dots']);
    expect(pulse!.props.data).toEqual([events[0]]);
    expect(dots!.props.data).toBe(events);
    // A quarter of the way through its pulse: radius 4 × (1.5 + 5 × 0.25), alpha 255 × 0.75.
    expect(evaluate(pulse!.props.getRadius, events[0])).toBeCloseTo(4 * 2.75, 12);
    const [r, g, b] = SEVERITY_COLORS.critical;
    expect(evaluate(pulse!.props.getLineColor, events[0])).toEqual([r, g, b, Math.round(255 * 0.75)]);
    expect(events.map((e) => evaluate(dots!.props.getFillColor, e))).toEqual([SEVERITY_COLORS.critical, SEVERITY_COLORS.general]);
    expect(evaluate(dots!.props.getPosition, events[1])).toEqual([123.42, 41.8]);
    expect(pulse!.props.updateTriggers).toEqual({ getRadius: clockMs, getLineColor: clockMs });
  });
});

describe('siting proposals', () => {
  const proposals: SitingProposalDatum[] = [
    { rank: 1, lngLat: [123.4, 41.8], label: 'grid 1', marginalPopulation: 900 },
    { rank: 2, lngLat: [123.5, 41.9], label: 'grid 2', marginalPopulation: 400 },
  ];

  it('has a catchment radius of the walked reach over the detour factor', () => {
    // 15 min at 4 km/h = 1,000 m, over a detour factor of 1.25.
    expect(catchmentRadiusMeters(15, 4, 1.25)).toBeCloseTo(800, 9);
  });

  it('draws catchments, markers and rank numbers, the highlighted rank emphasised', () => {
    const layers = createSitingProposalLayers(proposals, { catchmentRadiusMeters: 800, highlightedRank: 2 });
    expect(layers.map((layer) => layer.id)).toEqual(['siting-proposals-catchments', 'siting-proposals-markers', 'siting-proposals-ranks']);
    // The list mixes layer classes: read each one's props by name.
    const [catchments, markers, ranks] = layers.map((layer) => ({ props: layer.props as unknown as Record<string, unknown> }));
    for (const layer of layers) expect(layer.props.data).toBe(proposals);
    expect(evaluate(catchments!.props.getRadius, proposals[0])).toBe(800);
    const [r, g, b] = DEFAULT_PROPOSAL_COLOR;
    expect(proposals.map((p) => evaluate(catchments!.props.getFillColor, p))).toEqual([[r, g, b, 28], [r, g, b, 70]]);
    expect(proposals.map((p) => evaluate(markers!.props.getRadius, p))).toEqual([10, 13]);
    expect(markers!.props.updateTriggers).toEqual({ getRadius: [2] });
    expect(proposals.map((p) => evaluate(ranks!.props.getText, p))).toEqual(['1', '2']);
  });

  it('draws no catchments for network travel', () => {
    const layers = createSitingProposalLayers(proposals, { id: 'p', catchmentRadiusMeters: null, highlightedRank: null });
    expect(layers.map((layer) => layer.id)).toEqual(['p-markers', 'p-ranks']);
  });
});

describe('kernel density layer', () => {
  const grid: KernelDensityGrid = {
    bounds: [123, 41, 124, 42],
    width: 3,
    height: 1,
    densityPerSquareKm: Float32Array.from([0, 5, 10]),
    maxDensityPerSquareKm: 10,
  };

  it('maps density to the ramp: 0 transparent, the maximum the last colour, halfway interpolated', () => {
    const pixels = densityToRgba(grid);
    const last = KERNEL_DENSITY_RAMP[KERNEL_DENSITY_RAMP.length - 1]!;
    expect([...pixels.slice(0, 4)]).toEqual(KERNEL_DENSITY_RAMP[0]);
    expect([...pixels.slice(8, 12)]).toEqual(last);
    // t = 0.5 over 6 ramp colours: position 2.5, between ramp[2] and ramp[3].
    const mid = KERNEL_DENSITY_RAMP[2]!.map((c, i) => Math.round((c + KERNEL_DENSITY_RAMP[3]![i]!) / 2));
    expect([...pixels.slice(4, 8)]).toEqual(mid);
  });

  it('saturates at a fixed maximum and draws the raster over its bounds', () => {
    const pixels = densityToRgba(grid, 5);
    const last = KERNEL_DENSITY_RAMP[KERNEL_DENSITY_RAMP.length - 1]!;
    expect([...pixels.slice(4, 8)]).toEqual(last);
    expect([...pixels.slice(8, 12)]).toEqual(last);
    const layer = createKernelDensityLayer(grid, { id: 'kde', opacity: 0.5 });
    expect(layer.id).toBe('kde');
    expect(layer.props.bounds).toEqual([123, 41, 124, 42]);
    expect(layer.props.opacity).toBe(0.5);
  });
});
