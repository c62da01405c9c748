// The real geography every database starts from: division codes with census populations rolled up,
// and the county polygons repaired into an exact partition (noded, one owner per face), converted to
// WGS84 and turned into a shared-arc topology with per-zoom-band simplifications.

import type { Topology } from 'topojson-specification';
import { nodeRingCrossings } from '../analysis/geo/node-ring-crossings';
import { partitionPlanarFaces, type FaceOwnerRule } from '../analysis/geo/planar-partition';
import { buildUnitTopology, simplifyTopologyByBand, type TopologyUnit, type UnitTopology } from '../analysis/geo/unit-topology';
import { createWgs84Converter } from '../ingest/coordinate-systems';
import {
  readCountyCensus,
  readCountyOutlines,
  readDivisionCodes,
  type CountyCensus,
  type DivisionRecord,
} from '../ingest/liaoning-sources';

/** One admin unit as it will be written: its code record plus figures filled in along the way. */
export interface UnitRow {
  /** Row id (and R*Tree id) in admin_unit. */
  id: number;
  division: DivisionRecord;
  population: number | null;
  /** Share of residents counted urban, 0..1. */
  urbanShare: number | null;
  childCount: number;
  /** Label point when known in advance (generated units); otherwise computed from the geometry. */
  labelLngLat?: [number, number];
}

export interface BaseGeography {
  units: Map<string, UnitRow>;
  /** Repaired county polygons, WGS84, shells counter-clockwise. */
  counties: TopologyUnit[];
  countyTopology: UnitTopology;
  /** One simplified topology per zoom band; the last is full detail. */
  countyBands: Topology[];
  insertedPoints: number;
}

/** A face goes to the lowest-index unit winding positively around it, else to one winding negatively. */
const claimFaceOnce: FaceOwnerRule = (windingByUnit) => {
  let positive = -1;
  let negative = -1;
  for (const [unit, winding] of windingByUnit) {
    if (winding >= 1 && (positive === -1 || unit < positive)) positive = unit;
    if (winding <= -1 && (negative === -1 || unit < negative)) negative = unit;
  }
  return positive !== -1 ? positive : negative;
};

export function prepareBaseGeography(sourcesDir: string, log: (message: string) => void = () => {}): BaseGeography {
  const divisions = readDivisionCodes(sourcesDir);
  const census = readCountyCensus(sourcesDir);
  const outlines = readCountyOutlines(sourcesDir, divisions);
  log(`read ${divisions.length} division codes, ${census.length} census rows, ${outlines.length} county outlines`);

  const units = indexUnits(divisions);
  rollUpPopulation(units, census);

  // Repair in the source coordinates (exact shared vertices), then convert. One owner per face of all
  // counties' rings together: overlaps claimed twice go to one county, and a face only a twisted
  // (reversed) lobe claims stays with that county (the non-zero rule).
  const toWgs84 = createWgs84Converter('GCJ02');
  const noded = nodeRingCrossings(outlines.map((outline) => outline.parts));
  const repaired = partitionPlanarFaces(noded.units, claimFaceOnce);
  const counties = outlines.map((outline, index) => ({
    code: outline.code,
    coordinates: repaired[index]!.map((polygon) => polygon.map((ring) => ring.map((position) => toWgs84(position)))),
  }));
  const countyTopology = buildUnitTopology(counties);
  const countyBands = simplifyTopologyByBand(countyTopology.topology);
  log(`counties: ${noded.insertedPoints} points noded, ${countyTopology.topology.arcs.length} arcs, ${countyBands.length} zoom bands`);
  return { units, counties, countyTopology, countyBands, insertedPoints: noded.insertedPoints };
}

function indexUnits(divisions: readonly DivisionRecord[]): Map<string, UnitRow> {
  const units = new Map<string, UnitRow>();
  divisions.forEach((division, index) => {
    if (units.has(division.code)) throw new Error(`division code ${division.code} appears twice`);
    units.set(division.code, { id: index + 1, division, population: null, urbanShare: null, childCount: 0 });
  });
  for (const unit of units.values()) {
    const parentCode = unit.division.parentCode;
    if (parentCode === null) continue;
    const parent = units.get(parentCode);
    if (!parent) throw new Error(`unit ${unit.division.code} names unknown parent ${parentCode}`);
    parent.childCount += 1;
  }
  return units;
}

/** County census figures, summed up to cities and the province (urban share population-weighted). */
function rollUpPopulation(units: Map<string, UnitRow>, census: readonly CountyCensus[]): void {
  const urbanPopulation = new Map<string, number>();
  for (const row of census) {
    const county = units.get(row.code);
    if (!county || county.division.level !== 'county') throw new Error(`census row ${row.code} is not a county`);
    county.population = row.population;
    county.urbanShare = row.urbanShare;
    let parentCode = county.division.parentCode;
    while (parentCode !== null) {
      const parent = units.get(parentCode)!;
      parent.population = (parent.population ?? 0) + row.population;
      urbanPopulation.set(parentCode, (urbanPopulation.get(parentCode) ?? 0) + row.population * row.urbanShare);
      parentCode = parent.division.parentCode;
    }
  }
  for (const [code, urban] of urbanPopulation) {
    const unit = units.get(code)!;
    unit.urbanShare = Math.round((urban / unit.population!) * 10000) / 10000;
  }
  for (const unit of units.values()) {
    if (unit.division.level === 'county' && unit.population === null) {
      throw new Error(`county ${unit.division.code} has no census row`);
    }
  }
}
