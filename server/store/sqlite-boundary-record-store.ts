// BoundaryRecordStore on a table of the accounts file (better-sqlite3): one row per recorded patrol or
// signing; the latest per line is an aggregate over the rows of lines with a side inside a unit.

import type Database from 'better-sqlite3';
import type { BoundaryLineRecords } from '../domain/boundary-records';
import type { BoundaryRecord, BoundaryRecordFields, BoundaryRecordKind, BoundaryRecordStore } from './boundary-record-store';

/** The table, created by the accounts file's migration to schema 3 (sqlite-account-store.ts). */
export const BOUNDARY_RECORD_SCHEMA = `
CREATE TABLE IF NOT EXISTS boundary_record (
  id              INTEGER PRIMARY KEY,
  line_id         TEXT NOT NULL,             -- atlas boundary line id
  kind            TEXT NOT NULL,             -- patrol | agreement
  day             TEXT NOT NULL,             -- YYYY-MM-DD, China time
  note            TEXT,                      -- free text (patrols); may hold personal data
  left_code       TEXT NOT NULL,             -- the line's sides when recorded
  right_code      TEXT,
  recorded_by     TEXT NOT NULL,             -- actor: user:<name>, token:<id>
  recorded_at     INTEGER NOT NULL           -- ms since epoch
);
CREATE INDEX IF NOT EXISTS boundary_record_line ON boundary_record (line_id, day);
CREATE INDEX IF NOT EXISTS boundary_record_left ON boundary_record (left_code);
CREATE INDEX IF NOT EXISTS boundary_record_right ON boundary_record (right_code);
`;

interface RecordRow {
  id: number;
  line_id: string;
  kind: BoundaryRecordKind;
  day: string;
  note: string | null;
  left_code: string;
  right_code: string | null;
  recorded_by: string;
  recorded_at: number;
}

const toRecord = (row: RecordRow): BoundaryRecord => ({
  id: row.id,
  lineId: row.line_id,
  kind: row.kind,
  day: row.day,
  note: row.note,
  leftCode: row.left_code,
  rightCode: row.right_code,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

export class SqliteBoundaryRecordStore implements BoundaryRecordStore {
  /** On an open database whose schema already has the boundary_record table. */
  constructor(private readonly db: Database.Database) {}

  addRecord(fields: BoundaryRecordFields, recordedBy: string, at: number): BoundaryRecord {
    const id = Number(
      this.db
        .prepare('INSERT INTO boundary_record (line_id, kind, day, note, left_code, right_code, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(fields.lineId, fields.kind, fields.day, fields.note, fields.leftCode, fields.rightCode, recordedBy, at).lastInsertRowid,
    );
    return toRecord(this.db.prepare('SELECT * FROM boundary_record WHERE id = ?').get(id) as RecordRow);
  }

  records(lineId: string): BoundaryRecord[] {
    return (this.db.prepare('SELECT * FROM boundary_record WHERE line_id = ? ORDER BY day DESC, id DESC').all(lineId) as RecordRow[]).map(toRecord);
  }

  latestByLine(withinCode?: string): BoundaryLineRecords[] {
    // Codes are digits and '~' sorts after every digit: the range is the prefix test.
    const rows = this.db
      .prepare(
        `SELECT line_id, left_code, right_code,
                max(CASE WHEN kind = 'patrol' THEN day END) AS patrol,
                max(CASE WHEN kind = 'agreement' THEN day END) AS signed
         FROM boundary_record
         WHERE @within IS NULL OR (left_code >= @within AND left_code < @withinEnd) OR (right_code >= @within AND right_code < @withinEnd)
         GROUP BY line_id, left_code, right_code ORDER BY line_id, left_code, right_code`,
      )
      .all({ within: withinCode ?? null, withinEnd: `${withinCode ?? ''}~` }) as { line_id: string; left_code: string; right_code: string | null; patrol: string | null; signed: string | null }[];
    return rows.map((row) => ({ lineId: row.line_id, leftCode: row.left_code, rightCode: row.right_code, lastJointPatrol: row.patrol, agreementSignedOn: row.signed }));
  }
}
