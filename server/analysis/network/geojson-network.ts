// Network edge list from GeoJSON lines: LineString and MultiLineString features, vertices shared by
// exact coordinates (a line crossing another without a common vertex does not connect to it), cut at
// shared vertices (polyline-network.ts). Lengths: great-circle metres, or a numeric property in metres.

import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { DIRECTION_BACKWARD, DIRECTION_BOTH, DIRECTION_FORWARD } from './road-graph';
import { haversineMeters, splitPolylinesAtSharedPoints, type PolylineNetwork } from './polyline-network';

export interface GeoJsonNetworkOptions {
  /** Property holding each line's walking length in metres (overrides the great-circle length). */
  lengthProperty?: string;
  /**
   * Honour one-way lines: each line is walkable only in its drawing order, except where its `oneway`
   * property says "no"/"false"/"0" (both ways) or "-1"/"reverse" (against the drawing order).
   * Default false: every line is two-way.
   */
  oneway?: boolean;
}

export interface GeoJsonNetwork extends PolylineNetwork {
  /** The feature index of each line (a MultiLineString gives one line per part). */
  lineFeature: Uint32Array;
  /** Features that were not lines (or had under 2 positions), by index. */
  skippedFeatures: number[];
}

function directionOf(feature: Feature<Geometry | null>, oneway: boolean): number {
  if (!oneway) return DIRECTION_BOTH;
  const value = String(feature.properties?.oneway ?? 'yes').toLowerCase();
  if (value === 'no' || value === 'false' || value === '0') return DIRECTION_BOTH;
  if (value === '-1' || value === 'reverse' || value === 'reversed') return DIRECTION_BACKWARD;
  return DIRECTION_FORWARD;
}

/** Reads a FeatureCollection of lines into an edge list (see the module comment). */
export function readGeoJsonNetwork(collection: FeatureCollection<Geometry | null>, options: GeoJsonNetworkOptions = {}): GeoJsonNetwork {
  const pointIdByKey = new Map<string, number>();
  const pointLngLat: number[] = [];
  const lineOffsets: number[] = [0];
  const linePoints: number[] = [];
  const lineLength: number[] = [];
  const lineDirection: number[] = [];
  const lineFeature: number[] = [];
  const skippedFeatures: number[] = [];
  collection.features.forEach((feature, index) => {
    const geometry = feature.geometry;
    const parts: Position[][] =
      geometry?.type === 'LineString' ? [geometry.coordinates] : geometry?.type === 'MultiLineString' ? geometry.coordinates : [];
    const usable = parts.filter((part) => part.length >= 2);
    if (usable.length === 0) {
      skippedFeatures.push(index);
      return;
    }
    let own = NaN;
    if (options.lengthProperty !== undefined) {
      const value = Number(feature.properties?.[options.lengthProperty]);
      if (!Number.isFinite(value) || value < 0) {
        throw new Error(`feature ${index}: property "${options.lengthProperty}" must be a length ≥ 0 in metres, got ${JSON.stringify(feature.properties?.[options.lengthProperty])}`);
      }
      own = value;
    }
    const direction = directionOf(feature, options.oneway ?? false);
    for (const part of usable) {
      for (const position of part) {
        const lng = position[0]!;
        const lat = position[1]!;
        const key = `${lng},${lat}`;
        let id = pointIdByKey.get(key);
        if (id === undefined) {
          id = pointLngLat.length / 2;
          pointIdByKey.set(key, id);
          pointLngLat.push(lng, lat);
        }
        linePoints.push(id);
      }
      lineOffsets.push(linePoints.length);
      lineLength.push(own);
      lineDirection.push(direction);
      lineFeature.push(index);
    }
    if (usable.length > 1 && !Number.isNaN(own)) {
      // Share the feature's length among its parts by their great-circle lengths.
      const first = lineLength.length - usable.length;
      const meters = usable.map((part) => {
        let sum = 0;
        for (let i = 1; i < part.length; i++) sum += haversineMeters(part[i - 1]![0]!, part[i - 1]![1]!, part[i]![0]!, part[i]![1]!);
        return sum;
      });
      const total = meters.reduce((a, b) => a + b, 0);
      meters.forEach((m, k) => {
        lineLength[first + k] = total > 0 ? (own * m) / total : own / usable.length;
      });
    }
  });
  const network = splitPolylinesAtSharedPoints({
    pointLngLat: Float64Array.from(pointLngLat),
    lineOffsets: Uint32Array.from(lineOffsets),
    linePoints: Uint32Array.from(linePoints),
    lineLengthMeters: Float64Array.from(lineLength),
    lineDirection: Uint8Array.from(lineDirection),
  });
  return { ...network, lineFeature: Uint32Array.from(lineFeature), skippedFeatures };
}
