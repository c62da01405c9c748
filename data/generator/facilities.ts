// Generates demonstration service facilities of every kind in DESIGN.md over the generated units:
// governance centres and workstations (about 82 % of communities), the three-tier service network,
// health centres and stations (about 85 % standardised), convenience stores dense in towns, elder
// day care, 4:30 classes, disability rooms, mediation rooms and police posts. Each sits at a
// residential demand point of its community, so it lies inside a grid and near where people live.

import KDBush from 'kdbush';
import type { DemandPoints, GeneratedGrid, GeneratedUnit } from './admin-partition';
import type { Rng } from '../../server/analysis/random';
import type { FacilityKind } from '../../server/domain/facility-kinds';

/** Generated facilities, struct of arrays. */
export interface Facilities {
  kind: FacilityKind[];
  name: string[];
  /** Community (12 digits) the facility serves or sits in; for county/street-level ones, the community it sits in. */
  communityCode: string[];
  /** The unit it belongs to: county (6), street (9) or community (12 digits). */
  unitCode: string[];
  lngLat: Float64Array;
  /** Kind-specific capacity: seats, beds, staff or daily visitors (see CAPACITY_UNITS). */
  capacity: Uint32Array;
  openingHours: string[];
  /** Health facilities: meets the national standardisation criteria (标准化建设达标); others false. */
  standardised: boolean[];
}


const OFFICE_HOURS = '08:30-17:00';

export interface FacilityOptions {
  counties: { code: string; name: string }[];
  streets: GeneratedUnit[];
  communities: GeneratedUnit[];
  grids: GeneratedGrid[];
  demandPoints: DemandPoints;
  rng: Rng;
}

/** The community's short name, without its committee suffix (…社区居民委员会 → …社区). */
function shortName(name: string): string {
  return name.replace(/(居民委员会|居委会)$/, '').replace(/(村民委员会|村委会)$/, '').replace(/委员会$/, '');
}

