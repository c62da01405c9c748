// Synthetic grid inputs for the dispute generator's tests and benchmark: square grids with NBS-shaped
// codes and the street/county boundary lines between them, laid out on a local plane (metres) and
// converted to WGS84 lon/lat. Not real geography.

import type { DisputeBoundaryLine, DisputeGrid } from './disputes';
import { METERS_PER_DEGREE } from './disputes-grid-index';
import type { Rng } from '../../server/analysis/random';

export interface SyntheticDisputeInput {
  grids: DisputeGrid[];
  boundaryLines: DisputeBoundaryLine[];
}

interface Plane {
  toLngLat(x: number, y: number): number[];
}

function createPlane(originLng: number, originLat: number, centerLat: number): Plane {
  const kx = METERS_PER_DEGREE * Math.cos((centerLat * Math.PI) / 180);
  return {
    toLngLat: (x, y) => [Math.round((originLng + x / kx) * 1e7) / 1e7, Math.round((originLat + y / METERS_PER_DEGREE) * 1e7) / 1e7],
  };
}

/** A square [x0, x1] × [y0, y1] (metres) as a one-part MultiPolygon with edge midpoints, counter-clockwise. */
function squarePolygon(plane: Plane, x0: number, y0: number, x1: number, y1: number): number[][][][] {
  const xm = (x0 + x1) / 2;
  const ym = (y0 + y1) / 2;
  const ring = [[x0, y0], [xm, y0], [x1, y0], [x1, ym], [x1, y1], [xm, y1], [x0, y1], [x0, ym], [x0, y0]].map(([x, y]) => plane.toLngLat(x!, y!));
  return [[ring]];
}

/** A line through (x, y) points in metres, with a vertex every `stepMeters`. */
function straightLine(plane: Plane, x0: number, y0: number, x1: number, y1: number, stepMeters: number): number[][] {
  const steps = Math.max(1, Math.round(Math.hypot(x1 - x0, y1 - y0) / stepMeters));
  const line: number[][] = [];
  for (let k = 0; k <= steps; k++) line.push(plane.toLngLat(x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps));
  return line;
}

/** Integer populations proportional to `weights`, summing exactly to `total`. */
function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const populations = weights.map((w) => Math.floor((w / sum) * total));
  let remainder = total - populations.reduce((a, b) => a + b, 0);
  for (let k = 0; remainder > 0; k = (k + 1) % populations.length, remainder--) populations[k]! += 1;
  return populations;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export interface SquareDisputeInputOptions {
  columns: number;
  rows: number;
  cellMeters: number;
  /** WGS84 centre of the block. */
  centerLngLat: [number, number];
  totalPopulation: number;
  rng: Rng;
}

/**
 * columns × rows square grids. Two counties (210103 south, 210104 north), each split into a west
 * (…001) and an east (…002) street; communities of 2 × 2 cells. The middle half in both directions
 * is urban (about 2.5× the population per cell). Boundary lines: the street line down the middle of
 * each county and the county line across the middle.
 */
