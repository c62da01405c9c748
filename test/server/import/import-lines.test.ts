// The boundary-line register (平安边界协议 ledger) imported as XLSX: lines named by id or by their two
// sides, yes/no in Chinese or digits, patrol dates as spreadsheet dates or text; the named lines take the
// new records, the others keep theirs; unknown lines, bad values and repeats are named by row.

import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { openImportWorkspace, type ImportWorkspace } from './import-fixtures';

let workspace: ImportWorkspace;

interface LineRecord {
  line_id: string;
  left_code: string;
  right_code: string;
  agreement_signed: number | null;
  joint_mediation: number | null;
  last_joint_patrol: string | null;
}

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-lines-');
});
afterAll(() => workspace.close());

function lines(): LineRecord[] {
  const db = new Database(workspace.databasePath, { readonly: true });
  try {
    return db.prepare("SELECT line_id, left_code, right_code, agreement_signed, joint_mediation, last_joint_patrol FROM boundary_line WHERE level = 'street' ORDER BY line_id").all() as LineRecord[];
  } finally {
    db.close();
  }
}

async function writeLedger(path: string, header: string[], rows: unknown[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('边界协议台账');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(path);
}

describe('boundary line register import', () => {
  it('updates the named lines from an XLSX ledger (by id or by sides), keeps the others; undo restores', async () => {
    const before = lines();
    const [a, b, c] = before;
    const path = join(workspace.dir, 'ledger.xlsx');
    await writeLedger(
      path,
      ['lineId', 'leftCode', 'rightCode', '平安边界协议', '联合调解', '最近联合巡逻'],
      [
        [a!.line_id, null, null, '是', '否', new Date(Date.UTC(2026, 9, 12))],
        [null, b!.right_code, b!.left_code, 0, 1, '2026-09-30'],
        [c!.line_id, null, null, 'yes', null, null],
      ],
    );
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'lines', filePath: path });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    const after = lines();
    const byId = new Map(after.map((line) => [line.line_id, line]));
    expect(byId.get(a!.line_id)).toMatchObject({ agreement_signed: 1, joint_mediation: 0, last_joint_patrol: '2026-10-12' });
    expect(byId.get(b!.line_id)).toMatchObject({ agreement_signed: 0, joint_mediation: 1, last_joint_patrol: '2026-09-30' });
    expect(byId.get(c!.line_id)).toMatchObject({ agreement_signed: 1, joint_mediation: null, last_joint_patrol: null });
    expect(after.slice(3)).toEqual(before.slice(3));
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('lines');
    expect(lines()).toEqual(before);
  });

  it('names unknown lines, bad values, rows with nothing to record and repeats', async () => {
    const [a] = lines();
    const path = join(workspace.dir, 'bad-ledger.xlsx');
    await writeLedger(
      path,
      ['lineId', 'agreementSigned', 'lastJointPatrol'],
      [
        ['street:1|2', 1, null],
        [a!.line_id, 'maybe', null],
        [a!.line_id, 1, '2026-02-30'],
        [a!.line_id, null, null],
        [a!.line_id, 1, null],
        [a!.line_id, 0, null],
      ],
    );
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'lines', filePath: path, dryRun: true });
    expect(report.issues.map((issue) => [issue.feature, issue.code, issue.field])).toEqual([
      [1, 'unknown-code', 'lineId'],
      [2, 'wrong-type', 'agreementSigned'],
      [3, 'wrong-type', 'lastJointPatrol'],
      [4, 'missing-field', 'agreementSigned'],
      [6, 'duplicate', 'lineId'],
    ]);
  });
});
