// The `reach` CLI against the oracles: NetworkX and pgRouting (pgr_drivingDistance) on the Monaco
// pedestrian graph (exact), NetworkX on the real Monaco OSM extract read independently with pyosmium,
// both on pgRouting's directed sample network. The oracle outputs are committed fixtures made by
// test/fixtures/network/oracle/* (no Python or PostgreSQL needed here). Per-origin rows against the oracles,
// nearest-origin rows (one multi-source search) against the per-origin ones, the graph cache, options and
// input errors.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as runReach } from '../../../server/cli/reach';
import {
  fixturePath,
  monacoGraphGeoJson,
  monacoStarts,
  reachTable,
  readCsv,
  sharedPath,
} from '../analysis/network/network-helpers';

const dir = mkdtempSync(join(tmpdir(), 'atlas-reach-cli-'));
// The graph cache of these runs, apart from the repository's.
const cacheDir = join(dir, 'graph-cache');
const cacheBefore = process.env.ATLAS_CACHE_DIR;
process.env.ATLAS_CACHE_DIR = cacheDir;
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.ATLAS_CACHE_DIR;
  else process.env.ATLAS_CACHE_DIR = cacheBefore;
  rmSync(dir, { recursive: true, force: true });
});

const monacoNetwork = join(dir, 'monaco-graph.geojson');
writeFileSync(monacoNetwork, JSON.stringify(monacoGraphGeoJson()));
const monacoOrigins = join(dir, 'monaco-starts.csv');
writeFileSync(monacoOrigins, `id,lon,lat\n${monacoStarts().map((s) => `${s.id},${s.lon},${s.lat}`).join('\n')}\n`);

/** Runs `reach` quietly (per origin unless `args` name a mode) and returns its rows. */
async function reach(args: string[]): Promise<{ rows: Record<string, string>[]; log: string }> {
  const out = join(dir, `reach-${Math.random().toString(36).slice(2)}.csv`);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await runReach([...(args.includes('--mode') ? [] : ['--mode', 'per-origin']), ...args, '--out', out])).toBe(0);
    return { rows: readCsv(out), log: error.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    error.mockRestore();
  }
}

/** Runs `reach` quietly with no --mode (nearest) and returns its rows. */
async function runDefault(args: string[]): Promise<{ rows: Record<string, string>[]; log: string }> {
  return reach(['--mode', 'nearest', ...args].slice(args.includes('--mode') ? 2 : 0));
}