export function buildSquareDisputeInput(options: SquareDisputeInputOptions): SyntheticDisputeInput {
  const { columns, rows, cellMeters, rng } = options;
  const width = columns * cellMeters;
  const height = rows * cellMeters;
  const kx = METERS_PER_DEGREE * Math.cos((options.centerLngLat[1] * Math.PI) / 180);
  const plane = createPlane(options.centerLngLat[0] - width / 2 / kx, options.centerLngLat[1] - height / 2 / METERS_PER_DEGREE, options.centerLngLat[1]);
  const cells: { code: string; community: string; urban: boolean; polygon: number[][][][] }[] = [];
  const weights: number[] = [];
  const gridsInCommunity = new Map<string, number>();
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const county = row < rows / 2 ? '210103' : '210104';
      const street = `${county}${column < columns / 2 ? '001' : '002'}`;
      const communityIndex = Math.floor((row % Math.ceil(rows / 2)) / 2) * Math.ceil(columns / 4) + Math.floor((column % Math.ceil(columns / 2)) / 2);
      const community = `${street}${pad(communityIndex + 1, 3)}`;
      const k = (gridsInCommunity.get(community) ?? 0) + 1;
      gridsInCommunity.set(community, k);
      const urban = column >= columns / 4 && column < (3 * columns) / 4 && row >= rows / 4 && row < (3 * rows) / 4;
      cells.push({
        code: `${community}${pad(k, 3)}`,
        community,
        urban,
        polygon: squarePolygon(plane, column * cellMeters, row * cellMeters, (column + 1) * cellMeters, (row + 1) * cellMeters),
      });
      weights.push((urban ? 2.5 : 1) * rng.uniform(0.5, 1.5));
    }
  }
  const populations = apportion(weights, options.totalPopulation);
  const grids = cells.map((cell, k) => ({
    gridCode: cell.code,
    communityCode: cell.community,
    population: populations[k]!,
    urban: cell.urban,
    polygon: cell.polygon,
  }));
  const midX = Math.ceil(columns / 2) * cellMeters;
  const midY = Math.ceil(rows / 2) * cellMeters;
  const boundaryLines: DisputeBoundaryLine[] = [
    { id: 'street-210103001-210103002', level: 'street', leftCode: '210103001', rightCode: '210103002', coordinates: straightLine(plane, midX, 0, midX, midY, cellMeters) },
    { id: 'street-210104001-210104002', level: 'street', leftCode: '210104001', rightCode: '210104002', coordinates: straightLine(plane, midX, midY, midX, height, cellMeters) },
    { id: 'county-210103-210104', level: 'county', leftCode: '210103', rightCode: '210104', coordinates: straightLine(plane, 0, midY, width, midY, cellMeters) },
  ];
  return { grids, boundaryLines };
}

export interface SyntheticProvinceOptions {
  totalPopulation: number;
  /** Share of residents in town grids (Liaoning 2020: 72 %). */
  urbanShare?: number;
  rng: Rng;
}

/**
 * About 42,000 grids for benchmarks: 14 cities of 49 × 49 town grids (286 m squares) set into a
 * 100 × 91 lattice of 2 km village grids; 100 counties of 10 × 10 lattice cells; county lines along
 * the lattice and street lines between the 7-column strips of each city.
 */
