// One import, stage by stage: read the file (streamed), settle its coordinate system, convert every
// feature to WGS84, validate it into a row of its layer, check the layer as a whole (duplicates, grid
// tiling, shifted coordinates), then — only when nothing is in error and it is not a dry run — write the
// layer in one transaction (re-deriving the codes other layers take from new units or grids). The report
// names every feature at fault by its number.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Geometry, Position } from 'geojson';
import { createCrsConverter, type ImportCrs } from './crs';
import type { ShiftCheck } from './crs-check';
import { checkCoordinateUnits, checkSampleShift, closeReport, firstPosition, hashFile, mapPositions, samplePositions, settleCrs, SHIFT_SAMPLE_SIZE } from './import-source';
import { ImportFileError, MAX_IMPORT_FEATURES, WRITABLE_IMPORT_LAYERS, type ImportIssue, type ImportLayer } from './import-types';
import { openFeatureSource, type FeatureSource } from './read';
import { ReferenceGeography } from './reference-geography';
import { IssueLog, checkGridTiling, pickField, rejectRepeats, validateFacility, validateGrid, validateCommunity, validateLineRecord, validatePopulationPoint, type CommunityRow, type FacilityRow, type LineRecordRow, type GridRow, type PopulationRow } from './validate';
import { EDGE_CLASSES, type EdgeClass } from '../../../data/generator/walking-network';
import { addOsmPbfWays, edgeClassOfProperties, RoadNetworkBuilder, type RoadRows } from './roads';
import { keepUndoFromEnv, writeCommunities, writeDisputes, writeFacilities, writeGrids, writeLineRecords, writePopulation, writeRoads } from './write';
import type { RederivedCounts, RederiveSummary } from './rederive-places';
import Database from 'better-sqlite3';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../../domain/dispute-deadlines';
import { SqliteDisputeStore } from '../../store/sqlite-dispute-store';
import { validateDispute, type DisputePlaces, type DisputeRow } from './disputes-validate';

export interface ImportOptions {
  databasePath: string;
  layer: ImportLayer;
  filePath: string;
  /** The --crs option; overrides what the file declares. */
  crs?: ImportCrs | null;
  encoding?: string | null;
  /** field → source column. */
  columnMap?: Record<string, string>;
  /** Validate and report only; the database is not opened for writing. */
  dryRun?: boolean;
  /** Deadlines of imported cases (disputes; default DEFAULT_DEADLINE_POLICY, the server passes its own). */
  deadlines?: DeadlinePolicy;
  /** The file's name as reported and recorded (an upload's own name); default: the base name of filePath. */
  fileName?: string;
}

export interface ImportReport {
  layer: ImportLayer;
  /** The imported file's base name. */
  file: string;
  fileSha256: string | null;
  format: string | null;
  /** The system the coordinates were read in and where that came from. */
  crs: { used: string; source: 'option' | 'file' | 'default' } | null;
  encoding: { name: string; source: string } | null;
  featuresRead: number;
  accepted: number;
  /** Features with at least one error. */
  rejected: number;
  issueCounts: { error: number; warning: number; repaired: number };
  issuesByCode: Record<string, number>;
  /** The first MAX_LISTED_ISSUES issues, in file order. */
  issues: ImportIssue[];
  issuesTruncated: boolean;
  shiftCheck: ShiftCheck | null;
  /** Set when the whole file was refused before validation ("<problem>", without the path). */
  fileError: string | null;
  dryRun: boolean;
  committed: boolean;
  importId: number | null;
  /** Codes of other layers re-derived from the new units or grids (units and grids imports that committed; absent for departmental grids). */
  rederived?: RederiveSummary | null;
  previousDataVersion: string | null;
  dataVersion: string | null;
  seconds: number;
}

/**
 * Per layer, the positions it holds now in a box (lng, lat; the box as minLng, maxLng, minLat, maxLat): the
 * shifted-coordinates check compares a file with them as well as with the admin boundaries.
 */
export const LAYER_POSITIONS_SQL: Record<ImportLayer, string | null> = {
  facilities: 'SELECT lng, lat FROM facility WHERE lng BETWEEN ? AND ? AND lat BETWEEN ? AND ?',
  grids: 'SELECT label_lng AS lng, label_lat AS lat FROM grid WHERE label_lng BETWEEN ? AND ? AND label_lat BETWEEN ? AND ?',
  roads: 'SELECT lng, lat FROM road_node WHERE lng BETWEEN ? AND ? AND lat BETWEEN ? AND ?',
  population: 'SELECT lng, lat FROM demand_point WHERE lng BETWEEN ? AND ? AND lat BETWEEN ? AND ?',
  disputes: 'SELECT lng, lat FROM dispute WHERE lng BETWEEN ? AND ? AND lat BETWEEN ? AND ?',
  units: null,
  lines: null,
};

