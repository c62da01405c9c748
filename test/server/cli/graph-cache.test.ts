// The edge snapper kept beside a cached graph (graph-cache.ts): read back, it snaps every point exactly as
// one built afresh; a damaged file is rebuilt; a graph not from the cache keeps nothing.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EdgeSnapper, type SnappedPoints } from '../../../server/analysis/network/edge-snapper';
import { createRng } from '../../../server/analysis/random';
import { cachedEdgeSnapper } from '../../../server/cli/graph-cache';
import { loadNetworkFile } from '../../../server/cli/reach';
import { monacoGraphGeoJson } from '../analysis/network/network-helpers';

const dir = mkdtempSync(join(tmpdir(), 'atlas-graph-cache-'));
const cacheDir = join(dir, 'graphs');
const cacheBefore = process.env.ATLAS_CACHE_DIR;
process.env.ATLAS_CACHE_DIR = cacheDir;
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.ATLAS_CACHE_DIR;
  else process.env.ATLAS_CACHE_DIR = cacheBefore;
  rmSync(dir, { recursive: true, force: true });
});

const network = join(dir, 'monaco.geojson');
writeFileSync(network, JSON.stringify(monacoGraphGeoJson()));
const snapperFiles = (): string[] => readdirSync(cacheDir).filter((name) => name.endsWith('.snapper'));

/** 500 seeded points over the graph's extent and a little beyond (metres in its projection). */
function samplePoints(nodeXY: Float64Array): Float64Array {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < nodeXY.length; i += 2) {
    minX = Math.min(minX, nodeXY[i]!);
    maxX = Math.max(maxX, nodeXY[i]!);
    minY = Math.min(minY, nodeXY[i + 1]!);
    maxY = Math.max(maxY, nodeXY[i + 1]!);
  }
  const rng = createRng(19);
  const xy = new Float64Array(1000);
  for (let i = 0; i < 500; i++) {
    xy[i * 2] = minX - 100 + rng.next() * (maxX - minX + 200);
    xy[i * 2 + 1] = minY - 100 + rng.next() * (maxY - minY + 200);
  }
  return xy;
}

function plain(snapped: SnappedPoints): { edge: number[]; fraction: number[]; distanceMeters: number[] } {
  return { edge: [...snapped.edge], fraction: [...snapped.fraction], distanceMeters: [...snapped.distanceMeters] };
}

describe('cachedEdgeSnapper', () => {
  it('keeps the snapper beside the cached graph and, read back, snaps exactly as a fresh one', () => {
    const { graph } = loadNetworkFile(network, {});
    const xy = samplePoints(graph.nodeXY);
    const expected = plain(new EdgeSnapper(graph).snapPoints(xy, 250));
    expect(expected.edge.filter((edge) => edge >= 0).length).toBeGreaterThan(100);
    expect(expected.edge.filter((edge) => edge < 0).length).toBeGreaterThan(0);
    expect(snapperFiles()).toEqual([]);
    expect(plain(cachedEdgeSnapper(graph).snapPoints(xy, 250))).toEqual(expected);
    expect(snapperFiles()).toHaveLength(1);
    // A later run: the graph and its snapper from the cache.
    const again = loadNetworkFile(network, {});
    expect(again.cached).toBe(true);
    expect(plain(cachedEdgeSnapper(again.graph).snapPoints(xy, 250))).toEqual(expected);
  });

  it('rebuilds a damaged snapper file instead of trusting it', () => {
    const [file] = snapperFiles();
    writeFileSync(join(cacheDir, file!), 'PASNAP01 not a snapper');
    const { graph } = loadNetworkFile(network, {});
    const xy = samplePoints(graph.nodeXY);
    const expected = plain(new EdgeSnapper(graph).snapPoints(xy, 250));
    expect(plain(cachedEdgeSnapper(graph).snapPoints(xy, 250))).toEqual(expected);
    // Rewritten whole: the next graph from the cache reads it back.
    expect(plain(cachedEdgeSnapper(loadNetworkFile(network, {}).graph).snapPoints(xy, 250))).toEqual(expected);
  });

  it('builds a snapper for a graph not from the cache and keeps nothing', () => {
    const other = join(dir, 'other.geojson');
    writeFileSync(other, JSON.stringify({ ...monacoGraphGeoJson(), name: 'other' }));
    const before = readdirSync(cacheDir).length;
    const { graph, cached } = loadNetworkFile(other, { cache: false });
    expect(cached).toBe(false);
    const xy = samplePoints(graph.nodeXY);
    expect(plain(cachedEdgeSnapper(graph).snapPoints(xy, 250))).toEqual(plain(new EdgeSnapper(graph).snapPoints(xy, 250)));
    expect(readdirSync(cacheDir)).toHaveLength(before);
  });
});
