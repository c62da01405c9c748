// The `reach` CLI against the oracles: NetworkX and pgRouting (pgr_drivingDistance) on the Monaco
// pedestrian graph (exact), NetworkX on the real Monaco OSM extract read independently with pyosmium,
// both on pgRouting's directed sample network. The oracle outputs are committed fixtures made by
// test/fixtures/network/oracle/* (no Python or PostgreSQL needed here). Plus options and input errors.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const monacoNetwork = join(dir, 'monaco-graph.geojson');
writeFileSync(monacoNetwork, JSON.stringify(monacoGraphGeoJson()));
const monacoOrigins = join(dir, 'monaco-starts.csv');
writeFileSync(monacoOrigins, `id,lon,lat\n${monacoStarts().map((s) => `${s.id},${s.lon},${s.lat}`).join('\n')}\n`);

/** Runs `reach` quietly and returns its rows. */
async function reach(args: string[]): Promise<{ rows: Record<string, string>[]; log: string }> {
  const out = join(dir, `reach-${Math.random().toString(36).slice(2)}.csv`);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await runReach([...args, '--out', out])).toBe(0);
    return { rows: readCsv(out), log: error.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    error.mockRestore();
  }
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
    expect(log).toContain('4,101 vertices, 5,338 edges; 5 origins, 4,283 rows within 1000 m');
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