/** Adds a road feature's lines (WGS84) to the network, or logs why it cannot. */
function addRoadFeature(number: number, properties: Record<string, unknown>, geometry: Geometry | null, roads: RoadNetworkBuilder, log: IssueLog): void {
  if (!geometry || (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString')) {
    log.error(number, 'invalid-geometry', geometry ? `a ${geometry.type}, expected a LineString or MultiLineString` : 'no geometry');
    return;
  }
  const edgeClass = edgeClassOfProperties(properties);
  if (!(EDGE_CLASSES as readonly string[]).includes(edgeClass)) {
    log.error(number, 'wrong-type', edgeClass, { field: 'class' });
    return;
  }
  const own = pickField(properties, ['length_meters', 'lengthMeters', 'length_m', 'length_me']);
  const lengthMeters = own ? Number(own.value) : Number.NaN;
  if (own && !(lengthMeters >= 0)) {
    log.error(number, 'wrong-type', `length_meters ${JSON.stringify(own.value)} is not a length ≥ 0`, { field: 'length_meters' });
    return;
  }
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  let added = 0;
  for (const line of lines) added += roads.addLine(line, lines.length === 1 ? lengthMeters : Number.NaN, edgeClass as EdgeClass);
  if (added === 0) log.error(number, 'invalid-geometry', 'a line with fewer than 2 distinct positions');
}

/** Places of cases located as the store locates a live report (grid, else finest unit; the street across), read-only. */
function openDisputePlaces(databasePath: string): DisputePlaces & { close(): void } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  const store = new SqliteDisputeStore(db, false);
  return { locate: (lngLat) => store.locate(lngLat), close: () => db.close() };
}

const REDERIVED_NAMES: Record<'facilities' | 'roadEdges' | 'disputes', string> = { facilities: 'facilities', roadEdges: 'road edges', disputes: 'disputes' };

/** Whole-file notes on re-derived codes: what changed, and warnings with the counts left outside every new unit. */
export function rederivedIssues(summary: RederiveSummary): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const entries = Object.entries(REDERIVED_NAMES).flatMap(([key, name]) => {
    const counts = summary[key as keyof typeof REDERIVED_NAMES] as RederivedCounts | undefined;
    return counts ? [{ name, counts }] : [];
  });
  const changed = entries.filter((entry) => entry.counts.changed > 0).map((entry) => `${entry.counts.changed} ${entry.name}`);
  if (changed.length > 0) issues.push({ severity: 'warning', feature: 0, code: 'codes-rederived', message: `place codes re-derived from the new geometry: ${changed.join(', ')}` });
  for (const { name, counts } of entries) {
    if (counts.outside > 0) {
      issues.push({ severity: 'warning', feature: 0, code: 'outside-new-units', message: `${counts.outside} ${name} lie outside every new unit and keep their previous codes` });
    }
  }
  if (summary.gridsOutsideCommunity) {
    issues.push({ severity: 'warning', feature: 0, code: 'grids-outside-community', message: `${summary.gridsOutsideCommunity} grids lie outside their community's new polygon (their codes name it: re-import the grids)` });
  }
  return issues;
}

/** A report of nothing read yet, for an import of `options.filePath` into `layer`. */
export function emptyReport(layer: ImportLayer, options: Pick<ImportOptions, 'filePath' | 'fileName' | 'dryRun'>): ImportReport {
  return {
    layer,
    file: options.fileName ?? basename(options.filePath),
    fileSha256: null,
    format: null,
    crs: null,
    encoding: null,
    featuresRead: 0,
    accepted: 0,
    rejected: 0,
    issueCounts: { error: 0, warning: 0, repaired: 0 },
    issuesByCode: {},
    issues: [],
    issuesTruncated: false,
    shiftCheck: null,
    fileError: null,
    dryRun: options.dryRun ?? false,
    committed: false,
    importId: null,
    rederived: null,
    previousDataVersion: null,
    dataVersion: null,
    seconds: 0,
  };
}

/**
 * Imports one file into one layer of the atlas database (see the module comment). A file that cannot be
 * read at all is reported in `fileError`; the database is then untouched, as it is after any error.
 */
