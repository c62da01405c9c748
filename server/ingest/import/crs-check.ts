// The shifted-coordinates check: a sample of the source positions is read as each of WGS84, GCJ-02 and
// BD-09 in turn, and each reading's median distance to the nearest reference position (admin boundary
// vertices, the layer's existing features) is measured; a declared system that fits far worse than
// another (GCJ-02 data declared as WGS84 sits 300–600 m off across Liaoning) is reported with the best fit.

import Flatbush from 'flatbush';
import gcoord from 'gcoord';
import type { Position } from 'geojson';
import { createLocalProjection } from '../../analysis/geo/local-projection';
import type { SourceCrs } from '../coordinate-systems';
import { createCrsConverter, type ImportCrs } from './crs';

export type ShiftCandidate = 'WGS84' | 'GCJ02' | 'BD09';

export interface ShiftCheck {
  /** The declared reading (CGCS2000 counts as WGS84). */
  declared: ShiftCandidate;
  /** Median distance (metres) from the sample to the nearest reference position, per reading. */
  medianMetersBySystem: Record<ShiftCandidate, number>;
  best: ShiftCandidate;
  /** True when the declared reading fits far worse than the best one: the data looks shifted. */
  shifted: boolean;
  sampleSize: number;
  message: string;
}

/** A declared reading is "shifted" when it is this far off (median, metres)… */
export const SHIFT_MIN_METERS = 30;
/** …and the best reading is at least this many times closer (plus SHIFT_SLACK_METERS). */
export const SHIFT_RATIO = 3;
export const SHIFT_SLACK_METERS = 5;

const declaredCandidate = (system: SourceCrs): ShiftCandidate => (system === 'GCJ02' ? 'GCJ02' : system === 'BD09' ? 'BD09' : 'WGS84');

/**
 * Compares readings of `sample` (source positions) against `reference` (WGS84). Returns null when there
 * is nothing to compare (no sample or no reference nearby).
 */
export function checkCoordinateShift(sample: readonly Position[], crs: ImportCrs, reference: readonly Position[]): ShiftCheck | null {
  if (sample.length === 0 || reference.length === 0) return null;
  // The source lon/lat (unprojected first when projected), read as each system in turn.
  const toLngLat = crs.kind === 'projected' ? createCrsConverter(crs) : (position: Position) => position;
  const lngLat = sample.map((position) => toLngLat(position));
  const declared = crs.kind === 'geographic' ? declaredCandidate(crs.system) : 'WGS84';
  const readings: Record<ShiftCandidate, Position[]> = {
    WGS84: lngLat,
    GCJ02: lngLat.map((p) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.GCJ02, gcoord.WGS84)),
    BD09: lngLat.map((p) => gcoord.transform([p[0]!, p[1]!] as [number, number], gcoord.BD09, gcoord.WGS84)),
  };
  const origin = lngLat[0]!;
  const projection = createLocalProjection(origin[0]!, origin[1]!);
  const index = new Flatbush(reference.length);
  for (const position of reference) {
    const [x, y] = projection.toXY(position);
    index.add(x, y, x, y);
  }
  index.finish();
  const xy = reference.map((position) => projection.toXY(position));
  const medianOf = (positions: Position[]): number => {
    const distances = positions.map((position) => {
      const [x, y] = projection.toXY(position);
      const [nearest] = index.neighbors(x, y, 1);
      const [rx, ry] = xy[nearest!]!;
      return Math.hypot(x - rx, y - ry);
    });
    distances.sort((a, b) => a - b);
    return Math.round(distances[Math.floor(distances.length / 2)]! * 10) / 10;
  };
  const medianMetersBySystem = { WGS84: medianOf(readings.WGS84), GCJ02: medianOf(readings.GCJ02), BD09: medianOf(readings.BD09) };
  const best = (Object.keys(medianMetersBySystem) as ShiftCandidate[]).reduce((a, b) => (medianMetersBySystem[b] < medianMetersBySystem[a] ? b : a));
  const shifted =
    best !== declared && medianMetersBySystem[declared] > SHIFT_MIN_METERS && medianMetersBySystem[declared] > SHIFT_RATIO * medianMetersBySystem[best] + SHIFT_SLACK_METERS;
  const name = { WGS84: 'WGS84/CGCS2000', GCJ02: 'GCJ-02', BD09: 'BD-09' };
  const message = shifted
    ? `the data looks shifted: read as ${name[declared]} it lies a median ${medianMetersBySystem[declared]} m from the atlas's features, ` +
      `read as ${name[best]} ${medianMetersBySystem[best]} m; declare --crs ${best.toLowerCase()} if it is ${name[best]}`
    : `${name[declared]} fits best or well enough (median ${medianMetersBySystem[declared]} m from the atlas's features)`;
  return { declared, medianMetersBySystem, best, shifted, sampleSize: sample.length, message };
}
