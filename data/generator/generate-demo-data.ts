// The demonstration-data generator: from the real counties, codes and census it builds streets,
// communities and grids with populations and demand points, their topologies (street boundary lines
// by the same arc method as county lines), facilities, a walking network for the urban streets of
// Shenyang and Dalian, and 12 months of disputes with planted clusters. Pure: no I/O, one seed.

import type { LineString, MultiLineString } from 'geojson';
import type { Topology } from 'topojson-specification';
import {
  buildUnitTopology,
  groupBoundaryArcs,
  renderChains,
  simplifyTopologyByBand,
  type BoundaryArcGroup,
  type UnitTopology,
} from '../../server/analysis/geo/unit-topology';
import { FULL_DETAIL_BAND } from '../../server/domain/zoom-bands';
import { generateAdminPartition, type AdminPartition, type CountyInput, type DivisionInput } from './admin-partition';
import { generateDisputeHistory, type DisputeBoundaryLine, type DisputeHistory } from './disputes';
import { generateFacilities, pullFacilitiesToNetwork, type Facilities } from './facilities';
import { createRng } from '../../server/analysis/random';
import { generateWalkingNetwork, type WalkingNetwork } from './walking-network';

/** Cities whose urban streets get a walking network. */
export const NETWORK_CITY_CODES = ['2101', '2102'] as const;

export interface DemoDataOptions {
  seed: number;
  /** '21' for the whole province, or a city/county code: only units inside it are generated. */
  scope: string;
  /** The data's "now" (ms since epoch): disputes cover the 12 months before it. */
  nowMs: number;
  counties: CountyInput[];
  streets: DivisionInput[];
  communities: DivisionInput[];
  /** The county topology and its bands (for county boundary lines near which disputes cluster). */
  countyTopology: UnitTopology;
  countyBands: Topology[];
  log?: (message: string) => void;
}

export interface DemoData {
  seed: number;
  scope: string;
  nowMs: number;
  partition: AdminPartition;
  streetTopology: UnitTopology;
  streetBands: Topology[];
  communityTopology: UnitTopology;
  communityBands: Topology[];
  facilities: Facilities;
  network: WalkingNetwork | null;
  disputes: DisputeHistory;
  timings: Record<string, number>;
}

const inScope = (scope: string) => (code: string) => code.startsWith(scope);

/** Lines between adjacent units of a topology (pairs only, not the outer edge), at full detail. */
export function pairLines(topology: UnitTopology, bands: Topology[], level: DisputeBoundaryLine['level'], groupOf: (code: string) => string) {
  return groupBoundaryArcs(topology, groupOf)
    .filter((group): group is BoundaryArcGroup & { rightGroup: string } => group.rightGroup !== null)
    .map((group) => {
      const geometry = renderChains(bands[FULL_DETAIL_BAND]!, group.chains) as LineString | MultiLineString;
      return {
        id: `${level}:${group.leftGroup}|${group.rightGroup}`,
        level,
        leftCode: group.leftGroup,
        rightCode: group.rightGroup,
        coordinates: geometry.coordinates,
      } satisfies DisputeBoundaryLine;
    });
}

export function generateDemoData(options: DemoDataOptions): DemoData {
  const { seed, scope, nowMs, log = () => {} } = options;
  const rng = createRng(seed);
  const timings: Record<string, number> = {};
  const time = <T>(label: string, work: () => T): T => {
    const started = performance.now();
    const result = work();
    timings[label] = (performance.now() - started) / 1000;
    log(`${label}: ${timings[label]!.toFixed(1)} s`);
    return result;
  };
  const keep = inScope(scope);
  const counties = options.counties.filter((c) => keep(c.code));
  if (counties.length === 0) throw new Error(`scope ${scope} holds no county`);
  const countyCodes = new Set(counties.map((c) => c.code));
  const streets = options.streets.filter((s) => countyCodes.has(s.parentCode));
  const streetCodes = new Set(streets.map((s) => s.code));
  const communities = options.communities.filter((c) => streetCodes.has(c.parentCode));

  const partition = time('streets, communities, grids and demand points', () =>
    generateAdminPartition({ counties, streets, communities, rng: rng.fork('admin'), log }),
  );

  const { streetTopology, streetBands, communityTopology, communityBands } = time('street and community topology', () => {
    const streetTopology = buildUnitTopology(partition.streets.map((s) => ({ code: s.code, coordinates: s.polygon })));
    const communityTopology = buildUnitTopology(partition.communities.map((c) => ({ code: c.code, coordinates: c.polygon })));
    return {
      streetTopology,
      streetBands: simplifyTopologyByBand(streetTopology.topology),
      communityTopology,
      communityBands: simplifyTopologyByBand(communityTopology.topology),
    };
  });

  const facilities = time('facilities', () =>
    generateFacilities({
      counties,
      streets: partition.streets,
      communities: partition.communities,
      grids: partition.grids,
      demandPoints: partition.demandPoints,
      rng: rng.fork('facilities'),
    }),
  );

  const networkAreas = partition.streets
    .filter((s) => s.urban && NETWORK_CITY_CODES.some((city) => s.code.startsWith(city)))
    .map((s) => ({ code: s.code, polygon: s.polygon }));
  const network =
    networkAreas.length === 0
      ? null
      : time('walking network', () => generateWalkingNetwork({ areas: networkAreas, rng: rng.fork('walking-network') }));

  if (network) {
    const moved = pullFacilitiesToNetwork(
      facilities,
      partition.demandPoints,
      partition.grids.map((grid) => grid.parentCode),
      network.nodeLngLat,
      NETWORK_CITY_CODES,
    );
    log(`facilities moved next to the walking network: ${moved}`);
  }

  const disputes = time('disputes', () => {
    const lines = [
      ...pairLines(streetTopology, streetBands, 'street', (code) => code),
      ...pairLines(options.countyTopology, options.countyBands, 'county', (code) => code).filter(
        (line) => keep(line.leftCode) && keep(line.rightCode),
      ),
    ];
    return generateDisputeHistory({
      grids: partition.grids.map((g) => ({
        gridCode: g.code,
        communityCode: g.parentCode,
        population: g.population,
        urban: g.urban,
        polygon: g.polygon,
      })),
      boundaryLines: lines,
      nowMs,
      rng: rng.fork('disputes'),
    });
  });

  return {
    seed,
    scope,
    nowMs,
    partition,
    streetTopology,
    streetBands,
    communityTopology,
    communityBands,
    facilities,
    network,
    disputes,
    timings,
  };
}
