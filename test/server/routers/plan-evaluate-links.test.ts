// plan.evaluate with walking-network edits on the Shenyang test database: a link across a gap in 沈河区
// and cuts around a health station, each checked against costing every facility again on the edited
// network (so the facilities left out of the incremental update could not have changed); the
// answer's consistency (newlyCovered − newlyUncovered = after − before), the session restored, the
// errors bad links get, and access.

import { afterAll, describe, expect, it } from 'vitest';
import { NetworkCostWorkspace, computeNetworkCosts, seedsAtNodes } from '../../../server/analysis/network/network-costs';
import { buildNetworkOverlay, type NetworkOverlayEdits } from '../../../server/analysis/network/network-overlay';
import { haversineMeters } from '../../../server/analysis/network/polyline-network';
import { CoverageCounts } from '../../../server/analysis/siting/coverage-counts';
import { createNetworkCoverageProvider } from '../../../server/analysis/siting/network-coverage-provider';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { preparedViewsFor, principalFor, testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));

afterAll(() => store.close());

const SHENHE = '210103';
const request = { kind: 'health_station', maxMinutes: 15, within: SHENHE } as const;
const views = preparedViewsFor(store);
const network = views.network!;
const { graph } = network;

/** Covered residents of 沈河区 with every health station of Shenyang costed afresh (on the overlay when given). */
function coveredAfresh(closed: readonly number[], overlay?: NetworkOverlayEdits): number {
  const { demand } = views;
  const lngLat: number[] = [];
  const people: number[] = [];
  for (let u = 0; u < demand.count; u++) {
    if (!demand.gridCodes[demand.gridIndex[u]!]!.startsWith(SHENHE)) continue;
    lngLat.push(demand.lngLat[2 * u]!, demand.lngLat[2 * u + 1]!);
    people.push(demand.population[u]!);
  }
  const provider = createNetworkCoverageProvider(graph, Float64Array.from(lngLat), { snapper: network.snapper });
  const sites = store.facilities({ kinds: ['health_station'], withinCode: '2101' }).filter((facility) => !closed.includes(facility.id));
  const siteLngLat = Float64Array.from(sites.flatMap((facility) => facility.lngLat));
  const costs = overlay ? provider.siteCostsOnOverlay(siteLngLat, 15, buildNetworkOverlay(graph, overlay)) : provider.siteCosts(siteLngLat, 15);
  const counts = new CoverageCounts(Float64Array.from(people));
  counts.add(costs.demandIndex, 0, costs.demandIndex.length);
  return counts.coveredWeight;
}

/**
 * Pairs of network nodes in 沈河区 40–150 m apart as the crow flies but more than 1 km apart on the
 * network (across a river, a railway or a compound), nearest a health station first.
 */
function gapPairs(limit: number): [number, number][] {
  const box = store.unitBBox(SHENHE)!;
  const inside: number[] = [];
  for (let n = 0; n < graph.nodeCount; n++) {
    const lng = graph.nodeLngLat[2 * n]!;
    const lat = graph.nodeLngLat[2 * n + 1]!;
    if (lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3]) inside.push(n);
  }
  const cell = (n: number) => `${Math.floor(graph.nodeLngLat[2 * n]! / 0.002)}|${Math.floor(graph.nodeLngLat[2 * n + 1]! / 0.0015)}`;
  const byCell = new Map<string, number[]>();
  for (const n of inside) byCell.set(cell(n), [...(byCell.get(cell(n)) ?? []), n]);
  const stations = store.facilities({ kinds: ['health_station'], withinCode: SHENHE });
  const nearestStation = (n: number) => Math.min(...stations.map((s) => haversineMeters(s.lngLat[0], s.lngLat[1], graph.nodeLngLat[2 * n]!, graph.nodeLngLat[2 * n + 1]!)));
  const workspace = new NetworkCostWorkspace(graph.nodeCount);
  const pairs: { pair: [number, number]; near: number }[] = [];
  for (let k = 0; k < inside.length && pairs.length < limit * 4; k += 7) {
    const a = inside[k]!;
    const [cx, cy] = cell(a).split('|').map(Number) as [number, number];
    const close: number[] = [];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) close.push(...(byCell.get(`${cx + dx}|${cy + dy}`) ?? []));
    const distance = (b: number) => haversineMeters(graph.nodeLngLat[2 * a]!, graph.nodeLngLat[2 * a + 1]!, graph.nodeLngLat[2 * b]!, graph.nodeLngLat[2 * b + 1]!);
    const candidates = close.filter((b) => b !== a && distance(b) >= 40 && distance(b) <= 150);
    if (candidates.length === 0) continue;
    computeNetworkCosts(graph, seedsAtNodes([a]), 1000, workspace);
    const b = candidates.find((node) => workspace.costByNode[node] === Infinity);
    if (b !== undefined) pairs.push({ pair: [a, b], near: nearestStation(a) });
  }
  return pairs.sort((x, y) => x.near - y.near).slice(0, limit).map((entry) => entry.pair);
}