/** Same keys; costs equal within `tolerance` metres (0: bit for bit). */
function expectSameReach(actual: Map<string, number>, expected: Map<string, number>, tolerance: number): void {
  expect([...actual.keys()].filter((key) => !expected.has(key))).toEqual([]);
  expect([...expected.keys()].filter((key) => !actual.has(key))).toEqual([]);
  let worst = 0;
  for (const [key, cost] of expected) worst = Math.max(worst, Math.abs(actual.get(key)! - cost));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe('reach on the Monaco pedestrian graph (network-monaco, 1,000 m)', () => {
  const args = ['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '1000', '--length-property', 'length_m', '--snap', 'vertex'];

  it('reproduces NetworkX\'s reachable sets and costs exactly', async () => {
    const { rows, log } = await reach(args);
    expect(rows).toHaveLength(4283);
    expect(Object.keys(rows[0]!)).toEqual(['origin_id', 'node_lon', 'node_lat', 'cost_m']);
    expectSameReach(reachTable(rows), reachTable(readCsv(fixturePath('monaco-graph-reach-1000m.networkx.csv'))), 0);
    expect(log).toMatch(/4,101 vertices, 5,338 edges( \(graph from the cache\))?; 5 origins, 4,283 rows \(per-origin\) within 1000 m/);
  });

  it('reproduces pgRouting\'s pgr_drivingDistance exactly', async () => {
    const { rows } = await reach(args);
    expectSameReach(reachTable(rows), reachTable(readCsv(fixturePath('monaco-graph-reach-1000m.pgrouting.csv'))), 0);
  });

  it('lists each origin\'s rows by cost, starting at the origin', async () => {
    const { rows } = await reach(args);
    const first = rows.filter((row) => row.origin_id === 'n280487439');
    expect(first[0]).toMatchObject({ node_lon: '7.4236539', node_lat: '43.7308468', cost_m: '0' });
    for (let i = 1; i < first.length; i++) expect(Number(first[i]!.cost_m)).toBeGreaterThanOrEqual(Number(first[i - 1]!.cost_m));
  });

  it('turns minutes at a speed into metres: 15 min at 4 km/h is the 1,000 m limit', async () => {
    const { rows } = await reach(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-minutes', '15', '--length-property', 'length_m', '--snap', 'vertex']);
    expect(rows).toHaveLength(4283);
    const elderly = await reach([...args.slice(0, 4), '--max-minutes', '15', '--speed-kmh', '3', '--length-property', 'length_m', '--snap', 'vertex']);
    expect(elderly.rows.length).toBeLessThan(4283);
    expect(Math.max(...elderly.rows.map((row) => Number(row.cost_m)))).toBeLessThanOrEqual(750);
  });
});

describe('reach --mode nearest (the default): one search from every origin', () => {
  const args = ['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '1000', '--length-property', 'length_m', '--snap', 'vertex'];

  it('gives each vertex its cost from the nearest origin: the least of the per-origin rows (NetworkX\'s), by cost', async () => {
    const nearest = await runDefault(args);
    expect(Object.keys(nearest.rows[0]!)).toEqual(['node_lon', 'node_lat', 'cost_m', 'origin_id']);
    const least = new Map<string, { cost: number; origins: Set<string> }>();
    for (const row of readCsv(fixturePath('monaco-graph-reach-1000m.networkx.csv'))) {
      const key = `${row.node_lon},${row.node_lat}`;
      const cost = Number(row.cost_m);
      const known = least.get(key);
      if (!known || cost < known.cost) least.set(key, { cost, origins: new Set([row.origin_id!]) });
      else if (cost === known.cost) known.origins.add(row.origin_id!);
    }
    expect(nearest.rows).toHaveLength(least.size);
    for (const row of nearest.rows) {
      const expected = least.get(`${row.node_lon},${row.node_lat}`)!;
      expect(Number(row.cost_m)).toBe(expected.cost);
      expect(expected.origins.has(row.origin_id!)).toBe(true);
    }
    for (let i = 1; i < nearest.rows.length; i++) expect(Number(nearest.rows[i]!.cost_m)).toBeGreaterThanOrEqual(Number(nearest.rows[i - 1]!.cost_m));
    expect(nearest.log).toMatch(/rows \(nearest\) within 1000 m/);
  });

  it('snaps onto edges by default and reports the origins too far from the network', async () => {
    const perOrigin = await reach(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '300', '--length-property', 'length_m']);
    const nearest = await runDefault(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '300', '--length-property', 'length_m']);
    const least = new Map<string, number>();
    for (const row of perOrigin.rows) {
      const key = `${row.node_lon},${row.node_lat}`;
      least.set(key, Math.min(least.get(key) ?? Infinity, Number(row.cost_m)));
    }
    expect(new Map(nearest.rows.map((row) => [`${row.node_lon},${row.node_lat}`, Number(row.cost_m)]))).toEqual(least);
    const offshore = join(dir, 'offshore.csv');
    writeFileSync(offshore, 'id,lon,lat\nsea,7.45,43.70\n');
    const far = await runDefault(['--network', monacoNetwork, '--origins', offshore, '--max-meters', '300', '--length-property', 'length_m']);
    expect(far.rows).toEqual([]);
    expect(far.log).toContain('1 origins farther than the snap distance from the network: sea');
  });

  it('refuses an unknown mode', async () => {
    await expect(runReach([...args, '--mode', 'all', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--mode must be "nearest" or "per-origin", got "all"/);
  });
});

describe('the graph cache', () => {
  it('keeps the graph a file gives, keyed by its bytes and options, and answers the same from it', async () => {
    // Bytes of its own (a name), so no earlier run of this file has kept its graph.
    const network = join(dir, 'cached-monaco.geojson');
    writeFileSync(network, JSON.stringify({ ...monacoGraphGeoJson(), name: 'cached' }));
    const args = ['--network', network, '--origins', monacoOrigins, '--max-meters', '500', '--length-property', 'length_m', '--snap', 'vertex'];
    const graphs = () => readdirSync(cacheDir).filter((name) => name.endsWith('.graph')).length;
    const before = graphs();
    const first = await runDefault(args);
    expect(first.log).not.toContain('graph from the cache');
    expect(graphs()).toBe(before + 1);
    const second = await runDefault(args);
    expect(second.log).toContain('graph from the cache');
    expect(second.rows).toEqual(first.rows);
    // Other options read the file otherwise: another graph.
    await runDefault([...args, '--oneway']);
    expect(graphs()).toBe(before + 2);
    // Changed bytes (same path): read afresh, another graph; the old answer no longer comes back.
    const shorter = { ...monacoGraphGeoJson(), name: 'cached' };
    shorter.features = shorter.features.slice(0, 100);
    writeFileSync(network, JSON.stringify(shorter));
    const changed = await runDefault(args);
    expect(changed.log).not.toContain('graph from the cache');
    expect(changed.rows.length).toBeLessThan(first.rows.length);
    // --no-graph-cache reads the file and keeps nothing.
    const count = graphs();
    writeFileSync(network, JSON.stringify({ ...monacoGraphGeoJson(), name: 'not kept' }));
    expect((await runDefault([...args, '--no-graph-cache'])).rows).toEqual(first.rows);
    expect(graphs()).toBe(count);
  });

  it('reads a damaged cache file afresh instead of trusting it', async () => {
    const network = join(dir, 'damaged-monaco.geojson');
    writeFileSync(network, JSON.stringify({ ...monacoGraphGeoJson(), name: 'damaged' }));
    const args = ['--network', network, '--origins', monacoOrigins, '--max-meters', '400', '--length-property', 'length_m', '--snap', 'vertex'];
    const before = new Set(readdirSync(cacheDir));
    const first = await runDefault(args);
    const added = readdirSync(cacheDir).filter((name) => !before.has(name) && name.endsWith('.graph'));
    expect(added).toHaveLength(1);
    writeFileSync(join(cacheDir, added[0]!), 'not a graph');
    const again = await runDefault(args);
    expect(again.log).not.toContain('graph from the cache');
    expect(again.rows).toEqual(first.rows);
    expect((await runDefault(args)).log).toContain('graph from the cache');
  });
});

describe('reach on the real OSM extract (monaco-highways.osm.pbf, 600 m)', () => {
  it('matches NetworkX on the same extract read with pyosmium: same vertices, costs to summation rounding', async () => {
    const { rows } = await reach([
      '--network',
      sharedPath('data', 'monaco', 'monaco-highways.osm.pbf'),
      '--origins',
      monacoOrigins,
      '--max-meters',
      '600',
      '--snap',
      'vertex',
    ]);
    expect(rows).toHaveLength(1642);
    // NetworkX adds per OSM segment, the CLI per edge (segments summed first), and V8's sin/cos/asin
    // are not glibc's: costs differ in the last bits (at most 3.4e-13 m here), never the reachable set.
    expectSameReach(reachTable(rows), reachTable(readCsv(fixturePath('monaco-pbf-reach-600m.networkx.csv'))), 1e-9);
  });
});

describe('reach on pgRouting\'s sample network (directed, distance 3)', () => {
  it('matches NetworkX and pgRouting from every vertex', async () => {
    const vertices = readCsv(sharedPath('testdata', 'network-pgrouting-sample', 'vertices.csv'));
    const edges = readCsv(sharedPath('testdata', 'network-pgrouting-sample', 'edges.csv'));
    // cost / reverse_cost as one-way tags: -1 marks the forbidden direction.
    const network = {
      type: 'FeatureCollection',
      features: edges.map((edge) => ({
        type: 'Feature',
        properties: {
          cost: Number(edge.cost) >= 0 ? Number(edge.cost) : Number(edge.reverse_cost),
          oneway: Number(edge.cost) < 0 ? '-1' : Number(edge.reverse_cost) < 0 ? 'yes' : 'no',
        },
        geometry: { type: 'LineString', coordinates: [[Number(edge.x1), Number(edge.y1)], [Number(edge.x2), Number(edge.y2)]] },
      })),
    };
    const networkPath = join(dir, 'pgrouting-sample.geojson');
    writeFileSync(networkPath, JSON.stringify(network));
    const originsPath = join(dir, 'pgrouting-sample-vertices.csv');
    writeFileSync(originsPath, `id,x,y\n${vertices.map((v) => `${v.id},${v.x},${v.y}`).join('\n')}\n`);
    const { rows } = await reach(['--network', networkPath, '--origins', originsPath, '--max-meters', '3', '--length-property', 'cost', '--oneway', '--snap', 'vertex', '--max-snap-meters', '1']);
    expect(rows).toHaveLength(126);
    expectSameReach(reachTable(rows), reachTable(readCsv(fixturePath('pgrouting-sample-reach-3.networkx.csv'))), 0);
    expectSameReach(reachTable(rows), reachTable(readCsv(fixturePath('pgrouting-sample-reach-3.pgrouting.csv'))), 0);
  });
});

describe('reach options and errors', () => {
  it('starts an origin on its edge by default, counting its distance along the edge', async () => {
    // An origin a little off the middle of a 100 m line: the ends are 50 m away.
    const line = join(dir, 'line.geojson');
    writeFileSync(line, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { m: 100 }, geometry: { type: 'LineString', coordinates: [[123.4, 41.8], [123.402, 41.8]] } }] }));
    const origin = join(dir, 'origin.geojson');
    writeFileSync(origin, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'a', properties: {}, geometry: { type: 'Point', coordinates: [123.401, 41.8001] } }] }));
    const { rows } = await reach(['--network', line, '--origins', origin, '--max-meters', '60', '--length-property', 'm']);
    expect(rows.map((row) => [row.origin_id, Number(row.cost_m).toFixed(6)])).toEqual([
      ['a', '50.000000'],
      ['a', '50.000000'],
    ]);
    const far = await reach(['--network', line, '--origins', origin, '--max-meters', '60', '--length-property', 'm', '--max-snap-meters', '5']);
    expect(far.rows).toEqual([]);
    expect(far.log).toContain('1 origins farther than the snap distance from the network: a');
  });

  it('refuses missing or contradictory options with a message', async () => {
    await expect(runReach(['--network', monacoNetwork, '--origins', monacoOrigins, '--out', join(dir, 'x.csv')])).rejects.toThrow(/exactly one of --max-meters and --max-minutes/);
    await expect(runReach(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '5'])).rejects.toThrow(/--out is required/);
    await expect(runReach(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters=-5', '--out', join(dir, 'x.csv')])).rejects.toThrow(
      /--max-meters must be a number ≥ 0/,
    );
    await expect(
      runReach(['--network', monacoNetwork, '--origins', monacoOrigins, '--max-meters', '5', '--snap', 'node', '--out', join(dir, 'x.csv')]),
    ).rejects.toThrow(/--snap must be "edge" or "vertex"/);
    await expect(
      runReach(['--network', sharedPath('data', 'monaco', 'monaco-highways.osm.pbf'), '--origins', monacoOrigins, '--max-meters', '5', '--length-property', 'x', '--out', join(dir, 'x.csv')]),
    ).rejects.toThrow(/--length-property applies to GeoJSON networks only/);
    const noCoordinates = join(dir, 'bad.csv');
    writeFileSync(noCoordinates, 'id,a,b\n1,2,3\n');
    await expect(runReach(['--network', monacoNetwork, '--origins', noCoordinates, '--max-meters', '5', '--out', join(dir, 'x.csv')])).rejects.toThrow(
      /needs a longitude column/,
    );
  });

  it('reads origins from GeoJSON points with their ids', async () => {
    const points = join(dir, 'starts.geojson');
    writeFileSync(
      points,
      JSON.stringify({
        type: 'FeatureCollection',
        features: monacoStarts().slice(0, 2).map((s) => ({ type: 'Feature', id: s.id, properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } })),
      }),
    );
    const { rows } = await reach(['--network', monacoNetwork, '--origins', points, '--max-meters', '200', '--length-property', 'length_m', '--snap', 'vertex']);
    expect(new Set(rows.map((row) => row.origin_id))).toEqual(new Set(monacoStarts().slice(0, 2).map((s) => s.id)));
    const expected = reachTable(readCsv(fixturePath('monaco-graph-reach-1000m.networkx.csv')));
    for (const [key, cost] of reachTable(rows)) expect(expected.get(key)).toBe(cost);
  });
});

// Keeps the fixture honest: the origins used are the vertices the oracles started from.
it('starts from the Monaco facilities\' vertices', () => {
  const starts = monacoStarts();
  expect(starts).toHaveLength(5);
  const fixture = readFileSync(fixturePath('monaco-graph-reach-1000m.networkx.csv'), 'utf8');
  for (const start of starts) expect(fixture).toContain(`${start.id},${start.lon},${start.lat},0\n`);
});
