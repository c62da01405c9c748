// "Nearest facility" network costs on the Shenyang walking network against NetworkX and pgRouting, in
// the two-row form: warm search (each tool's in-memory or preloaded search only) and whole process (a
// fresh process each: `npm run cli -- reach --mode nearest`, `python3 networkx_reach.py` on the same
// files, `psql` calling pgr_drivingDistance with the edges already in the database), with each tool's
// costs checked against Atlas's, vertex by vertex. pgRouting is reached through `psql` with the usual
// PG* environment (PGHOST, PGPORT, PGUSER, PGDATABASE for the database it may create a scratch one from).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_SNAP_METERS } from '../../server/domain/travel-limits';
import { NetworkCostWorkspace, computeNetworkCosts, seedsAtNodes } from '../../server/analysis/network/network-costs';
import type { RoadGraph } from '../../server/analysis/network/road-graph';
import { VertexSnapper } from '../../server/analysis/network/vertex-snapper';
import type { SqliteStore } from '../../server/store/sqlite-store';
import { REPO_ROOT } from '../../server/paths';
import { preparedViewsFor } from '../support/context';
import { measure } from './measure';
import {
  commandWorks,
  debianPackageVersion,
  findPython,
  firstLine,
  fmt,
  median,
  npmCli,
  peerExcluded,
  printPeerTable,
  psql,
  scriptCli,
  timedProcess,
  tsxCli,
  type PeerResult,
} from './peers';

/** Cost in metres by vertex, keyed by its coordinates as written (`lng,lat`), so tools with their own numbering compare. */
type CostsByVertex = Map<string, number>;

const vertexKey = (lng: number, lat: number): string => `${lng},${lat}`;

/** "same reachable set (n vertices); k bit-identical, largest difference d m" for a peer's costs against Atlas's. */
export function compareVertexCosts(peer: CostsByVertex, atlas: CostsByVertex): string {
  let same = 0;
  let missing = 0;
  let worst = 0;
  for (const [key, cost] of peer) {
    const ours = atlas.get(key);
    if (ours === undefined) {
      missing++;
      continue;
    }
    const diff = Math.abs(ours - cost);
    if (diff === 0) same++;
    worst = Math.max(worst, diff);
  }
  const sets =
    missing === 0 && peer.size === atlas.size
      ? `same reachable set (${fmt(atlas.size)} vertices)`
      : `reachable sets differ: ${fmt(peer.size)} vertices vs Atlas's ${fmt(atlas.size)}, ${fmt(missing)} not in Atlas's`;
  return `${sets}; ${fmt(same)} of ${fmt(peer.size - missing)} shared costs bit-identical, largest difference ${worst.toExponential(1)} m`;
}

/** Reads a CSV with a header into costs by vertex, from its lng, lat and cost columns (named). */
function readCostsCsv(path: string, columns: { lng: string; lat: string; cost: string }): CostsByVertex {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  const [lng, lat, cost] = [names.indexOf(columns.lng), names.indexOf(columns.lat), names.indexOf(columns.cost)];
  if (lng < 0 || lat < 0 || cost < 0) throw new Error(`${path}: no ${columns.lng}/${columns.lat}/${columns.cost} columns in "${header}"`);
  const costs: CostsByVertex = new Map();
  for (const line of lines) {
    const cells = line.split(',');
    costs.set(vertexKey(Number(cells[lng]), Number(cells[lat])), Number(cells[cost]));
  }
  return costs;
}

/** The graph as GeoJSON: one two-point LineString per edge with its length in metres (`length_m`). */
function networkGeoJson(graph: RoadGraph): string {
  const parts: string[] = [];
  const ll = graph.nodeLngLat;
  for (let e = 0; e < graph.edgeCount; e++) {
    const a = graph.edgeFrom[e]!;
    const b = graph.edgeTo[e]!;
    parts.push(
      `{"type":"Feature","properties":{"length_m":${graph.edgeLengthMeters[e]}},"geometry":{"type":"LineString","coordinates":[[${ll[2 * a]},${ll[2 * a + 1]}],[${ll[2 * b]},${ll[2 * b + 1]}]]}}`,
    );
  }
  return `{"type":"FeatureCollection","features":[\n${parts.join(',\n')}\n]}\n`;
}

interface NetworkCase {
  graph: RoadGraph;
  /** Start vertices (distinct, sorted). */
  starts: number[];
  cutoffMeters: number;
  dir: string;
  networkPath: string;
  originsPath: string;
  atlasCosts: CostsByVertex;
  runs: number;
}

