// The import history of an atlas database and "undo last import": the last import not yet undone has
// its layer's tables (and the columns other layers derived from them) restored from the backup it took,
// its data version, counts and provenance put back, in one transaction; the backup is dropped. Imports
// older than the last ATLAS_IMPORT_KEEP_UNDO have lost their backups and cannot be undone.

import Database from 'better-sqlite3';
import type { ImportLayer } from './import-types';
import { HISTORY_SQL, LAYER_TABLES, backupTableName, backupTablesOf, openForWriting, readMeta, type ImportRecord, type LayerSource } from './write';
import { restoreDerivedColumns } from './rederive-places';

export interface ImportHistoryEntry extends ImportRecord {
  id: number;
  importedAt: string;
  previousDataVersion: string;
  dataVersion: string;
  undoneAt: string | null;
  /** Whether `import undo` can still take it back: not undone and its backup kept (see ATLAS_IMPORT_KEEP_UNDO). */
  undoable: boolean;
}

interface HistoryRow {
  id: number;
  layer: ImportLayer;
  file_name: string;
  file_sha256: string;
  format: string;
  crs: string;
  features: number;
  imported_at: string;
  previous_data_version: string;
  data_version: string;
  previous_sources: string;
  previous_counts: string;
  undone_at: string | null;
}

const toEntry = (row: HistoryRow, undoable: boolean): ImportHistoryEntry => ({
  id: row.id,
  layer: row.layer,
  fileName: row.file_name,
  fileSha256: row.file_sha256,
  format: row.format,
  crs: row.crs,
  features: row.features,
  importedAt: row.imported_at,
  previousDataVersion: row.previous_data_version,
  dataVersion: row.data_version,
  undoneAt: row.undone_at,
  undoable,
});

/** Whether the import still has its backup (the first of its layer's tables). */
function hasBackup(db: Database.Database, row: HistoryRow): boolean {
  const first = LAYER_TABLES[row.layer]?.[0];
  return first !== undefined && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(backupTableName(row.id, first)) !== undefined;
}

/** The error of undoing an import whose backup was dropped. */
export class ImportNotUndoableError extends Error {
  constructor(readonly entry: ImportHistoryEntry) {
    super(
      `import ${entry.id} (${entry.layer} from ${entry.fileName}, ${entry.importedAt}) can no longer be undone: its backup was dropped ` +
        '(only the last ATLAS_IMPORT_KEEP_UNDO imports keep theirs); import the earlier file again instead',
    );
    this.name = 'ImportNotUndoableError';
  }
}

const hasHistory = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_history'").get() !== undefined;

/** Every import, newest first (empty for a database never imported into). */
export function listImports(databasePath: string): ImportHistoryEntry[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    if (!hasHistory(db)) return [];
    return (db.prepare('SELECT * FROM import_history ORDER BY id DESC').all() as HistoryRow[]).map((row) => toEntry(row, row.undone_at === null && hasBackup(db, row)));
  } finally {
    db.close();
  }
}

/** Per layer, where its data came from: the import's file, else the build (demonstration or real data). */
export function readLayerSources(databasePath: string): Record<string, LayerSource> {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return JSON.parse(readMeta(db, 'layer_sources') ?? '{}') as Record<string, LayerSource>;
  } finally {
    db.close();
  }
}

/**
 * Undoes the last import not yet undone; returns it (with undoneAt set), or null when there is none.
 * Throws ImportNotUndoableError, changing nothing, when that import's backup was dropped.
 */
export function undoLastImport(databasePath: string): ImportHistoryEntry | null {
  const db = openForWriting(databasePath);
  try {
    return db
      .transaction(() => {
        db.exec(HISTORY_SQL);
        const last = db.prepare('SELECT * FROM import_history WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1').get() as HistoryRow | undefined;
        if (!last) return null;
        if (!hasBackup(db, last)) throw new ImportNotUndoableError(toEntry(last, false));
        const tables = LAYER_TABLES[last.layer] ?? [];
        for (const table of [...tables].reverse()) db.exec(`DELETE FROM ${table}`);
        for (const table of tables) {
          const backup = backupTableName(last.id, table);
          db.exec(`INSERT INTO ${table} SELECT * FROM ${backup}`);
          db.exec(`DROP TABLE ${backup}`);
        }
        restoreDerivedColumns(db, last.layer, (table) => backupTableName(last.id, table));
        // Anything else the import left behind.
        for (const table of backupTablesOf(db, last.id)) db.exec(`DROP TABLE ${table}`);
        const undoneAt = new Date().toISOString();
        db.prepare('UPDATE import_history SET undone_at = ? WHERE id = ?').run(undoneAt, last.id);
        const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
        setMeta.run('data_version', last.previous_data_version);
        setMeta.run('layer_sources', last.previous_sources);
        setMeta.run('counts', last.previous_counts);
        return { ...toEntry(last, false), undoneAt };
      })
      .immediate();
  } finally {
    db.close();
  }
}