export async function importLayer(options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const report = emptyReport(options.layer, options);
  if (!WRITABLE_IMPORT_LAYERS.includes(options.layer)) {
    throw new Error(`the ${options.layer} layer cannot be imported yet (importable: ${WRITABLE_IMPORT_LAYERS.join(', ')})`);
  }
  // A malformed setting is refused before the file is read, not after its validation.
  if (!options.dryRun) keepUndoFromEnv(process.env.ATLAS_IMPORT_KEEP_UNDO);
  const log = new IssueLog();
  const reference = new ReferenceGeography(options.databasePath);
  let source: FeatureSource | null = null;
  let places: (DisputePlaces & { close(): void }) | null = null;
  try {
    report.previousDataVersion = reference.meta('data_version');
    try {
      report.fileSha256 = await hashFile(options.filePath);
      source = await openFeatureSource(options.filePath, { columnMap: options.columnMap, encoding: options.encoding ?? null, geometryOptional: options.layer === 'lines' });
    } catch (error) {
      throw new ImportFileError(options.filePath, error instanceof Error ? error.message : String(error));
    }
    report.format = source.format;
    report.encoding = source.encoding;
    const { crs, used } = settleCrs(options.crs, source, log);
    report.crs = used;
    const convert = createCrsConverter(crs);
    const sample: Position[] = [];
    const facilities: FacilityRow[] = [];
    const grids: GridRow[] = [];
    const population: PopulationRow[] = [];
    const communities: CommunityRow[] = [];
    const lineRecords: LineRecordRow[] = [];
    const roads = new RoadNetworkBuilder();
    let roadRows: RoadRows | null = null;
    const disputes: DisputeRow[] = [];
    let disputeTimesFilled = 0;
    const rejected = new Set<number>();
    const nowMs = Date.now();
    if (source.format === 'osmpbf') {
      if (options.layer !== 'roads') throw new ImportFileError(options.filePath, 'an OSM PBF file is read for the roads layer only');
      try {
        const ways = addOsmPbfWays(readFileSync(options.filePath), roads);
        report.featuresRead = ways.waysKept;
        if (ways.waysDropped > 0) log.add({ severity: 'warning', feature: 0, code: 'ways-not-walkable', message: `${ways.waysDropped} highway ways are not walkable (motorways, private, foot=no) and were left out` });
      } catch (error) {
        throw new ImportFileError(options.filePath, error instanceof Error ? error.message : String(error));
      }
    }
    let checkedUnits = false;
    try {
      for await (const feature of source.features) {
        report.featuresRead += 1;
        if (report.featuresRead > MAX_IMPORT_FEATURES) throw new Error(`more than ${MAX_IMPORT_FEATURES} features or rows: split the file`);
        const errorsBefore = log.counts.error;
        if ('problem' in feature) {
          log.error(feature.number, 'unreadable', feature.problem);
          rejected.add(feature.number);
          continue;
        }
        const first = firstPosition(feature.geometry);
        if (!checkedUnits && first) {
          checkedUnits = true;
          checkCoordinateUnits(first, crs, used.source);
        }
        if (sample.length < SHIFT_SAMPLE_SIZE) samplePositions(feature.geometry, sample);
        let geometry: Geometry | null = null;
        try {
          geometry = feature.geometry ? mapPositions(feature.geometry, convert) : null;
        } catch {
          log.error(feature.number, 'invalid-geometry', 'malformed coordinates');
        }
        if (log.counts.error === errorsBefore) {
          if (options.layer === 'facilities') {
            const row = validateFacility(feature.number, feature.properties, geometry, reference, log);
            if (row) facilities.push(row);
          } else if (options.layer === 'disputes') {
            places ??= openDisputePlaces(options.databasePath);
            const row = validateDispute(feature.number, feature.properties, geometry, places, log, { format: source.format, deadlines: options.deadlines ?? DEFAULT_DEADLINE_POLICY, nowMs });
            if (row) {
              disputes.push(row);
              if (row.filledStepTimes) disputeTimesFilled += 1;
            }
          } else if (options.layer === 'lines') {
            const row = validateLineRecord(feature.number, feature.properties, reference, log);
            if (row) lineRecords.push(row);
          } else if (options.layer === 'units') {
            const row = validateCommunity(feature.number, feature.properties, geometry, reference, log);
            if (row) communities.push(row);
          } else if (options.layer === 'population') {
            const row = validatePopulationPoint(feature.number, feature.properties, geometry, reference, log);
            if (row) population.push(row);
          } else if (options.layer === 'roads') {
            addRoadFeature(feature.number, feature.properties, geometry, roads, log);
          } else {
            const row = validateGrid(feature.number, feature.properties, geometry, reference, log, { orientationIsConvention: source.format === 'shapefile' });
            if (row) grids.push(row);
          }
        }
        if (log.counts.error > errorsBefore) rejected.add(feature.number);
      }
    } catch (error) {
      throw new ImportFileError(options.filePath, error instanceof Error ? error.message : String(error));
    }
    if (report.featuresRead === 0) throw new ImportFileError(options.filePath, source.format === 'osmpbf' ? 'no walkable highway ways' : 'no features');
    if (source.format === 'osmpbf') {
      // The PBF's nodes are the sample of the shifted-coordinates check.
      for (let i = 0; i < roads.nodeSample.length && sample.length < SHIFT_SAMPLE_SIZE; i++) sample.push(roads.nodeSample[i]!);
    }

    // Whole-layer checks: duplicates, grid tiling, shifted coordinates.
    if (options.layer === 'facilities') {
      rejectRepeats(facilities, (row) => `${row.kind}|${row.name}|${row.lng}|${row.lat}`, (row, _key, earlier) => log.error(row.number, 'duplicate', `duplicate of feature ${earlier} (same kind, name and position)`, { lngLat: [row.lng, row.lat] }), rejected);
    } else if (options.layer === 'roads') {
      roadRows = roads.finish(reference, log);
    } else if (options.layer === 'disputes') {
      rejectRepeats(disputes, (row) => row.externalId, (row, key, earlier) => log.error(row.number, 'duplicate', `case number ${key} repeats feature ${earlier}`, { field: 'externalId' }), rejected);
      if (disputeTimesFilled > 0) {
        log.add({
          severity: 'warning',
          feature: 0,
          code: 'step-times-filled',
          message: `${disputeTimesFilled} cases skip a workflow step time: each missing step is recorded at the next given step's time`,
        });
      }
      if (disputes.length === 0 && log.counts.error === 0) log.error(0, 'no-features', 'no cases');
    } else if (options.layer === 'lines') {
      rejectRepeats(lineRecords, (row) => row.lineId, (row, key, earlier) => log.error(row.number, 'duplicate', `line ${key} repeats feature ${earlier}`, { field: 'lineId' }), rejected);
    } else if (options.layer === 'units') {
      rejectRepeats(communities, (row) => row.code, (row, key, earlier) => log.error(row.number, 'duplicate', `community ${key} repeats feature ${earlier}`, { field: 'code' }), rejected);
      if (communities.length === 0 && log.counts.error === 0) log.error(0, 'no-features', 'no community polygons');
    } else if (options.layer === 'population') {
      if (population.length === 0 && log.counts.error === 0) log.error(0, 'no-features', 'no population points');
    } else {
      rejectRepeats(grids, (row) => row.code, (row, key, earlier) => log.error(row.number, 'duplicate', `grid code ${key} repeats feature ${earlier}`, { field: 'code' }), rejected);
      checkGridTiling(grids, reference, log);
    }
    report.shiftCheck = checkSampleShift(sample, crs, convert, reference, LAYER_POSITIONS_SQL[options.layer], log);
    report.accepted = report.featuresRead - rejected.size;
    report.rejected = rejected.size;
    if (log.counts.error === 0 && !report.dryRun) {
      const record = {
        layer: options.layer,
        fileName: report.file,
        fileSha256: report.fileSha256!,
        format: source.format,
        crs: crs.label,
        features: {
          facilities: facilities.length,
          roads: roadRows?.edgeFrom.length ?? 0,
          population: population.length,
          grids: grids.length,
          units: communities.length,
          lines: lineRecords.length,
          disputes: disputes.length,
        }[options.layer],
      };
      const written =
        options.layer === 'facilities'
          ? writeFacilities(options.databasePath, record, facilities)
          : options.layer === 'roads'
            ? writeRoads(options.databasePath, record, roadRows!)
            : options.layer === 'population'
              ? writePopulation(options.databasePath, record, population)
              : options.layer === 'units'
                ? writeCommunities(options.databasePath, record, communities)
                : options.layer === 'lines'
                  ? writeLineRecords(options.databasePath, record, lineRecords)
                  : options.layer === 'disputes'
                    ? writeDisputes(options.databasePath, record, disputes, options.deadlines ?? DEFAULT_DEADLINE_POLICY)
                    : writeGrids(options.databasePath, record, grids);
      report.committed = true;
      report.importId = written.importId;
      report.dataVersion = written.dataVersion;
      const rederived = (written as { rederived?: RederiveSummary }).rederived;
      if (rederived) {
        report.rederived = rederived;
        for (const issue of rederivedIssues(rederived)) log.add(issue);
      }
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    report.fileError = error.problem;
  } finally {
    source?.close();
    places?.close();
    reference.close();
    closeReport(report, log, started);
  }
  return report;
}
