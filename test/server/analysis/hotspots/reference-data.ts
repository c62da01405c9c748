// Readers for the classic spatial-statistics datasets (tests only), read where the project keeps its
// public reference data: ../shared/testdata/spatial-stats next to the repository or its vendored copy
// (test/support/shared-data.ts; ATLAS_TESTDATA_DIR overrides the testdata directory). Missing data is an error that says where to put it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDbf } from 'shapefile';
import { TESTDATA_DIR } from '../../../support/shared-data';
import { parseGalWeights, rowStandardizeWeights, type SpatialWeights } from '../../../../server/analysis/hotspots/spatial-weights';

export const SPATIAL_STATS_DIR = join(TESTDATA_DIR, 'spatial-stats');

/** Path of a reference file, or an error naming the directory to provide. */
export function referencePath(...parts: string[]): string {
  const file = join(SPATIAL_STATS_DIR, ...parts);
  if (!existsSync(file)) throw new Error(`reference data missing: ${file} (see ../shared/testdata/README.md; ATLAS_TESTDATA_DIR points elsewhere)`);
  return file;
}

/** Rows of a dBASE file. */
export async function readDbfRows(path: string): Promise<Record<string, unknown>[]> {
  const source = await openDbf(path);
  const rows: Record<string, unknown>[] = [];
  for (let record = await source.read(); !record.done; record = await source.read()) rows.push(record.value as Record<string, unknown>);
  return rows;
}

/** A GAL file's weights in the given id order, row-standardised unless asked otherwise. */
export function readGal(file: string, ids?: readonly string[], rowStandardized = true): SpatialWeights {
  const { weights } = parseGalWeights(readFileSync(referencePath(file), 'utf8'), ids);
  return rowStandardized ? rowStandardizeWeights(weights) : weights;
}

/** A column of a GeoDa text file (line 1 "n,k", line 2 the quoted header). */
export function readGeoDaColumn(file: string, column: string): number[] {
  const lines = readFileSync(referencePath(file), 'utf8').trim().split(/\r?\n/);
  const header = lines[1]!.split(',').map((name) => name.replace(/"/g, ''));
  const index = header.indexOf(column);
  if (index < 0) throw new Error(`${file} has no column ${column}`);
  return lines.slice(2).map((line) => Number(line.split(',')[index]));
}
