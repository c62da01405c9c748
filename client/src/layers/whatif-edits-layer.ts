// What-if edits and their delta as deck.gl layers: added facilities (● , draggable), closed ones (✕),
// new walking links (dashed, with their length), cut road segments (red ✕), the grids whose coverage
// changes (bluish green gained / orange lost: Okabe-Ito, told apart by colour-blind readers), and the
// facilities and roads a tool picks from. Pure (data, options) => layers.

import { GeoJsonLayer, LineLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString } from 'geojson';
import type { LngLat } from '../../../server/domain/scenario';
import type { Rgba } from './color-scales';

export const WHATIF_COLORS = {
  site: [0, 90, 181, 255] as Rgba,
  proposal: [214, 68, 40, 255] as Rgba,
  closed: [40, 40, 40, 255] as Rgba,
  link: [0, 90, 181, 255] as Rgba,
  cut: [213, 0, 0, 255] as Rgba,
  gained: [0, 158, 115, 170] as Rgba,
  lost: [230, 159, 0, 190] as Rgba,
  facility: [90, 107, 125, 230] as Rgba,
  road: [90, 107, 125, 150] as Rgba,
  barrier: [60, 40, 30, 220] as Rgba,
};

/** Ids of the layers a tool picks from. */
export const WHATIF_LAYER_IDS = { sites: 'whatif-sites', facilities: 'whatif-facilities', roads: 'whatif-roads' } as const;

export interface WhatIfSiteDatum {
  /** Index in the edits' addFacilities. */
  index: number;
  lngLat: LngLat;
  source: 'manual' | 'proposal';
}

export interface WhatIfLinkDatum {
  /** Index in the edits' addLinks, or -1 for the link being drawn. */
  index: number;
  from: LngLat;
  to: LngLat;
  /** The length's label ("86 米"). */
  label: string;
}

export interface WhatIfEditData {
  sites: WhatIfSiteDatum[];
  /** Closed existing facilities at their place. */
  closed: { id: number; lngLat: LngLat }[];
  links: WhatIfLinkDatum[];
  /** Cut road segments, marked at their middle. */
  cuts: { id: number; lngLat: LngLat }[];
}

interface DashDatum {
  from: LngLat;
  to: LngLat;
}

/**
 * A straight segment cut into dashes of `dashMeters` with gaps of `gapMeters` (lengths on an
 * equirectangular approximation, fine for links of a few hundred metres), for a dashed line without
 * a shader extension.
 */
export function dashSegments(from: LngLat, to: LngLat, dashMeters: number, gapMeters: number): [LngLat, LngLat][] {
  const metersPerDegLat = 111_195;
  const metersPerDegLng = metersPerDegLat * Math.cos(((from[1] + to[1]) / 2) * (Math.PI / 180));
  const length = Math.hypot((to[0] - from[0]) * metersPerDegLng, (to[1] - from[1]) * metersPerDegLat);
  if (!(length > 0)) return [];
  const at = (t: number): LngLat => [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t];
  const dashes: [LngLat, LngLat][] = [];
  const period = dashMeters + gapMeters;
  for (let start = 0; start < length; start += period) {
    dashes.push([at(start / length), at(Math.min(length, start + dashMeters) / length)]);
    // A link is drawn with at most 200 dashes, however long.
    if (dashes.length >= 200) break;
  }
  return dashes;
}

/** The middle of a line string by walked length (degrees), for marking a cut segment. */
export function lineMidpoint(coordinates: readonly (readonly number[])[]): LngLat {
  if (coordinates.length === 0) return [0, 0];
  let total = 0;
  for (let i = 1; i < coordinates.length; i++) total += Math.hypot(coordinates[i]![0]! - coordinates[i - 1]![0]!, coordinates[i]![1]! - coordinates[i - 1]![1]!);
  let walked = 0;
  for (let i = 1; i < coordinates.length; i++) {
    const a = coordinates[i - 1]!;
    const b = coordinates[i]!;
    const step = Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
    if (walked + step >= total / 2 && step > 0) {
      const t = (total / 2 - walked) / step;
      return [a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t];
    }
    walked += step;
  }
  return [coordinates[0]![0]!, coordinates[0]![1]!];
}