export function generateFacilities({ counties, streets, communities, grids, demandPoints, rng }: FacilityOptions): Facilities {
  const out: Facilities = {
    kind: [],
    name: [],
    communityCode: [],
    unitCode: [],
    lngLat: new Float64Array(0),
    capacity: new Uint32Array(0),
    openingHours: [],
    standardised: [],
  };
  const positions: number[] = [];
  const capacities: number[] = [];

  // Demand points by community, to place each facility where people live.
  const gridCommunity = grids.map((g) => g.parentCode);
  const pointsByCommunity = new Map<string, number[]>();
  for (let i = 0; i < demandPoints.population.length; i++) {
    const code = gridCommunity[demandPoints.gridIndex[i]!]!;
    const list = pointsByCommunity.get(code);
    if (list) list.push(i);
    else pointsByCommunity.set(code, [i]);
  }
  const communityByCode = new Map(communities.map((c) => [c.code, c]));
  const communitiesByStreet = new Map<string, GeneratedUnit[]>();
  for (const c of communities) {
    const list = communitiesByStreet.get(c.parentCode);
    if (list) list.push(c);
    else communitiesByStreet.set(c.parentCode, [c]);
  }

  const add = (kind: FacilityKind, name: string, community: GeneratedUnit, unitCode: string, capacity: number, hours: string, standardised = false): void => {
    const points = pointsByCommunity.get(community.code);
    // Population-weighted choice of a demand point; a community without any uses its label point.
    let lng = community.labelLngLat[0];
    let lat = community.labelLngLat[1];
    if (points && points.length > 0) {
      const i = points[rng.weightedIndex(points.map((p) => demandPoints.population[p]! + 1))]!;
      lng = demandPoints.lngLat[i * 2]!;
      lat = demandPoints.lngLat[i * 2 + 1]!;
    }
    out.kind.push(kind);
    out.name.push(name);
    out.communityCode.push(community.code);
    out.unitCode.push(unitCode);
    positions.push(lng, lat);
    capacities.push(Math.max(1, Math.round(capacity)));
    out.openingHours.push(hours);
    out.standardised.push(standardised);
  };

  // The community at the heart of a street or county: its most populous residents' committee, else its most populous.
  const centralCommunity = (units: GeneratedUnit[]): GeneratedUnit =>
    units.reduce((best, c) => (Number(c.urban) > Number(best.urban) || (c.urban === best.urban && c.population > best.population) ? c : best), units[0]!);

  const streetsByCounty = new Map<string, GeneratedUnit[]>();
  for (const s of streets) {
    const list = streetsByCounty.get(s.parentCode);
    if (list) list.push(s);
    else streetsByCounty.set(s.parentCode, [s]);
  }

  for (const county of counties) {
    const countyStreets = streetsByCounty.get(county.code);
    if (!countyStreets) continue;
    const countyCommunities = countyStreets.flatMap((s) => communitiesByStreet.get(s.code) ?? []);
    if (countyCommunities.length === 0) continue;
    const seat = centralCommunity(countyCommunities);
    add('governance_center', `${county.name}社会治安综合治理中心`, seat, county.code, rng.int(20, 45), '00:00-24:00');
    add('service_center_county', `${county.name}政务服务中心`, seat, county.code, rng.int(30, 80), OFFICE_HOURS);
  }

  for (const street of streets) {
    const own = communitiesByStreet.get(street.code) ?? [];
    if (own.length === 0) continue;
    const centre = centralCommunity(own);
    const town = street.name;
    add('governance_center', `${town}综治中心`, centre, street.code, rng.int(6, 15), '00:00-24:00');
    add('service_center_street', `${town}便民服务中心`, centre, street.code, rng.int(6, 20), OFFICE_HOURS);
    add(
      'health_center',
      street.urban ? `${town}社区卫生服务中心` : `${town}卫生院`,
      centre,
      street.code,
      street.urban ? rng.int(20, 80) : rng.int(15, 60),
      '08:00-17:30',
      rng.chance(0.86),
    );
    add('police_post', `${town}派出所`, centre, street.code, rng.int(15, 60), '00:00-24:00');

    // One health station per 2–3 communities, placed in the most populous of each group.
    const sorted = [...own].sort((a, b) => (a.code < b.code ? -1 : 1));
    for (let i = 0; i < sorted.length; ) {
      const size = rng.int(2, 3);
      const group = sorted.slice(i, i + size);
      i += size;
      const host = group.reduce((best, c) => (c.population > best.population ? c : best), group[0]!);
      if (host.code === centre.code && group.length === 1) continue;
      add(
        'health_station',
        host.urban ? `${shortName(host.name)}卫生服务站` : `${shortName(host.name)}卫生室`,
        host,
        host.code,
        rng.int(30, 120),
        '08:00-17:00',
        rng.chance(0.85),
      );
    }
  }

  for (const community of communities) {
    const name = shortName(community.name);
    const urban = community.urban;
    if (rng.chance(urban ? 0.9 : 0.785)) add('governance_workstation', `${name}综治工作站`, community, community.code, rng.int(2, 6), OFFICE_HOURS);
    add('service_station', urban ? `${name}党群服务中心` : `${name}便民服务站`, community, community.code, rng.int(1, 4), OFFICE_HOURS);
    if (rng.chance(0.95)) add('mediation_room', `${name}人民调解委员会调解室`, community, community.code, rng.int(3, 9), OFFICE_HOURS);
    if (rng.chance(urban ? 0.62 : 0.22)) add('elder_day_care', `${name}日间照料中心`, community, community.code, urban ? rng.int(20, 60) : rng.int(10, 30), '08:00-17:30');
    if (rng.chance(urban ? 0.45 : 0.12)) add('after_school_class', `${name}四点半课堂`, community, community.code, rng.int(20, 60), '16:30-18:30');
    if (rng.chance(urban ? 0.35 : 0.15)) add('disability_room', `${name}助残活动室`, community, community.code, rng.int(10, 30), OFFICE_HOURS);
    if (urban && rng.chance(0.5)) add('police_post', `${name}警务室`, community, community.code, rng.int(1, 4), '08:00-20:00');

    // Chain convenience stores: about one per 1,200 residents in residents' committees, rare in villages.
    const stores = rng.poisson(community.population / (urban ? 1200 : 6000));
    for (let k = 0; k < stores; k++) {
      const brand = rng.pick(['便利蜂', '罗森', '7-Eleven', '全家', '好又多便利', '兴隆便利', '红旗连锁', '益民便利']);
      add('convenience_store', `${brand}（${name}${k + 1}号店）`, community, community.code, rng.int(200, 900), rng.chance(0.6) ? '00:00-24:00' : '07:00-23:00');
    }
  }

  out.lngLat = Float64Array.from(positions);
  out.capacity = Uint32Array.from(capacities);
  // Keep only what the communities index knows (every facility has a community).
  for (const code of out.communityCode) if (!communityByCode.has(code)) throw new Error(`facility in unknown community ${code}`);
  return out;
}

/**
 * Moves facilities that ended up far from the walking network (more than `maxMeters` from every node;
 * e.g. in a gated block the network skips) to the demand point of their community that is nearest to
 * the network, when that is closer. Only facilities inside the network's cities are considered.
 * Returns how many moved.
 */