/** Atlas: the multi-source search on the graph in memory; `reach --mode nearest` through npm (and through tsx's loader). */
async function atlasRow(c: NetworkCase): Promise<PeerResult> {
  const workspace = new NetworkCostWorkspace(c.graph.nodeCount);
  const seeds = seedsAtNodes(c.starts);
  const warm = await measure('atlas', () => computeNetworkCosts(c.graph, seeds, c.cutoffMeters, workspace), { runs: 20, warmup: 3 });
  const cacheDir = join(c.dir, 'graph-cache');
  const env = { ...process.env, ATLAS_CACHE_DIR: cacheDir };
  const args = ['reach', '--network', c.networkPath, '--length-property', 'length_m', '--origins', c.originsPath, '--snap', 'vertex', '--max-meters', String(c.cutoffMeters), '--mode', 'nearest'];
  const cli = npmCli();
  const out = join(c.dir, 'atlas-reach.csv');
  const first = timedProcess(cli.command, [...cli.prefixArgs, ...args, '--out', out], { env });
  const whole = Array.from({ length: c.runs }, () => timedProcess(cli.command, [...cli.prefixArgs, ...args, '--out', out], { env }).ms);
  const cliCosts = readCostsCsv(out, { lng: 'node_lon', lat: 'node_lat', cost: 'cost_m' });
  const tsx = tsxCli();
  const tsxWhole = Array.from({ length: c.runs }, () => timedProcess(tsx.command, [...tsx.prefixArgs, ...args, '--out', out], { env }).ms);
  const direct = scriptCli(cli);
  const directWhole = direct ? Array.from({ length: c.runs }, () => timedProcess(direct.command, [...direct.prefixArgs, ...args, '--out', out], { env }).ms) : [];
  const noCache = timedProcess(cli.command, [...cli.prefixArgs, ...args, '--no-graph-cache', '--out', out], { env }).ms;
  return {
    name: 'Atlas',
    version: `this checkout, Node ${process.version}; \`npm run cli\` runs \`${cli.script}\``,
    warmMs: warm.medianMs,
    wholeMs: median(whole),
    warmWhat: `computeNetworkCosts from all ${fmt(c.starts.length)} start vertices at once on the graph in memory (median of 20, p10 ${warm.p10Ms.toFixed(2)}, p90 ${warm.p90Ms.toFixed(2)} ms)`,
    wholeWhat:
      `\`npm run cli -- reach --mode nearest --snap vertex\` on network.geojson and origins.csv, the graph from its cache (data/cache/graphs, here a scratch ATLAS_CACHE_DIR) as every run after the first, the CSV written; ` +
      `the first run (GeoJSON parsed, cache written) ${fmt(Math.round(first.ms))} ms, --no-graph-cache ${fmt(Math.round(noCache))} ms, ` +
      `${direct ? `\`${cli.script} reach …\` without npm ${fmt(Math.round(median(directWhole)))} ms, ` : ''}\`node --import tsx server/cli.ts reach …\` (no npm) ${fmt(Math.round(median(tsxWhole)))} ms (both with the cached graph)`,
    agreement: [`the CLI's costs against the in-memory search: ${compareVertexCosts(cliCosts, c.atlasCosts)}`],
  };
}

function networkxRow(c: NetworkCase): PeerResult {
  const base = { name: 'NetworkX', version: '', warmMs: null, wholeMs: null, warmWhat: '', wholeWhat: '', agreement: [] };
  const excluded = peerExcluded('networkx');
  if (excluded) return { ...base, skipped: excluded };
  const found = findPython(['networkx'], 'python3-networkx');
  if (!found) return { ...base, skipped: 'no python3 here imports networkx (Debian: apt-get install python3-networkx)' };
  try {
    const script = join(REPO_ROOT, 'test', 'bench', 'peers', 'networkx_reach.py');
    const out = join(c.dir, 'networkx-reach.csv');
    const args = [script, c.networkPath, c.originsPath, String(c.cutoffMeters), 'length_m', out];
    const warm = JSON.parse(timedProcess(found.python, [...args, '10']).stdout) as { version: string; python: string; load_ms: number; warm_ms: number[]; nodes: number; edges: number };
    const whole = Array.from({ length: c.runs }, () => timedProcess(found.python, args).ms);
    return {
      ...base,
      version: `NetworkX ${warm.version}, Python ${warm.python} (${found.source})`,
      warmMs: median(warm.warm_ms),
      wholeMs: median(whole),
      warmWhat: `multi_source_dijkstra_path_length from the same start vertices, cutoff ${c.cutoffMeters} m, on the nx.Graph in memory (median of 10 after one untimed; loading the GeoJSON took ${fmt(Math.round(warm.load_ms))} ms, ${fmt(warm.nodes)} nodes, ${fmt(warm.edges)} edges)`,
      wholeWhat: '`python3 test/bench/peers/networkx_reach.py` on the same network.geojson and origins.csv: load, one multi-source search, the CSV written',
      agreement: [`costs against Atlas's: ${compareVertexCosts(readCostsCsv(out, { lng: 'lon', lat: 'lat', cost: 'cost' }), c.atlasCosts)}`],
    };
  } catch (error) {
    return { ...base, skipped: `NetworkX failed: ${firstLine(error)}` };
  }
}