interface CrossStroke {
  from: LngLat;
  to: LngLat;
  color: Rgba;
}

/** The two strokes of a ✕ at each place, arms of `armMeters` from the centre (degrees from metres locally). */
export function crossStrokes(marks: readonly { lngLat: LngLat; color: Rgba }[], armMeters: number): CrossStroke[] {
  const strokes: CrossStroke[] = [];
  for (const { lngLat, color } of marks) {
    const dLat = armMeters / 111_195;
    const dLng = dLat / Math.cos((lngLat[1] * Math.PI) / 180);
    strokes.push(
      { from: [lngLat[0] - dLng, lngLat[1] - dLat], to: [lngLat[0] + dLng, lngLat[1] + dLat], color },
      { from: [lngLat[0] - dLng, lngLat[1] + dLat], to: [lngLat[0] + dLng, lngLat[1] - dLat], color },
    );
  }
  return strokes;
}

export interface WhatIfEditLayerOptions {
  /** Metres of a dash (and of its gap) on links; about 6 px at the current zoom reads well. */
  dashMeters: number;
  beforeId?: string;
}

export function createWhatIfEditLayers(data: WhatIfEditData, options: WhatIfEditLayerOptions) {
  const dashes: DashDatum[] = [];
  for (const link of data.links) for (const [from, to] of dashSegments(link.from, link.to, options.dashMeters, options.dashMeters * 0.7)) dashes.push({ from, to });
  const crosses = [
    ...data.closed.map((d) => ({ lngLat: d.lngLat, color: WHATIF_COLORS.closed })),
    ...data.cuts.map((d) => ({ lngLat: d.lngLat, color: WHATIF_COLORS.cut })),
  ];
  const strokes = crossStrokes(crosses, options.dashMeters);
  const midpoints = data.links.map((link) => ({ lngLat: [(link.from[0] + link.to[0]) / 2, (link.from[1] + link.to[1]) / 2] as LngLat, label: link.label }));
  return [
    new LineLayer<DashDatum, { beforeId?: string }>({
      id: 'whatif-links',
      data: dashes,
      beforeId: options.beforeId,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: WHATIF_COLORS.link,
      getWidth: 4,
      widthUnits: 'pixels',
    }),
    new TextLayer<{ lngLat: LngLat; label: string }, { beforeId?: string }>({
      id: 'whatif-link-lengths',
      data: midpoints,
      beforeId: options.beforeId,
      getPosition: (d) => d.lngLat,
      getText: (d) => d.label,
      characterSet: 'auto',
      getSize: 13,
      getColor: WHATIF_COLORS.link,
      getPixelOffset: [0, -14],
      background: true,
      getBackgroundColor: [255, 255, 255, 220],
      backgroundPadding: [3, 1],
    }),
    // ✕ marks drawn as two strokes (a white halo under the colour), sized in pixels through the metres of a
    // dash: geometry, so they are on screen with the first frame (no font atlas to wait for).
    new LineLayer<CrossStroke, { beforeId?: string }>({
      id: 'whatif-crosses-halo',
      data: strokes,
      beforeId: options.beforeId,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: [255, 255, 255, 255],
      getWidth: 7,
      widthUnits: 'pixels',
    }),
    new LineLayer<CrossStroke, { beforeId?: string }>({
      id: 'whatif-crosses',
      data: strokes,
      beforeId: options.beforeId,
      getSourcePosition: (d) => d.from,
      getTargetPosition: (d) => d.to,
      getColor: (d) => d.color,
      getWidth: 3.5,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<WhatIfSiteDatum, { beforeId?: string }>({
      id: WHATIF_LAYER_IDS.sites,
      data: data.sites,
      beforeId: options.beforeId,
      pickable: true,
      getPosition: (d) => d.lngLat,
      getRadius: 8,
      radiusUnits: 'pixels',
      stroked: true,
      getFillColor: (d) => (d.source === 'proposal' ? WHATIF_COLORS.proposal : WHATIF_COLORS.site),
      getLineColor: [255, 255, 255, 255],
      getLineWidth: 2.5,
      lineWidthUnits: 'pixels',
    }),
  ];
}

export interface FacilityDatum {
  id: number;
  name: string;
  lngLat: LngLat;
}

/** Existing facilities of the kind a tool picks from (closed ones drawn faint under their ✕). */
export function createWhatIfFacilityLayer(facilities: readonly FacilityDatum[], closedKey: string, isClosed: (id: number) => boolean, beforeId?: string) {
  return new ScatterplotLayer<FacilityDatum, { beforeId?: string }>({
    id: WHATIF_LAYER_IDS.facilities,
    data: facilities,
    beforeId,
    pickable: true,
    getPosition: (d) => d.lngLat,
    getRadius: 6,
    radiusUnits: 'pixels',
    stroked: true,
    getFillColor: (d) => (isClosed(d.id) ? [255, 255, 255, 120] : WHATIF_COLORS.facility),
    getLineColor: [255, 255, 255, 255],
    getLineWidth: 1.5,
    lineWidthUnits: 'pixels',
    updateTriggers: { getFillColor: closedKey },
  });
}

export interface RoadDatumProperties {
  id: number | string;
  layer: 'road' | 'barrier';
}

/** The walking network of the view (pickable road segments) and its barriers (rivers, rail, walls). */
export function createWhatIfRoadLayer(
  roads: FeatureCollection<LineString, RoadDatumProperties>,
  cutKey: string,
  isCut: (id: number) => boolean,
  pickable: boolean,
  beforeId?: string,
  /** Pixels; wider while segments are being picked, so a click finds them. */
  roadWidth = 2,
) {
  return new PathLayer<Feature<LineString, RoadDatumProperties>, { beforeId?: string }>({
    id: WHATIF_LAYER_IDS.roads,
    data: roads.features,
    beforeId,
    pickable,
    getPath: (f) => f.geometry.coordinates as [number, number][],
    getColor: (f) => (f.properties.layer === 'barrier' ? WHATIF_COLORS.barrier : typeof f.properties.id === 'number' && isCut(f.properties.id) ? WHATIF_COLORS.cut : WHATIF_COLORS.road),
    getWidth: (f) => (f.properties.layer === 'barrier' ? 4 : roadWidth),
    widthUnits: 'pixels',
    capRounded: true,
    updateTriggers: { getColor: cutKey, getWidth: roadWidth },
  });
}

export interface ChangedGridDatum {
  code: string;
  coveredBefore: number;
  coveredAfter: number;
}

/** Fill of a changed grid: gained or lost coverage (null when unchanged). */
export function changedGridFill(grid: ChangedGridDatum): Rgba | null {
  if (grid.coveredAfter > grid.coveredBefore) return WHATIF_COLORS.gained;
  if (grid.coveredAfter < grid.coveredBefore) return WHATIF_COLORS.lost;
  return null;
}

/** The grids whose covered residents change, on their polygons (grids without a change are not drawn). */
export function createWhatIfDeltaLayer(grids: FeatureCollection<Geometry, { code: string }>, changed: readonly ChangedGridDatum[], beforeId?: string) {
  const byCode = new Map(changed.map((grid) => [grid.code, grid]));
  const features = grids.features.filter((f) => byCode.has(f.properties.code));
  return new GeoJsonLayer<{ code: string }, { beforeId?: string }>({
    id: 'whatif-changed-grids',
    data: features,
    beforeId,
    filled: true,
    stroked: true,
    getFillColor: (f) => changedGridFill(byCode.get(f.properties.code)!) ?? [0, 0, 0, 0],
    getLineColor: [255, 255, 255, 200],
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
  });
}
