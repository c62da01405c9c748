// The importer's vocabulary: the layers it replaces, one source feature as every reader yields it, the
// validation report's issues, and the error that refuses a whole file.

import type { Geometry } from 'geojson';
import { DATA_LAYERS, type DataLayer } from '../../domain/data-layers';

export const IMPORT_LAYERS = DATA_LAYERS;
export type ImportLayer = DataLayer;

/** Layers this importer can write today; the others are refused by name. */
export const WRITABLE_IMPORT_LAYERS: readonly ImportLayer[] = ['units', 'grids', 'facilities', 'lines', 'roads', 'population', 'disputes'];

/** One feature or row of a source file, before coordinate conversion. */
export interface SourceFeature {
  /** 1-based feature number in the file; for CSV and XLSX the 1-based data row (the header is row 0). */
  number: number;
  properties: Record<string, unknown>;
  /** In the source's coordinate system; null when the row has none. */
  geometry: Geometry | null;
}

export type IssueSeverity = 'error' | 'warning' | 'repaired';

/** One finding of the validation, about one feature (or the file as a whole: feature 0). */
export interface ImportIssue {
  severity: IssueSeverity;
  /** The feature or row number (SourceFeature.number); 0 for the file as a whole. */
  feature: number;
  /** Machine-readable kind, e.g. "missing-field", "outside-parent", "grid-overlap". */
  code: string;
  message: string;
  field?: string;
  /** Where the problem is (WGS84 degrees), when it has a place. */
  lngLat?: [number, number];
  /** Area of an overlap, gap or sliver, square metres. */
  areaM2?: number;
}

/** A problem that refuses the whole file before anything is written ("<file>: <problem>"). */
export class ImportFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ImportFileError';
  }
}

/** Features per import at most: a larger file is refused while streaming, before it fills memory. */
export const MAX_IMPORT_FEATURES = 500_000;

/** Issues listed in a report at most; the counts stay exact beyond it. */
export const MAX_LISTED_ISSUES = 5_000;
