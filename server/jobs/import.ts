// The import and undo of a layer as a worker thread runs them for the server: the importer (its own
// write connection, one transaction) on an uploaded file — a layer, or a department's grid layer beside the
// unified grids — or "undo last import", off the event loop.

import type { DeadlinePolicy } from '../domain/dispute-deadlines';
import { parseCrsOption } from '../ingest/import/crs';
import { importDepartmentGrids, type DepartmentGridImportReport } from '../ingest/import/department-grids';
import { ImportNotUndoableError, undoLastImport, type ImportHistoryEntry } from '../ingest/import/history';
import { importLayer, type ImportReport } from '../ingest/import/import-layer';
import type { ImportLayer } from '../ingest/import/import-types';

/** One import as the server hands it to a thread (plain data: it crosses to the thread by structured clone). */
export interface ImportTaskInput {
  databasePath: string;
  layer: ImportLayer;
  /** The uploaded file (a name the server chose, never the client's). */
  filePath: string;
  /** The client's name for the file: reported and recorded, never a path. */
  fileName: string;
  /** wgs84, cgcs2000, gcj02, bd09 or EPSG:nnnn; absent: the file's own, else WGS84. */
  crs?: string;
  encoding?: string;
  /** field → source column. */
  map?: Record<string, string>;
  dryRun: boolean;
  /** With layer grids: the department whose own grid layer this is (imported beside the unified grids). */
  department?: string;
  /** Deadlines of imported cases: the running server's policy (plain data). */
  deadlines?: DeadlinePolicy;
}

/** What an import task answers: a layer's report, or a departmental layer's (told apart by `layer`). */
export type ImportTaskReport = ImportReport | DepartmentGridImportReport;

/**
 * Runs one import (see importLayer; with a department, importDepartmentGrids); a file that cannot be
 * read is the report's fileError.
 */
export function runImportTask(input: ImportTaskInput): Promise<ImportTaskReport> {
  const crs = input.crs ? parseCrsOption(input.crs) : null;
  if (input.department !== undefined) {
    if (input.layer !== 'grids') throw new Error(`a department's layer is a grids layer, not ${input.layer}`);
    return importDepartmentGrids({
      databasePath: input.databasePath,
      department: input.department,
      filePath: input.filePath,
      fileName: input.fileName,
      crs,
      encoding: input.encoding ?? null,
      columnMap: input.map,
      dryRun: input.dryRun,
    });
  }
  return importLayer({
    databasePath: input.databasePath,
    layer: input.layer,
    filePath: input.filePath,
    fileName: input.fileName,
    crs,
    encoding: input.encoding ?? null,
    columnMap: input.map,
    dryRun: input.dryRun,
    deadlines: input.deadlines,
  });
}

/**
 * What an undo in a thread answers: the entry undone, null when there was none, or the refusal of an
 * import whose backup was pruned (as data: an error's class does not survive the thread boundary).
 */
export type UndoTaskResult = { undone: ImportHistoryEntry | null } | { refused: string };

/** Undoes the last import not yet undone. */
export function runUndoTask(databasePath: string): UndoTaskResult {
  try {
    return { undone: undoLastImport(databasePath) };
  } catch (error) {
    if (error instanceof ImportNotUndoableError) return { refused: error.message };
    throw error;
  }
}
