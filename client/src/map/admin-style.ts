// Styling and geometry helpers shared by the maps of every mode: boundary-line colours and widths per
// theme, the outline of child units, the level of a division code and the bounds of polygons.

import type { Feature, MultiPolygon } from 'geojson';
import type { BoundaryLevel, UnitLevel } from '../../../server/domain/admin-codes';
import type { Rgba } from '../layers/color-scales';
import type { FocusLevel } from '../hooks/use-focus-children';
import type { LngLatBounds } from './atlas-map';
import type { MapTheme } from './offline-style';

export const LINE_STYLE: Record<MapTheme, { colors: Record<BoundaryLevel, Rgba>; widths: Record<BoundaryLevel, number> }> = {
  dark: {
    colors: { province: [120, 220, 255, 255], city: [190, 230, 255, 230], county: [120, 160, 200, 150], street: [150, 200, 235, 170] },
    widths: { province: 2.5, city: 1.6, county: 0.7, street: 0.9 },
  },
  light: {
    colors: { province: [30, 60, 100, 255], city: [40, 70, 110, 230], county: [90, 110, 130, 150], street: [70, 90, 120, 170] },
    widths: { province: 2.5, city: 1.6, county: 0.7, street: 0.9 },
  },
};

export const CHILD_OUTLINE: Record<MapTheme, Rgba> = { dark: [10, 20, 40, 200], light: [255, 255, 255, 220] };

/** The level of a code from its length (2/4/6/9/12 digits). */
export function levelOfCode(code: string): FocusLevel {
  return code.length <= 2 ? 'province' : code.length <= 4 ? 'city' : code.length <= 6 ? 'county' : code.length <= 9 ? 'street' : 'community';
}

/** Levels a map colours or ranks (every unit level below the province). */
export type SubUnitLevel = Exclude<UnitLevel, 'province'>;

/** The units a region's map colours: counties for the province and cities, else the next level down. */
export function mapUnitLevelOf(level: FocusLevel): Exclude<SubUnitLevel, 'city'> {
  return level === 'province' || level === 'city' ? 'county' : level === 'county' ? 'street' : level === 'street' ? 'community' : 'grid';
}

/** The children of a region (one level down; grids below a community). */
export function childUnitLevelOf(level: FocusLevel): SubUnitLevel {
  return level === 'province' ? 'city' : mapUnitLevelOf(level);
}

/** Bounds of the outer rings of polygons, or null when there are none. */
export function boundsOfFeatures(features: readonly Feature<MultiPolygon>[]): LngLatBounds | null {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const feature of features) {
    for (const polygon of feature.geometry.coordinates) {
      for (const [lng, lat] of polygon[0]!) {
        if (lng! < minLng) minLng = lng!;
        if (lng! > maxLng) maxLng = lng!;
        if (lat! < minLat) minLat = lat!;
        if (lat! > maxLat) maxLat = lat!;
      }
    }
  }
  return Number.isFinite(minLng) ? [minLng, minLat, maxLng, maxLat] : null;
}
