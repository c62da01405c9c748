// Building networks from lines: GeoJSON (vertices shared by exact coordinates, cut at shared points,
// great-circle or given lengths, one-way tags) and OSM PBF (pedestrian highway classes), including the
// real Monaco extract.

import { readFileSync } from 'node:fs';
import type { FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readGeoJsonNetwork } from '../../../../server/analysis/network/geojson-network';
import { isWalkableWay, readOsmPbfNetwork } from '../../../../server/analysis/network/osm-pbf-network';
import { haversineMeters } from '../../../../server/analysis/network/polyline-network';
import { DIRECTION_BACKWARD, DIRECTION_BOTH, DIRECTION_FORWARD } from '../../../../server/analysis/network/road-graph';
import { sharedPath } from './network-helpers';

function lines(features: { coordinates: number[][] | number[][][]; multi?: boolean; properties?: Record<string, unknown> }[]): FeatureCollection<Geometry | null> {
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      properties: f.properties ?? {},
      geometry: f.multi
        ? { type: 'MultiLineString', coordinates: f.coordinates as number[][][] }
        : { type: 'LineString', coordinates: f.coordinates as number[][] },
    })),
  };
}

describe('readGeoJsonNetwork', () => {
  it('joins lines at shared coordinates and cuts them there, keeping the points between as shape', () => {
    // A west–east line through (1, 0) and a north–south line ending there: 4 vertices, 3 edges.
    const network = readGeoJsonNetwork(
      lines([{ coordinates: [[0, 0], [0.5, 0.001], [1, 0], [2, 0]] }, { coordinates: [[1, 1], [1, 0]] }]),
    );
    expect(network.nodeLngLat.length / 2).toBe(4);
    expect(Array.from(network.edgeFrom)).toEqual<number[]>([0, 1, 3]);
    expect(Array.from(network.edgeTo)).toEqual<number[]>([1, 2, 1]);
    expect(Array.from(network.edgeLine)).toEqual([0, 0, 1]);
    // The first edge keeps its middle point as shape.
    expect(Array.from(network.shapeOffsets!)).toEqual([0, 1, 1, 1]);
    expect(Array.from(network.shapeLngLat!)).toEqual([0.5, 0.001]);
    expect(network.edgeLengthMeters[0]).toBeCloseTo(haversineMeters(0, 0, 0.5, 0.001) + haversineMeters(0.5, 0.001, 1, 0), 6);
  });

  it('does not connect lines that cross without a shared vertex', () => {
    const network = readGeoJsonNetwork(lines([{ coordinates: [[0, 0], [2, 0]] }, { coordinates: [[1, -1], [1, 1]] }]));
    expect(network.nodeLngLat.length / 2).toBe(4);
    expect(network.edgeFrom.length).toBe(2);
  });

  it('shares a length property among a line\'s pieces by their great-circle lengths', () => {
    const network = readGeoJsonNetwork(
      lines([
        { coordinates: [[0, 0], [1, 0], [3, 0]], properties: { len: 900 } },
        { coordinates: [[1, 0], [1, 1]], properties: { len: 5 } },
      ]),
      { lengthProperty: 'len' },
    );
    expect(Array.from(network.edgeLengthMeters).map((m) => Math.round(m * 1e6) / 1e6)).toEqual([300, 600, 5]);
    expect(() => readGeoJsonNetwork(lines([{ coordinates: [[0, 0], [1, 0]], properties: { len: 'x' } }]), { lengthProperty: 'len' })).toThrow(
      /feature 0: property "len" must be a length/,
    );
  });

  it('reads MultiLineStrings and skips what is not a line', () => {
    const collection = lines([{ coordinates: [[[0, 0], [1, 0]], [[1, 0], [1, 1]]], multi: true }]);
    collection.features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } });
    collection.features.push({ type: 'Feature', properties: {}, geometry: null });
    const network = readGeoJsonNetwork(collection);
    expect(network.edgeFrom.length).toBe(2);
    expect(Array.from(network.lineFeature)).toEqual([0, 0]);
    expect(network.skippedFeatures).toEqual([1, 2]);
  });

  it('honours one-way tags only when asked', () => {
    const collection = lines([
      { coordinates: [[0, 0], [1, 0]], properties: { oneway: 'yes' } },
      { coordinates: [[1, 0], [2, 0]], properties: { oneway: '-1' } },
      { coordinates: [[2, 0], [3, 0]], properties: { oneway: 'no' } },
      { coordinates: [[3, 0], [4, 0]] },
    ]);
    expect(Array.from(readGeoJsonNetwork(collection).edgeDirection!)).toEqual([DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_BOTH]);
    expect(Array.from(readGeoJsonNetwork(collection, { oneway: true }).edgeDirection!)).toEqual([
      DIRECTION_FORWARD,
      DIRECTION_BACKWARD,
      DIRECTION_BOTH,
      DIRECTION_FORWARD,
    ]);
  });
});

describe('OSM PBF networks', () => {
  it('keeps the highway classes a pedestrian may use', () => {
    expect(isWalkableWay({ highway: 'footway' })).toBe(true);
    expect(isWalkableWay({ highway: 'residential' })).toBe(true);
    expect(isWalkableWay({ highway: 'motorway' })).toBe(false);
    expect(isWalkableWay({ highway: 'primary', foot: 'no' })).toBe(false);
    expect(isWalkableWay({ highway: 'service', access: 'private' })).toBe(false);
    expect(isWalkableWay({ highway: 'service', access: 'private', foot: 'yes' })).toBe(true);
    expect(isWalkableWay({ highway: 'residential', area: 'yes' })).toBe(false);
    expect(isWalkableWay({ highway: 'pedestrian', area: 'yes' })).toBe(true);
    expect(isWalkableWay({ building: 'yes' })).toBe(false);
    expect(isWalkableWay(undefined)).toBe(false);
  });

  it('reads the Monaco extract into a walking network of its way ends and shared nodes', () => {
    const network = readOsmPbfNetwork(readFileSync(sharedPath('data', 'monaco', 'monaco-highways.osm.pbf')));
    expect(network.nodeLngLat.length / 2).toBe(3985);
    expect(network.edgeFrom.length).toBe(5157);
    expect(network.classes).toContain('footway');
    expect(network.classes).not.toContain('motorway');
    // Every edge is at least as long as the straight line between its ends.
    for (let e = 0; e < network.edgeFrom.length; e++) {
      const a = network.edgeFrom[e]!;
      const b = network.edgeTo[e]!;
      const chord = haversineMeters(network.nodeLngLat[a * 2]!, network.nodeLngLat[a * 2 + 1]!, network.nodeLngLat[b * 2]!, network.nodeLngLat[b * 2 + 1]!);
      expect(network.edgeLengthMeters[e]! + 1e-9).toBeGreaterThanOrEqual(chord);
    }
    expect(Array.from(network.edgeDirection!).every((d) => d === DIRECTION_BOTH)).toBe(true);
    const oneway = readOsmPbfNetwork(readFileSync(sharedPath('data', 'monaco', 'monaco-highways.osm.pbf')), { oneway: true });
    expect(Array.from(oneway.edgeDirection!).filter((d) => d !== DIRECTION_BOTH).length).toBeGreaterThan(100);
  });
});