const lngLatOfNode = (n: number): [number, number] => [graph.nodeLngLat[2 * n]!, graph.nodeLngLat[2 * n + 1]!];

describe('plan.evaluate with network edits', () => {
  it('a footbridge across a gap in 沈河区: a non-negative delta, consistent, and equal to costing every station again', async () => {
    const pairs = gapPairs(8);
    expect(pairs.length).toBeGreaterThan(0);
    let gained = 0;
    for (const [a, b] of pairs) {
      const link: [[number, number], [number, number]] = [lngLatOfNode(a), lngLatOfNode(b)];
      const result = await caller.plan.evaluate({ ...request, addLinks: [link] });
      expect(result.delta.coveredPopulation).toBeGreaterThanOrEqual(0);
      expect(result.newlyUncovered).toBe(0);
      expect(result.newlyCovered - result.newlyUncovered).toBeCloseTo(result.after.coveredPopulation - result.before.coveredPopulation, 6);
      expect(result.addedLinks).toHaveLength(1);
      const [built] = result.addedLinks;
      expect(built!.from.edgeId).toBeNull();
      expect(built!.to.edgeId).toBeNull();
      expect(built!.from.snapMeters).toBeLessThan(0.01);
      expect(built!.lengthMeters).toBeCloseTo(haversineMeters(...link[0], ...link[1]), 6);
      const overlay = { cutEdges: [], links: [{ from: { node: a }, to: { node: b }, lengthMeters: built!.from.snapMeters + built!.lengthMeters + built!.to.snapMeters }] };
      expect(result.after.coveredPopulation).toBeCloseTo(coveredAfresh([], overlay), 6);
      expect(result.before.coveredPopulation).toBeCloseTo(coveredAfresh([]), 6);
      const changed = result.changedGrids.reduce((sum, grid) => sum + grid.coveredAfter - grid.coveredBefore, 0);
      expect(changed).toBeCloseTo(result.delta.coveredPopulation, 6);
      gained += result.delta.coveredPopulation;
    }
    // At least one of the gaps bridged near a station brings residents within 15 minutes.
    expect(gained).toBeGreaterThan(0);
  });

  it('cuts around a health station uncover residents, as costing every station again on the cut network says', async () => {
    const stations = store.facilities({ kinds: ['health_station'], withinCode: SHENHE });
    const [snapped] = [network.snapper.snapLngLat(Float64Array.from(stations[0]!.lngLat), 300)];
    const e = snapped.edge[0]!;
    expect(e).toBeGreaterThanOrEqual(0);
    // The edges at both ends of the station's own edge (ids = index + 1, as geo.roads serves them).
    const cut = new Set<number>();
    for (let k = 0; k < graph.edgeCount; k++) {
      if ([graph.edgeFrom[e], graph.edgeTo[e]].some((node) => node === graph.edgeFrom[k] || node === graph.edgeTo[k])) cut.add(k);
    }
    const removeLinks = [...cut].map((k) => k + 1);
    const result = await caller.plan.evaluate({ ...request, removeLinks });
    // Cut off from the streets round it, the station loses residents.
    expect(result.delta.coveredPopulation).toBeLessThan(0);
    expect(result.newlyCovered).toBe(0);
    expect(result.newlyUncovered).toBeCloseTo(-result.delta.coveredPopulation, 6);
    expect(result.removedLinks.map((link) => link.id)).toEqual(removeLinks);
    expect(result.removedLinks[0]!.lengthMeters).toBe(graph.edgeLengthMeters[removeLinks[0]! - 1]);
    expect(result.after.coveredPopulation).toBeCloseTo(coveredAfresh([], { cutEdges: [...cut], links: [] }), 6);
    // geo.roads serves those ids for the same edges.
    const box = store.unitBBox(SHENHE)!;
    const roads = await caller.geo.roads({ bbox: box });
    const road = roads.features.find((feature) => feature.properties.layer === 'road' && feature.properties.id === removeLinks[0]);
    expect(road?.geometry.coordinates[0]).toEqual(lngLatOfNode(graph.edgeFrom[removeLinks[0]! - 1]!));
  });

  it('a closure, a cut and a link in one request: both newly covered and newly uncovered, equal to costing afresh', async () => {
    const [a, b] = gapPairs(1)[0]!;
    const stations = store.facilities({ kinds: ['health_station'], withinCode: SHENHE });
    const closed = stations.at(-1)!.id;
    const result = await caller.plan.evaluate({ ...request, remove: [closed], addLinks: [[lngLatOfNode(a), lngLatOfNode(b)]], removeLinks: [1] });
    const built = result.addedLinks[0]!;
    const overlay = { cutEdges: [0], links: [{ from: { node: a }, to: { node: b }, lengthMeters: built.from.snapMeters + built.lengthMeters + built.to.snapMeters }] };
    expect(result.after.coveredPopulation).toBeCloseTo(coveredAfresh([closed], overlay), 6);
    expect(result.newlyCovered - result.newlyUncovered).toBeCloseTo(result.delta.coveredPopulation, 6);
    expect(result.removed[0]!.id).toBe(closed);
    expect(result.newlyCovered).toBeGreaterThan(0);
    expect(result.newlyUncovered).toBeGreaterThan(0);
  });

  it('answers the same twice, and leaves the session as it was (also after a refused request)', async () => {
    const [a, b] = gapPairs(1)[0]!;
    const input = { ...request, addLinks: [[lngLatOfNode(a), lngLatOfNode(b)]] as [[number, number], [number, number]][], removeLinks: [5, 6] };
    const base = await caller.plan.evaluate(request);
    const first = await caller.plan.evaluate(input);
    const second = await caller.plan.evaluate(input);
    expect({ ...second, updateMs: 0 }).toEqual({ ...first, updateMs: 0 });
    const refused = await errorOf(caller.plan.evaluate({ ...input, removeLinks: [5, 999_999_999] }));
    expect(refused.code).toBe('BAD_REQUEST');
    const again = await caller.plan.evaluate(request);
    expect(again.before).toEqual(base.before);
    expect(again.after).toEqual(base.before);
  });

  it('refuses unknown or repeated edge ids, link ends off the network, links too long, too many links', async () => {
    const unknown = await errorOf(caller.plan.evaluate({ ...request, removeLinks: [999_999_999] }));
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.message).toMatch(/^removeLinks\.0: 999999999 is not a walking-network edge id/);
    const twice = await errorOf(caller.plan.evaluate({ ...request, removeLinks: [3, 3] }));
    expect(twice.message).toMatch(/^removeLinks\.1: edge 3 is listed twice/);
    const node = lngLatOfNode(graph.edgeFrom[0]!);
    // 0.2° (22 km) south of a node: out of the network, and too long a link too.
    const off = await errorOf(caller.plan.evaluate({ ...request, addLinks: [[node, [node[0] + 0.0005, node[1] - 0.2]]] }));
    expect(off.code).toBe('BAD_REQUEST');
    expect(off.message).toMatch(/^addLinks\.0: (its second end is more than 300 m from the walking network|the link is \d+ m long)/);
    const long = await errorOf(caller.plan.evaluate({ ...request, addLinks: [[node, [node[0] + 0.03, node[1]]]] }));
    expect(long.message).toMatch(/^addLinks\.0: the link is \d+ m long \(at most 2000 m/);
    const onCut = await errorOf(caller.plan.evaluate({ ...request, removeLinks: [1], addLinks: [[edgeMiddle(0), lngLatOfNode(graph.edgeTo[3]!)]] }));
    expect(onCut.message).toMatch(/^addLinks\.0: its first end lands on edge 1, which removeLinks cuts/);
    // At the node of a cut edge the link joins the node, which other edges still reach.
    const atNode = await caller.plan.evaluate({ ...request, removeLinks: [1], addLinks: [[lngLatOfNode(graph.edgeFrom[0]!), edgeMiddle(3)]] });
    expect(atNode.addedLinks[0]!.from.edgeId).toBeNull();
    const tooMany = await errorOf(caller.plan.evaluate({ ...request, removeLinks: Array.from({ length: 101 }, (_, k) => k + 1) }));
    expect(tooMany.code).toBe('BAD_REQUEST');
  });

  it('is refused outside the caller’s jurisdiction and to roles that do not plan', async () => {
    const dalianPlanner = createCallerFactory(appRouter)(testContext(store, { principal: principalFor('planner', '2102') }));
    const foreign = await errorOf(dalianPlanner.plan.evaluate({ ...request, removeLinks: [1] }));
    expect(foreign.code).toBe('FORBIDDEN');
    const gridWorker = createCallerFactory(appRouter)(testContext(store, { principal: principalFor('grid-worker', SHENHE) }));
    expect((await errorOf(gridWorker.plan.evaluate({ ...request, removeLinks: [1] }))).code).toBe('FORBIDDEN');
  });
});

/** The middle of edge e's straight line (edges of the demonstration network are straight). */
function edgeMiddle(e: number): [number, number] {
  const [x0, y0] = lngLatOfNode(graph.edgeFrom[e]!);
  const [x1, y1] = lngLatOfNode(graph.edgeTo[e]!);
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}
