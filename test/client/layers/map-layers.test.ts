// The admin, boundary-line and boundary-risk layer builders: ids, data passed through unchanged (stable
// geometry), the colour and width each feature gets, and the update triggers that recolour without
// rebuilding geometry.

import { describe, expect, it, vi } from 'vitest';
import type { FeatureCollection, LineString, MultiPolygon } from 'geojson';
import type { BoundaryLineProperties, BoundaryRiskProperties, MapUnitProperties } from '../../../client/src/api-types';
import { HOVER_LINE_COLOR, createAdminFillLayer } from '../../../client/src/layers/admin-fill-layer';
import { createBoundaryLineLayer } from '../../../client/src/layers/boundary-line-layer';
import { NO_AGREEMENT_CASING, RISK_WIDTH_FACTOR, createBoundaryRiskLayers } from '../../../client/src/layers/boundary-risk-layer';
import { BOUNDARY_RISK_COLORS } from '../../../client/src/layers/hotspot-colors';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, type Rgba } from '../../../client/src/layers/color-scales';
import { LINE_STYLE } from '../../../client/src/map/admin-style';
import { evaluate } from './accessor';
import { boundaryLine, mapUnit, riskLine } from './fixtures';

describe('createAdminFillLayer', () => {
  const units: FeatureCollection<MultiPolygon, MapUnitProperties> = {
    type: 'FeatureCollection',
    features: [mapUnit('210102', 800_000), mapUnit('210103', 600_000), mapUnit('210203', 300_000)],
  };
  const inFocus: Rgba = classColor(SEQUENTIAL_PALETTES.dark, 2, 5);
  const base = {
    id: 'admin-counties',
    focusCode: '2101',
    fillOf: () => inFocus,
    mutedFill: MUTED_FILL.dark,
    outline: [1, 2, 3, 4] as Rgba,
    colorKey: 'k1',
    hoveredCode: '210103',
  };

  it('keeps the id and the data object, and fills units in focus with fillOf, the rest muted', () => {
    const layer = createAdminFillLayer(units, base);
    expect(layer.id).toBe('admin-counties');
    expect(layer.props.data).toBe(units);
    const fills = units.features.map((f) => evaluate<Rgba>(layer.props.getFillColor, f));
    expect(fills).toEqual([inFocus, inFocus, MUTED_FILL.dark]);
  });

  it('mutes everything with focusCode null and colours everything with ""', () => {
    const none = createAdminFillLayer(units, { ...base, focusCode: null });
    expect(units.features.map((f) => evaluate<Rgba>(none.props.getFillColor, f))).toEqual([MUTED_FILL.dark, MUTED_FILL.dark, MUTED_FILL.dark]);
    const all = createAdminFillLayer(units, { ...base, focusCode: '' });
    expect(units.features.map((f) => evaluate<Rgba>(all.props.getFillColor, f))).toEqual([inFocus, inFocus, inFocus]);
  });

  it('outlines the hovered unit wider in the hover colour', () => {
    const layer = createAdminFillLayer(units, base);
    expect(evaluate(layer.props.getLineWidth, units.features[1])).toBe(2.5);
    expect(evaluate(layer.props.getLineColor, units.features[1])).toEqual(HOVER_LINE_COLOR);
    expect(evaluate(layer.props.getLineWidth, units.features[0])).toBe(0.6);
    expect(evaluate(layer.props.getLineColor, units.features[0])).toEqual(base.outline);
  });

  it('recolours through update triggers keyed on the focus, the colour key and the hovered unit', () => {
    const layer = createAdminFillLayer(units, base);
    expect(layer.props.updateTriggers).toEqual({ getFillColor: ['2101', 'k1'], getLineWidth: ['210103'], getLineColor: ['210103'] });
  });

  it('hands the picked unit\'s properties to onClick and onHover, and null when nothing is hovered', () => {
    const onClick = vi.fn();
    const onHover = vi.fn();
    const layer = createAdminFillLayer(units, { ...base, onClick, onHover });
    const pick = (object: unknown) => ({ object }) as never;
    layer.props.onClick!(pick(units.features[0]), {} as never);
    layer.props.onHover!(pick(units.features[2]), {} as never);
    layer.props.onHover!(pick(undefined), {} as never);
    expect(onClick).toHaveBeenCalledWith(units.features[0]!.properties);
    expect(onHover.mock.calls).toEqual([[units.features[2]!.properties], [null]]);
  });
});

describe('createBoundaryLineLayer', () => {
  it('draws each line in its level\'s colour and width', () => {
    const levels: BoundaryLineProperties['level'][] = ['province', 'city', 'county', 'street'];
    const lines: FeatureCollection<LineString, BoundaryLineProperties> = { type: 'FeatureCollection', features: levels.map((level, i) => boundaryLine(`l${i}`, level)) };
    const layer = createBoundaryLineLayer(lines, { id: 'boundary-lines', ...LINE_STYLE.light });
    expect(layer.id).toBe('boundary-lines');
    expect(layer.props.data).toBe(lines);
    expect(lines.features.map((f) => evaluate(layer.props.getLineColor, f))).toEqual(levels.map((level) => LINE_STYLE.light.colors[level]));
    expect(lines.features.map((f) => evaluate(layer.props.getLineWidth, f))).toEqual([2.5, 1.6, 0.7, 0.9]);
  });
});

describe('createBoundaryRiskLayers', () => {
  const lines: FeatureCollection<LineString, BoundaryRiskProperties> = {
    type: 'FeatureCollection',
    features: [riskLine('a', 'high', false), riskLine('b', 'elevated', true), riskLine('c', 'normal', false)],
  };

  it('gives a casing layer and a line layer over the same data', () => {
    const [casing, main] = createBoundaryRiskLayers(lines, { id: 'risk' });
    expect([casing!.id, main!.id]).toEqual(['risk-casing', 'risk']);
    expect(casing!.props.data).toBe(lines);
    expect(main!.props.data).toBe(lines);
  });

  it('colours lines by risk and widens them by the risk factor (casing 3 px wider)', () => {
    const [casing, main] = createBoundaryRiskLayers(lines, { id: 'risk', baseWidthPixels: 2 });
    expect(lines.features.map((f) => evaluate(main!.props.getLineColor, f))).toEqual([BOUNDARY_RISK_COLORS.high, BOUNDARY_RISK_COLORS.elevated, BOUNDARY_RISK_COLORS.normal]);
    expect(lines.features.map((f) => evaluate(main!.props.getLineWidth, f))).toEqual([2 * RISK_WIDTH_FACTOR.high, 4, 2]);
    expect(lines.features.map((f) => evaluate(casing!.props.getLineWidth, f))).toEqual([9, 7, 5]);
  });

  it('cases only risky lines without an agreement', () => {
    const [casing] = createBoundaryRiskLayers(lines, { id: 'risk' });
    expect(lines.features.map((f) => evaluate(casing!.props.getLineColor, f))).toEqual([NO_AGREEMENT_CASING, [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it('is pickable only with a hover or click handler', () => {
    expect(createBoundaryRiskLayers(lines, { id: 'risk' })[1]!.props.pickable).toBe(false);
    expect(createBoundaryRiskLayers(lines, { id: 'risk', onClick: () => {} })[1]!.props.pickable).toBe(true);
  });
});