/** Why pgRouting cannot run here (no psql, no server, no extension), or null. */
function pgroutingAbsent(admin: string): string | null {
  if (!commandWorks('psql')) return 'psql is not installed (Debian: apt-get install postgresql-15-pgrouting)';
  try {
    const available = psql(admin, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgrouting';").trim();
    return available === '1' ? null : 'the PostgreSQL server has no pgrouting extension (Debian: apt-get install postgresql-15-pgrouting)';
  } catch (error) {
    return `no PostgreSQL server reachable with this PG* environment (${firstLine(error)})`;
  }
}

function pgroutingRow(c: NetworkCase): PeerResult {
  const base = { name: 'pgRouting', version: '', warmMs: null, wholeMs: null, warmWhat: '', wholeWhat: '', agreement: [] as string[] };
  const admin = process.env.PGDATABASE ?? 'postgres';
  const absent = peerExcluded('pgrouting') ?? pgroutingAbsent(admin);
  if (absent) return { ...base, skipped: absent };
  const database = `atlas_network_peers_${process.pid}`;
  let created = false;
  try {
    psql(admin, `CREATE DATABASE ${database};`);
    created = true;
    const edgesCsv = join(c.dir, 'edges.csv');
    const g = c.graph;
    const edgeLines: string[] = [];
    for (let e = 0; e < g.edgeCount; e++) {
      const d = g.edgeDirection[e]!;
      const meters = g.edgeLengthMeters[e]!;
      // pgRouting vertex ids start at 1; a negative cost forbids that direction.
      edgeLines.push(`${e + 1},${g.edgeFrom[e]! + 1},${g.edgeTo[e]! + 1},${d & 1 ? meters : -1},${d & 2 ? meters : -1}`);
    }
    writeFileSync(edgesCsv, `${edgeLines.join('\n')}\n`);
    psql(
      database,
      `CREATE EXTENSION pgrouting CASCADE;
CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint, cost float8, reverse_cost float8);
\\copy edges FROM '${edgesCsv}' CSV
CREATE TABLE starts (vid bigint PRIMARY KEY);
INSERT INTO starts VALUES ${c.starts.map((n) => `(${n + 1})`).join(',')};
VACUUM ANALYZE edges;
CREATE FUNCTION bench_ms(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t timestamptz; n bigint;
BEGIN t := clock_timestamp(); EXECUTE query INTO n; RETURN extract(epoch FROM clock_timestamp() - t) * 1000; END $$;`,
    );
    const pgr = psql(database, 'SELECT pgr_version();').trim();
    const postgres = psql(database, 'SHOW server_version;').trim();
    // Multi-source by a virtual super-source: one vertex with a zero-cost edge to every start, one
    // single-start pgr_drivingDistance from it (the cheapest cost per vertex, as a multi-source Dijkstra).
    const superSource = g.nodeCount + 1;
    const edgesSql = `SELECT id, source, target, cost, reverse_cost FROM edges UNION ALL SELECT ${g.edgeCount} + vid, ${superSource}, vid, 0, -1 FROM starts`;
    const nearest = `SELECT node, agg_cost FROM pgr_drivingDistance($e$${edgesSql}$e$, ${superSource}, ${c.cutoffMeters}, directed => true) WHERE node <> ${superSource}`;
    const warmTimes = psql(database, `SELECT bench_ms($q$SELECT count(*) FROM (${nearest}) m$q$) FROM generate_series(1, ${c.runs + 1});`)
      .trim()
      .split('\n')
      .map(Number)
      .slice(1);
    const out = join(c.dir, 'pgrouting-reach.csv');
    const whole = Array.from({ length: c.runs }, () => timedProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', `COPY (${nearest}) TO STDOUT WITH CSV HEADER`, '-o', out]).ms);
    const toLngLat = (text: string): CostsByVertex => {
      const costs: CostsByVertex = new Map();
      for (const line of text.trim().split('\n').slice(1)) {
        const [node, cost] = line.split(',');
        const n = Number(node) - 1;
        costs.set(vertexKey(g.nodeLngLat[2 * n]!, g.nodeLngLat[2 * n + 1]!), Number(cost));
      }
      return costs;
    };
    // pgRouting's own multi-start call, for the record: every start's driving distance with equicost.
    const array = `ARRAY[${c.starts.map((n) => n + 1).join(',')}]::bigint[]`;
    const equicost = `SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', ${array}, ${c.cutoffMeters}, directed => true, equicost => true)`;
    const equicostMs = median(psql(database, `SELECT bench_ms($q$SELECT count(*) FROM (${equicost}) m$q$) FROM generate_series(1, 3);`).trim().split('\n').map(Number).slice(1));
    const equicostCsv = psql(database, `COPY (${equicost}) TO STDOUT WITH CSV HEADER;`);
    const dpkg = debianPackageVersion('postgresql-15-pgrouting');
    return {
      ...base,
      version: `pgRouting ${pgr}, PostgreSQL ${postgres} (${dpkg ? `Debian postgresql-15-pgrouting ${dpkg}` : 'not from a Debian package'})`,
      warmMs: median(warmTimes),
      wholeMs: median(whole),
      warmWhat:
        `pgr_drivingDistance from a virtual super-source (one extra vertex, zero-cost edges to the ${fmt(c.starts.length)} start vertices), cutoff ${c.cutoffMeters} m, timed inside the server (median of ${c.runs} after one untimed); ` +
        'pgRouting reads its edges through SQL on every call, so this includes reading all edges from the (cached) table',
      wholeWhat: '`psql -c "COPY (SELECT … pgr_drivingDistance …) TO STDOUT" -o out.csv` with the edges already in the database: connect, read the edges, search, the CSV written',
      agreement: [
        `super-source costs against Atlas's: ${compareVertexCosts(toLngLat(readFileSync(out, 'utf8')), c.atlasCosts)}`,
        `pgRouting's own multi-start mode (the start array with equicost => true, median ${fmt(Math.round(equicostMs))} ms in the server) against Atlas's: ${compareVertexCosts(toLngLat(equicostCsv), c.atlasCosts)}`,
      ],
    };
  } catch (error) {
    return { ...base, skipped: `pgRouting failed: ${firstLine(error)}` };
  } finally {
    if (created) psql(admin, `DROP DATABASE ${database};`);
  }
}

/**
 * Nearest-facility costs from every health station (社区卫生服务站) of the Shenyang test database within
 * `cutoffMeters`, on Atlas, NetworkX and pgRouting. Every tool starts at the same vertices: each station's
 * nearest network vertex (found once here, not timed), written as the origins' coordinates.
 */
export async function networkPeersBench(store: SqliteStore, cutoffMeters = 1000): Promise<void> {
  const context = preparedViewsFor(store);
  const graph = context.network!.graph;
  const set = context.facilities('health_station').located;
  const vertices = new VertexSnapper(graph);
  const nearestVertex = (i: number) => {
    const [x, y] = graph.projection.toXY([set.lngLat[2 * i]!, set.lngLat[2 * i + 1]!]);
    return vertices.nearest(x, y, DEFAULT_MAX_SNAP_METERS);
  };
  const starts = [...new Set(Array.from({ length: set.count }, (_, i) => nearestVertex(i)).filter((node) => node >= 0))].sort((a, b) => a - b);
  const runs = Number(process.env.PEER_RUNS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'atlas-network-peers-'));
  try {
    const networkPath = join(dir, 'network.geojson');
    const originsPath = join(dir, 'origins.csv');
    writeFileSync(networkPath, networkGeoJson(graph));
    writeFileSync(originsPath, `id,lon,lat\n${starts.map((n) => `${n},${graph.nodeLngLat[2 * n]},${graph.nodeLngLat[2 * n + 1]}`).join('\n')}\n`);
    const workspace = computeNetworkCosts(graph, seedsAtNodes(starts), cutoffMeters, new NetworkCostWorkspace(graph.nodeCount));
    const atlasCosts: CostsByVertex = new Map();
    for (let i = 0; i < workspace.reachedCount; i++) {
      const n = workspace.reached[i]!;
      atlasCosts.set(vertexKey(graph.nodeLngLat[2 * n]!, graph.nodeLngLat[2 * n + 1]!), workspace.costByNode[n]!);
    }
    const c: NetworkCase = { graph, starts, cutoffMeters, dir, networkPath, originsPath, atlasCosts, runs };
    const atlas = await atlasRow(c);
    const peers = [networkxRow(c), pgroutingRow(c)];
    printPeerTable(
      `Network: nearest health station within ${fmt(cutoffMeters)} m, Atlas vs NetworkX vs pgRouting (Shenyang walking network, ${fmt(graph.edgeCount)} edges, ${fmt(graph.nodeCount)} vertices; ${fmt(starts.length)} start vertices of ${fmt(set.count)} health stations)`,
      atlas,
      peers,
      `Median ms; ratio = peer ÷ Atlas (above 1: Atlas faster). Whole process: median of ${runs} fresh processes per tool. Shared by all tools: the start vertices (each station's nearest vertex within ${DEFAULT_MAX_SNAP_METERS} m, distinct), the edges and their lengths, the cutoff; every edge two-way; ${fmt(atlasCosts.size)} vertices within reach.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
