// Arrays aligned with a hotspots.cells answer's features: class and count per cell, and the centroid of
// each cell's outer ring, the weighted points of the kernel density.

import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { HotspotCellProperties } from '../api-types';
import { ringCentroids } from './kernel-density-grid';

export interface HotspotCellArrays {
  /** Class −3 … +3 per feature. */
  classes: Int8Array;
  /** Disputes per feature. */
  counts: Float32Array;
  /** Ring centroid per feature, [lng0, lat0, …] degrees. */
  centroids: Float64Array;
}

export function hotspotCellArrays(data: FeatureCollection<Polygon | MultiPolygon, HotspotCellProperties>): HotspotCellArrays {
  const features = data.features;
  const classes = new Int8Array(features.length);
  const counts = new Float32Array(features.length);
  features.forEach((feature, i) => {
    classes[i] = feature.properties.class;
    counts[i] = feature.properties.count;
  });
  const rings = features.map((feature) => (feature.geometry.type === 'Polygon' ? feature.geometry.coordinates[0]! : feature.geometry.coordinates[0]![0]!));
  return { classes, counts, centroids: ringCentroids(rings) };
}
