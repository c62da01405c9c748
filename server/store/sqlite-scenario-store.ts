// ScenarioStore on a table of the accounts file (better-sqlite3): one row per scenario, the edits as
// JSON text, edit counts read with SQLite's JSON functions so a list never parses the edits.

import type Database from 'better-sqlite3';
import type { FacilityKind } from '../domain/facility-kinds';
import type { ScenarioEdits } from '../domain/scenario';
import type { ScenarioFields, ScenarioQuery, ScenarioRecord, ScenarioStore, ScenarioSummary } from './scenario-store';

/** The table, created by the accounts file's migration to schema 2 (sqlite-account-store.ts). */
export const SCENARIO_SCHEMA = `
CREATE TABLE IF NOT EXISTS scenario (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  within          TEXT NOT NULL,             -- admin code
  kind            TEXT NOT NULL,             -- FacilityKind
  max_minutes     REAL NOT NULL,
  edits           TEXT NOT NULL,             -- ScenarioEdits JSON
  owner           TEXT NOT NULL,             -- actor: user:<name>, token:<id>
  data_version    TEXT NOT NULL,             -- atlas data version the ids in edits refer to
  created_at      INTEGER NOT NULL,          -- ms since epoch
  updated_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS scenario_within ON scenario (within, updated_at);
`;

interface ScenarioRow {
  id: number;
  name: string;
  within: string;
  kind: FacilityKind;
  max_minutes: number;
  owner: string;
  data_version: string;
  created_at: number;
  updated_at: number;
}

interface SummaryRow extends ScenarioRow {
  add_facilities: number;
  remove_facilities: number;
  add_links: number;
  remove_links: number;
}

const toSummary = (row: SummaryRow): ScenarioSummary => ({
  id: row.id,
  name: row.name,
  within: row.within,
  kind: row.kind,
  maxMinutes: row.max_minutes,
  owner: row.owner,
  dataVersion: row.data_version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  editCounts: { addFacilities: row.add_facilities, removeFacilities: row.remove_facilities, addLinks: row.add_links, removeLinks: row.remove_links },
});

const toRecord = (row: ScenarioRow & { edits: string }): ScenarioRecord => ({
  id: row.id,
  name: row.name,
  within: row.within,
  kind: row.kind,
  maxMinutes: row.max_minutes,
  edits: JSON.parse(row.edits) as ScenarioEdits,
  owner: row.owner,
  dataVersion: row.data_version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The edits as stored: the four lists in a fixed order, nothing else. */
const editsJson = (edits: ScenarioEdits): string =>
  JSON.stringify({ addFacilities: edits.addFacilities, removeFacilities: edits.removeFacilities, addLinks: edits.addLinks, removeLinks: edits.removeLinks });

export class SqliteScenarioStore implements ScenarioStore {
  /** On an open database whose schema already has the scenario table. */
  constructor(private readonly db: Database.Database) {}

  listScenarios(query: ScenarioQuery): ScenarioSummary[] {
    const rows = this.db
      .prepare(
        `SELECT id, name, within, kind, max_minutes, owner, data_version, created_at, updated_at,
                json_array_length(edits, '$.addFacilities') AS add_facilities,
                json_array_length(edits, '$.removeFacilities') AS remove_facilities,
                json_array_length(edits, '$.addLinks') AS add_links,
                json_array_length(edits, '$.removeLinks') AS remove_links
         FROM scenario WHERE within >= @within AND within < @withinEnd
         ORDER BY updated_at DESC, id DESC LIMIT @limit`,
      )
      // Codes are digits and '~' sorts after every digit: the range is the prefix test.
      .all({ within: query.withinCode, withinEnd: `${query.withinCode}~`, limit: query.limit }) as SummaryRow[];
    return rows.map(toSummary);
  }

  scenario(id: number): ScenarioRecord | null {
    const row = this.db.prepare('SELECT * FROM scenario WHERE id = ?').get(id) as (ScenarioRow & { edits: string }) | undefined;
    return row ? toRecord(row) : null;
  }

  addScenario(fields: ScenarioFields, owner: string, at: number): ScenarioRecord {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO scenario (name, within, kind, max_minutes, edits, owner, data_version, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(fields.name, fields.within, fields.kind, fields.maxMinutes, editsJson(fields.edits), owner, fields.dataVersion, at, at).lastInsertRowid,
    );
    return this.scenario(id)!;
  }

  updateScenario(id: number, fields: ScenarioFields, at: number): ScenarioRecord | null {
    const changed = this.db
      .prepare('UPDATE scenario SET name = ?, within = ?, kind = ?, max_minutes = ?, edits = ?, data_version = ?, updated_at = ? WHERE id = ?')
      .run(fields.name, fields.within, fields.kind, fields.maxMinutes, editsJson(fields.edits), fields.dataVersion, at, id).changes;
    return changed > 0 ? this.scenario(id) : null;
  }

  removeScenario(id: number): boolean {
    return this.db.prepare('DELETE FROM scenario WHERE id = ?').run(id).changes > 0;
  }
}