export function pullFacilitiesToNetwork(
  facilities: Facilities,
  demandPoints: DemandPoints,
  gridCommunityCodes: readonly string[],
  nodeLngLat: Float64Array,
  cityCodes: readonly string[],
  maxMeters = 250,
): number {
  const nodeCount = nodeLngLat.length / 2;
  if (nodeCount === 0) return 0;
  const index = new KDBush(nodeCount);
  for (let i = 0; i < nodeCount; i++) index.add(nodeLngLat[i * 2]!, nodeLngLat[i * 2 + 1]!);
  index.finish();
  const metersPerDegreeLat = 111_320;
  const distanceToNetwork = (lng: number, lat: number): number => {
    const metersPerDegreeLng = metersPerDegreeLat * Math.cos((lat * Math.PI) / 180);
    const nearest = nearestNode(index, lng, lat);
    if (nearest === -1) return Infinity;
    return Math.hypot((nodeLngLat[nearest * 2]! - lng) * metersPerDegreeLng, (nodeLngLat[nearest * 2 + 1]! - lat) * metersPerDegreeLat);
  };
  const pointsByCommunity = new Map<string, number[]>();
  for (let i = 0; i < demandPoints.population.length; i++) {
    const code = gridCommunityCodes[demandPoints.gridIndex[i]!]!;
    const list = pointsByCommunity.get(code);
    if (list) list.push(i);
    else pointsByCommunity.set(code, [i]);
  }
  let moved = 0;
  for (let f = 0; f < facilities.kind.length; f++) {
    const code = facilities.communityCode[f]!;
    if (!cityCodes.some((city) => code.startsWith(city))) continue;
    const lng = facilities.lngLat[f * 2]!;
    const lat = facilities.lngLat[f * 2 + 1]!;
    const current = distanceToNetwork(lng, lat);
    if (current <= maxMeters) continue;
    let best = -1;
    let bestDistance = current;
    for (const p of pointsByCommunity.get(code) ?? []) {
      const d = distanceToNetwork(demandPoints.lngLat[p * 2]!, demandPoints.lngLat[p * 2 + 1]!);
      if (d < bestDistance) {
        bestDistance = d;
        best = p;
      }
    }
    if (best >= 0) {
      facilities.lngLat[f * 2] = demandPoints.lngLat[best * 2]!;
      facilities.lngLat[f * 2 + 1] = demandPoints.lngLat[best * 2 + 1]!;
      moved += 1;
    }
  }
  return moved;
}

/**
 * The network node nearest (planar degree distance) to (lng, lat) among those in the first box of
 * half-side 0.002° · 2^j around it (j = 0, 1, … up to 0.512°) that holds any node, the first in
 * KDBush#range order on a tie; -1 when none is within 0.512°. A depth-first search in the order of
 * KDBush#range that also skips the halves that cannot hold a node as near as the best so far, so a
 * point far from the network no longer collects and sorts most of its nodes.
 */
function nearestNode(index: KDBush, lng: number, lat: number): number {
  const { ids, coords, nodeSize } = index;
  // Per entry: left, right, axis, and the half's bounds x0, y0, x1, y1 (the kd-split coordinates above it).
  const stack: number[] = [];
  for (let radius = 0.002; radius < 1; radius *= 2) {
    const minX = lng - radius;
    const minY = lat - radius;
    const maxX = lng + radius;
    const maxY = lat + radius;
    let best = -1;
    let bestDistance = Infinity;
    const consider = (i: number): void => {
      const x = coords[2 * i]!;
      const y = coords[2 * i + 1]!;
      if (x < minX || x > maxX || y < minY || y > maxY) return;
      const d = (x - lng) ** 2 + (y - lat) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = ids[i]!;
      }
    };
    stack.push(0, ids.length - 1, 0, -Infinity, -Infinity, Infinity, Infinity);
    while (stack.length > 0) {
      const y1 = stack.pop()!;
      const x1 = stack.pop()!;
      const y0 = stack.pop()!;
      const x0 = stack.pop()!;
      const axis = stack.pop()!;
      const right = stack.pop()!;
      const left = stack.pop()!;
      const dx = lng < x0 ? x0 - lng : lng > x1 ? lng - x1 : 0;
      const dy = lat < y0 ? y0 - lat : lat > y1 ? lat - y1 : 0;
      // A little slack keeps ties (and rounding in the bound) in the search.
      if (dx ** 2 + dy ** 2 > bestDistance * (1 + 1e-9)) continue;
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) consider(i);
        continue;
      }
      const m = (left + right) >> 1;
      consider(m);
      const x = coords[2 * m]!;
      const y = coords[2 * m + 1]!;
      if (axis === 0 ? minX <= x : minY <= y) stack.push(left, m - 1, 1 - axis, x0, y0, axis === 0 ? x : x1, axis === 0 ? y1 : y);
      if (axis === 0 ? maxX >= x : maxY >= y) stack.push(m + 1, right, 1 - axis, axis === 0 ? x : x0, axis === 0 ? y0 : y, x1, y1);
    }
    if (best !== -1) return best;
  }
  return -1;
}