export function buildSyntheticProvinceInput(options: SyntheticProvinceOptions): SyntheticDisputeInput {
  const { rng } = options;
  const urbanShare = options.urbanShare ?? 0.72;
  const latticeColumns = 100;
  const latticeRows = 91;
  const cellMeters = 2000;
  const citySpan = 7;
  const urbanPerSide = 49;
  const urbanMeters = (citySpan * cellMeters) / urbanPerSide;
  const plane = createPlane(119.8, 39.9, 41.6);
  const cityOrigins: [number, number][] = [];
  for (let k = 0; k < 14; k++) cityOrigins.push([5 + (k % 5) * 19, 5 + Math.floor(k / 5) * 28]);
  const cityAt = (column: number, row: number): number =>
    cityOrigins.findIndex(([cx, cy]) => column >= cx && column < cx + citySpan && row >= cy && row < cy + citySpan);
  const countyCode = (column: number, row: number): string => {
    const county = Math.floor(row / 10) * 10 + Math.floor(column / 10);
    return `21${pad(1 + Math.floor(county / 8), 2)}${pad(1 + (county % 8), 2)}`;
  };

  const ruralCells: { code: string; community: string; polygon: number[][][][] }[] = [];
  for (let row = 0; row < latticeRows; row++) {
    for (let column = 0; column < latticeColumns; column++) {
      if (cityAt(column, row) >= 0) continue;
      const street = `${countyCode(column, row)}${pad(1 + Math.floor((row % 10) / 5) * 2 + Math.floor((column % 10) / 5), 3)}`;
      const community = `${street}${pad(1 + (row % 5) * 5 + (column % 5), 3)}`;
      ruralCells.push({
        code: `${community}001`,
        community,
        polygon: squarePolygon(plane, column * cellMeters, row * cellMeters, (column + 1) * cellMeters, (row + 1) * cellMeters),
      });
    }
  }
  const urbanCells: { code: string; community: string; polygon: number[][][][] }[] = [];
  cityOrigins.forEach(([cx, cy]) => {
    const county = countyCode(cx + 3, cy + 3);
    for (let row = 0; row < urbanPerSide; row++) {
      for (let column = 0; column < urbanPerSide; column++) {
        const strip = Math.floor(column / citySpan);
        const street = `${county}${pad(100 + strip, 3)}`;
        const within = row * citySpan + (column % citySpan);
        const community = `${street}${pad(1 + Math.floor(within / 6), 3)}`;
        const x0 = cx * cellMeters + column * urbanMeters;
        const y0 = cy * cellMeters + row * urbanMeters;
        urbanCells.push({ code: `${community}${pad(1 + (within % 6), 3)}`, community, polygon: squarePolygon(plane, x0, y0, x0 + urbanMeters, y0 + urbanMeters) });
      }
    }
  });
  const urbanPopulation = Math.round(options.totalPopulation * urbanShare);
  const urbanPopulations = apportion(urbanCells.map(() => rng.uniform(0.4, 1.6)), urbanPopulation);
  const ruralPopulations = apportion(ruralCells.map(() => rng.uniform(0.3, 1.7)), options.totalPopulation - urbanPopulation);
  const grids: DisputeGrid[] = [
    ...urbanCells.map((cell, k) => ({ gridCode: cell.code, communityCode: cell.community, population: urbanPopulations[k]!, urban: true, polygon: cell.polygon })),
    ...ruralCells.map((cell, k) => ({ gridCode: cell.code, communityCode: cell.community, population: ruralPopulations[k]!, urban: false, polygon: cell.polygon })),
  ];

  const boundaryLines: DisputeBoundaryLine[] = [];
  for (let band = 0; band * 10 < latticeRows; band++) {
    const y0 = band * 10 * cellMeters;
    const y1 = Math.min(latticeRows, band * 10 + 10) * cellMeters;
    for (let k = 1; k * 10 < latticeColumns; k++) {
      const x = k * 10 * cellMeters;
      const left = countyCode(k * 10 - 1, band * 10);
      const right = countyCode(k * 10, band * 10);
      boundaryLines.push({ id: `county-${left}-${right}`, level: 'county', leftCode: left, rightCode: right, coordinates: straightLine(plane, x, y0, x, y1, cellMeters) });
    }
  }
  for (let band = 0; band * 10 < latticeColumns; band++) {
    const x0 = band * 10 * cellMeters;
    const x1 = Math.min(latticeColumns, band * 10 + 10) * cellMeters;
    for (let k = 1; k * 10 < latticeRows; k++) {
      const y = k * 10 * cellMeters;
      const left = countyCode(band * 10, k * 10 - 1);
      const right = countyCode(band * 10, k * 10);
      boundaryLines.push({ id: `county-${left}-${right}`, level: 'county', leftCode: left, rightCode: right, coordinates: straightLine(plane, x0, y, x1, y, cellMeters) });
    }
  }
  cityOrigins.forEach(([cx, cy]) => {
    const county = countyCode(cx + 3, cy + 3);
    for (let strip = 1; strip < urbanPerSide / citySpan; strip++) {
      const x = cx * cellMeters + strip * citySpan * urbanMeters;
      const left = `${county}${pad(100 + strip - 1, 3)}`;
      const right = `${county}${pad(100 + strip, 3)}`;
      boundaryLines.push({
        id: `street-${left}-${right}`,
        level: 'street',
        leftCode: left,
        rightCode: right,
        coordinates: straightLine(plane, x, cy * cellMeters, x, (cy + citySpan) * cellMeters, urbanMeters),
      });
    }
  });
  return { grids, boundaryLines };
}
