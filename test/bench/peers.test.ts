// The benchmark peers compute what their tables claim: the GAL file the hotspot peers read holds the
// bench's neighbours, the cost comparison says when reachable sets differ, and (when installed) the
// NetworkX and spdep scripts give the hand-computed multi-source costs and Atlas's Gi* z-scores, and
// refuse input they cannot match with a message.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareGetisOrdWeights } from '../../server/analysis/hotspots/detect-hotspots';
import { computeLocalGetisOrd } from '../../server/analysis/hotspots/getis-ord';
import { parseGalWeights, weightsFromNeighborLists } from '../../server/analysis/hotspots/spatial-weights';
import { REPO_ROOT } from '../../server/paths';
import { formatGal } from './hotspots-peers';
import { compareVertexCosts } from './network-peers';
import { findPython } from './peers';

const dir = mkdtempSync(join(tmpdir(), 'atlas-peers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Five units on a line, and a sixth without neighbours.
const neighbors = weightsFromNeighborLists([[1], [0, 2], [1, 3], [2, 4], [3], []]);
const counts = Float64Array.of(3, 7, 1, 0, 4, 2);

describe('formatGal', () => {
  it('writes the neighbours GAL readers give back, islands included', () => {
    const read = parseGalWeights(formatGal(neighbors), ['1', '2', '3', '4', '5', '6']).weights;
    expect(Array.from(read.offsets)).toEqual(Array.from(neighbors.offsets));
    expect(Array.from(read.neighbors)).toEqual(Array.from(neighbors.neighbors));
  });
});

describe('compareVertexCosts', () => {
  const atlas = new Map([
    ['1,1', 0],
    ['2,1', 10.5],
  ]);
  it('says the sets and costs agree', () => {
    expect(compareVertexCosts(new Map(atlas), atlas)).toBe('same reachable set (2 vertices); 2 of 2 shared costs bit-identical, largest difference 0.0e+0 m');
  });
  it('says how the reachable sets and costs differ', () => {
    const peer = new Map([
      ['1,1', 0],
      ['2,1', 10.75],
      ['3,1', 4],
    ]);
    expect(compareVertexCosts(peer, atlas)).toBe('reachable sets differ: 3 vertices vs Atlas\'s 2, 1 not in Atlas\'s; 1 of 2 shared costs bit-identical, largest difference 2.5e-1 m');
  });
});

const networkx = findPython(['networkx'], 'python3-networkx');
if (!networkx) console.warn('peers.test.ts: no python3 imports networkx, the NetworkX script is not checked (apt-get install python3-networkx)');
describe.skipIf(!networkx)('networkx_reach.py (NetworkX installed)', () => {
  const script = join(REPO_ROOT, 'test', 'bench', 'peers', 'networkx_reach.py');
  // A square A(0,0) B(1,0) C(1,1) D(0,1) with a diagonal A–C; lengths in the length_m property.
  const line = (a: number[], b: number[], meters: number) => ({ type: 'Feature', properties: { length_m: meters }, geometry: { type: 'LineString', coordinates: [a, b] } });
  const [a, b, c, d] = [[120, 40], [120.001, 40], [120.001, 40.001], [120, 40.001]];
  const network = join(dir, 'square.geojson');
  writeFileSync(network, JSON.stringify({ type: 'FeatureCollection', features: [line(a!, b!, 100), line(b!, c!, 100), line(c!, d!, 100), line(d!, a!, 300), line(a!, c!, 250)] }));

  it('gives the nearest origin\'s cost within the cutoff, from all origins at once', () => {
    const origins = join(dir, 'origins.csv');
    writeFileSync(origins, `id,lon,lat\n1,${a![0]},${a![1]}\n2,${d![0]},${d![1]}\n`);
    const out = join(dir, 'networkx.csv');
    const run = spawnSync(networkx!.python, [script, network, origins, '150', 'length_m', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const costs = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((row) => row.split(',').map(Number)).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
    expect(costs).toEqual([[...a!, 0], [...d!, 0], [...b!, 100], [...c!, 100]]);
  });

  it('refuses an origin that is not on a vertex', () => {
    const origins = join(dir, 'off-vertex.csv');
    writeFileSync(origins, 'id,lon,lat\n1,120.0005,40\n');
    const run = spawnSync(networkx!.python, [script, network, origins, '150', 'length_m', join(dir, 'never.csv')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/1 origins are not on a network vertex/);
  });
});

const spdep = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(spdep))'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
if (!spdep) console.warn('peers.test.ts: no Rscript with spdep, the spdep script is not checked (apt-get install r-cran-spdep)');
describe.skipIf(!spdep)('spdep_localg.R (R spdep installed)', () => {
  const script = join(REPO_ROOT, 'test', 'bench', 'peers', 'spdep_localg.R');
  const cells = join(dir, 'cells.csv');
  const gal = join(dir, 'cells.gal');
  writeFileSync(cells, `id,count\n${Array.from(counts, (count, i) => `${i + 1},${count}`).join('\n')}\n`);
  writeFileSync(gal, formatGal(neighbors));

  it('gives Atlas\'s Gi* z-scores on the same cells and GAL neighbours', () => {
    const out = join(dir, 'spdep.csv');
    const run = spawnSync('Rscript', [script, cells, gal, out, '0'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const z = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((row) => Number(row.split(',')[1]));
    const n = counts.length;
    const atlas = { g: new Float64Array(n), z: new Float64Array(n), p: new Float64Array(n) };
    computeLocalGetisOrd(counts, prepareGetisOrdWeights(neighbors, { star: true, rowStandardized: false }), { star: true }, atlas);
    expect(z).toHaveLength(n);
    z.forEach((value, i) => expect(Math.abs(value - atlas.z[i]!)).toBeLessThan(1e-9));
  });

  it('refuses a GAL whose ids are not the cells\' ids in order', () => {
    const shuffled = join(dir, 'shuffled.gal');
    writeFileSync(shuffled, formatGal(neighbors).replace(/^1 1$/m, '7 1'));
    const run = spawnSync('Rscript', [script, cells, shuffled, join(dir, 'never.csv'), '0'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/the GAL ids are not the cells' ids in order/);
  });
});
