// Dispute ledger imports on a copy of the test database: a CSV with Chinese labels in GCJ-02 lands each
// case on the grid (and the street across) of the original point, derives its workflow steps and
// deadline, keeps ids and log seqs past the old ones and never echoes parties or summaries; an XLSX with
// Chinese headers and Excel date cells reads China time; bad rows are named; a dry run and undo leave
// the dispute tables byte-identical; the store's queries read the imported cases; the CLI takes the layer.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDueMs, parseDeadlinePolicy } from '../../../server/domain/dispute-deadlines';
import { parseCrsOption } from '../../../server/ingest/import/crs';
import { parseLedgerTime } from '../../../server/ingest/import/disputes-validate';
import { readLayerSources, undoLastImport } from '../../../server/ingest/import/history';
import { importLayer } from '../../../server/ingest/import/import-layer';
import { SqliteDisputeStore } from '../../../server/store/sqlite-dispute-store';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { expectOneLineError, runCli } from '../cli/cli-process';
import { exportDisputes, hashDisputeTables, hashFile, openImportWorkspace, toCsv, type DisputeExport, type ImportWorkspace } from './import-fixtures';

const HEADER = ['id', 'type', 'source', 'severity', 'status', 'handling_level', 'outcome', 'summary', 'parties', 'lng', 'lat', 'reported_at', 'assigned_at', 'accepted_at', 'handled_at', 'feedback_at', 'reviewed_at', 'closed_at'];
const HOUR = 3_600_000;
/** 2026-09-01 08:00 China time. */
const BASE_MS = Date.UTC(2026, 8, 1, 0, 0);
const PARTIES = '张三 13800000000; 李四 13900000001';
const SUMMARY = '楼上漏水，张三与李四协商未果';

let workspace: ImportWorkspace;
let places: DisputeExport[];
let before: { dispute: string; maxId: number; maxSeq: number };

/** "2026-09-01 08:00" (China time) of an instant. */
const chinaText = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

/** Three shapes of case by row index: closed with every step, handled with the accept time missing, just reported. */
function ledgerRow(i: number, [lng, lat]: [number, number]): unknown[] {
  const reported = BASE_MS + i * HOUR;
  const at = (hours: number) => chinaText(reported + hours * HOUR);
  const common = [`SY-2026-${String(i).padStart(4, '0')}`, '邻里纠纷', '网格巡查'];
  if (i % 3 === 0) return [...common, '一般', '办结归档', '社区（村）', '调解成功', SUMMARY, PARTIES, lng, lat, at(0), at(1), at(2), at(24), at(48), at(72), at(96)];
  if (i % 3 === 1) return [...common, '一般', '现场处置', '网格', '', SUMMARY, PARTIES, lng, lat, at(0), at(1), '', at(24), '', '', ''];
  return [...common, 'major', '', '', '', '', '', lng, lat, at(0), '', '', '', '', '', ''];
}

const toGcj02 = (place: DisputeExport): [number, number] => gcoord.transform([place.lng, place.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];

beforeAll(() => {
  workspace = openImportWorkspace('atlas-import-disputes-');
  // The store's own migration, as the server's first writable open makes it.
  const db = new Database(workspace.databasePath);
  new SqliteDisputeStore(db, true);
  db.close();
  // Cases in grids, half of them near a street boundary line (another street sees them).
  places = [
    ...exportDisputes(workspace.databasePath, 'length(grid_code) = 15 AND other_side_code IS NOT NULL', 15),
    ...exportDisputes(workspace.databasePath, 'length(grid_code) = 15 AND other_side_code IS NULL', 15),
  ];
  const read = new Database(workspace.databasePath, { readonly: true });
  before = {
    dispute: hashDisputeTables(workspace.databasePath),
    maxId: read.prepare('SELECT max(id) FROM dispute').pluck().get() as number,
    maxSeq: read.prepare('SELECT max(seq) FROM dispute_step').pluck().get() as number,
  };
  read.close();
});
afterAll(() => workspace?.close());

describe('dispute import', () => {
  it('names every bad row and field, without echoing parties or summaries, and writes nothing', async () => {
    const good = places[0]!;
    const [lng, lat] = [good.lng, good.lat];
    const row = (overrides: Partial<Record<(typeof HEADER)[number], unknown>>): unknown[] => {
      const base: Record<string, unknown> = { id: 'A', type: 'neighbour', source: 'patrol', lng, lat, reported_at: '2026-09-01 08:00' };
      return HEADER.map((column) => ({ ...base, ...overrides })[column] ?? '');
    };
    const rows = [
      row({ id: 'ok-1' }),
      row({ id: 'no-type', type: '' }),
      row({ id: 'bad-source', source: '微信' }),
      row({ id: 'bad-date', reported_at: '2026-02-30 08:00' }),
      row({ id: 'order', assigned_at: '2026-09-01 07:00' }),
      row({ id: 'status', status: '办结归档', outcome: '调解成功', closed_at: '' }),
      row({ id: 'no-outcome', status: 'closed', closed_at: '2026-09-03 08:00' }),
      row({ id: 'ok-1' }),
      row({ id: 'outside', lng: 100, lat: 30 }),
      row({ id: 'parties', parties: '[{"name": "王五", "phone": 12}]' }),
      row({ id: 'summary', summary: `${SUMMARY}${'很长'.repeat(300)}` }),
      row({ id: 'future', reported_at: '2999-01-01 08:00' }),
    ];
    const path = join(workspace.dir, 'bad-disputes.csv');
    writeFileSync(path, toCsv(HEADER, rows));
    const hash = hashFile(workspace.databasePath);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'disputes', filePath: path });
    const byRow = new Map(report.issues.map((issue) => [issue.feature, issue]));
    expect(byRow.get(1)).toBeUndefined();
    expect(byRow.get(2)).toMatchObject({ code: 'missing-field', field: 'type' });
    expect(byRow.get(3)).toMatchObject({ code: 'unknown-code', field: 'source' });
    expect(byRow.get(3)!.message).toContain('网格巡查 (patrol), 12345热线 (hotline)');
    expect(byRow.get(4)).toMatchObject({ code: 'wrong-type', field: 'reportedAt' });
    expect(byRow.get(4)!.message).toMatch(/not a calendar date/);
    expect(byRow.get(5)).toMatchObject({ code: 'steps-out-of-order', field: 'assignedAt' });
    expect(byRow.get(6)).toMatchObject({ code: 'status-mismatch', field: 'closedAt' });
    expect(byRow.get(7)).toMatchObject({ code: 'missing-field', field: 'outcome' });
    expect(byRow.get(8)).toMatchObject({ code: 'duplicate', field: 'externalId' });
    expect(byRow.get(9)).toMatchObject({ code: 'outside-atlas' });
    expect(byRow.get(10)).toMatchObject({ code: 'wrong-type', field: 'parties' });
    expect(byRow.get(11)).toMatchObject({ code: 'wrong-type', field: 'summary' });
    expect(byRow.get(12)).toMatchObject({ code: 'wrong-type', field: 'reportedAt' });
    expect(report.rejected).toBe(11);
    expect(report.committed).toBe(false);
    const text = JSON.stringify(report);
    for (const secret of ['王五', '张三', '漏水']) expect(text).not.toContain(secret);
    expect(hashFile(workspace.databasePath)).toBe(hash);
  });

  it('a dry run of a good ledger reports every case accepted and leaves the database byte-identical', async () => {
    const path = join(workspace.dir, 'disputes-gcj02.csv');
    writeFileSync(path, toCsv(HEADER, places.map((place, i) => ledgerRow(i, toGcj02(place)))));
    const hash = hashFile(workspace.databasePath);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'disputes', filePath: path, crs: parseCrsOption('gcj02'), dryRun: true });
    expect(report.fileError).toBeNull();
    expect(report.issueCounts.error).toBe(0);
    expect(report.accepted).toBe(places.length);
    expect(report.issuesByCode['step-times-filled']).toBe(1);
    expect(report.committed).toBe(false);
    expect(hashFile(workspace.databasePath)).toBe(hash);
  });

  it('imports the GCJ-02 ledger: right grids and streets across, derived steps and deadlines, ids and seqs past the old ones', async () => {
    const path = join(workspace.dir, 'disputes-gcj02.csv');
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'disputes', filePath: path, crs: parseCrsOption('gcj02') });
    expect(report.issueCounts.error).toBe(0);
    expect(report.committed).toBe(true);
    const text = JSON.stringify(report);
    for (const secret of ['张三', '13800000000', '漏水']) expect(text).not.toContain(secret);

    const db = new Database(workspace.databasePath, { readonly: true });
    try {
      const cases = db
        .prepare(
          `SELECT d.*, e.external_id FROM dispute d JOIN dispute_external_id e ON e.dispute_id = d.id ORDER BY e.external_id`,
        )
        .all() as Record<string, number | string | null>[];
      expect(cases).toHaveLength(places.length);
      expect(db.prepare('SELECT count(*) FROM dispute').pluck().get()).toBe(places.length);
      expect(db.prepare('SELECT count(*) FROM planted_cluster').pluck().get()).toBe(0);
      expect(Math.min(...cases.map((c) => c.id as number))).toBe(before.maxId + 1);
      expect(db.prepare('SELECT min(seq) FROM dispute_step').pluck().get()).toBe(before.maxSeq + 1);
      cases.forEach((c, i) => {
        const place = places[i]!;
        const reported = BASE_MS + i * HOUR;
        expect(c.grid_code).toBe(place.gridCode);
        expect(c.other_side_code).toBe(place.otherSideCode);
        expect(c.cluster_id).toBeNull();
        expect(c.reported_at).toBe(reported);
        const steps = db.prepare('SELECT step, action, at, actor_role FROM dispute_step WHERE dispute_id = ? ORDER BY step').all(c.id) as { step: number; action: number; at: number }[];
        if (i % 3 === 0) {
          expect(steps.map((s) => s.action)).toEqual([0, 1, 2, 3, 4, 5, 6]);
          expect([c.status, c.handling_level, c.resolved_level, c.outcome, c.closed_at]).toEqual([6, 1, 1, 0, reported + 96 * HOUR]);
          expect(c.due_at).toBe(computeDueMs(reported, { type: 'neighbour', severity: 'general', handlingLevel: 'community' }));
          expect(JSON.parse(c.parties as string)).toEqual([
            ['张三', '13800000000'],
            ['李四', '13900000001'],
          ]);
          expect(c.summary).toBe(SUMMARY);
        } else if (i % 3 === 1) {
          // The missing accept time takes the handle time.
          expect(steps.map((s) => [s.action, s.at])).toEqual([
            [0, reported],
            [1, reported + HOUR],
            [2, reported + 24 * HOUR],
            [3, reported + 24 * HOUR],
          ]);
          expect([c.status, c.accepted_at, c.closed_at]).toEqual([3, reported + 24 * HOUR, null]);
        } else {
          expect(steps).toHaveLength(1);
          expect([c.status, c.severity, c.parties, c.summary]).toEqual([0, 1, '[]', null]);
          expect(c.due_at).toBe(computeDueMs(reported, { type: 'neighbour', severity: 'major', handlingLevel: 'grid' }));
        }
      });
    } finally {
      db.close();
    }
    expect(readLayerSources(workspace.databasePath).disputes).toMatchObject({ source: 'imported', fileName: 'disputes-gcj02.csv', features: places.length });

    // The store's queries read the imported history.
    const store = new SqliteStore(workspace.databasePath);
    try {
      const city = places[0]!.gridCode.slice(0, 4);
      const listed = store.disputes.list({ withinCode: city, limit: 1000 });
      expect(listed).toHaveLength(places.length);
      expect(listed.every((d) => d.clusterId === null && d.parties.length === (d.status === 'reported' ? 0 : 2))).toBe(true);
      const byStatus = store.disputes.stats({ withinCode: city, fromMs: BASE_MS, toMs: BASE_MS + 100 * HOUR, groupBy: 'status' }, BASE_MS + 200 * HOUR);
      expect(Object.fromEntries(byStatus.filter((s) => s.count > 0).map((s) => [s.key, s.count]))).toEqual({ closed: 10, handled: 10, reported: 10 });
      const figures = store.disputes.periodFigures({ withinCode: city, fromMs: BASE_MS, toMs: BASE_MS + 100 * HOUR }, BASE_MS + 200 * HOUR);
      expect(figures).toMatchObject({ reported: places.length, closed: 10, resolvedInGrid: 0, resolvedWithinStreet: 10 });
      expect([...figures.handlingMs]).toEqual(Array(10).fill(96 * HOUR));
      // A live-stream cursor at the old log's end reads every imported step, in time order.
      const log = store.disputes.logAfter(before.maxSeq, 1000);
      expect(log).toHaveLength(places.length + 10 * 6 + 10 * 3);
      expect(log.every((entry, i) => i === 0 || entry.seq > log[i - 1]!.seq)).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);

  it('reads an XLSX ledger with Chinese headers and Excel date cells as China time; undo restores the history byte for byte', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('案件台账');
    sheet.addRow(['案件编号', '纠纷类型', '来源', '状态', '化解结果', '经度', '纬度', '登记时间', '办结时间']);
    // A date cell shows 2026-10-01 08:30 (China time); the second row gives the same moment as a day serial.
    const wallClock = new Date(Date.UTC(2026, 9, 1, 8, 30));
    const serial = (Date.UTC(2026, 9, 1, 8, 30) / 86_400_000 + 25_569);
    sheet.addRow(['X-1', '劳资纠纷', '12345热线', '', '', places[3]!.lng, places[3]!.lat, wallClock, null]);
    sheet.addRow(['X-2', 'consumer', '110联动', '办结归档', '协商和解', places[4]!.lng, places[4]!.lat, serial, new Date(Date.UTC(2026, 9, 2, 9, 0))]);
    const path = join(workspace.dir, 'ledger.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await importLayer({ databasePath: workspace.databasePath, layer: 'disputes', filePath: path });
    expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.issuesByCode['step-times-filled']).toBe(1);
    const db = new Database(workspace.databasePath, { readonly: true });
    const rows = db.prepare('SELECT d.type, d.source, d.status, d.reported_at, d.closed_at, d.grid_code FROM dispute d ORDER BY d.id').all();
    db.close();
    const expected = Date.UTC(2026, 9, 1, 0, 30);
    expect(rows).toEqual([
      { type: 3, source: 1, status: 0, reported_at: expected, closed_at: null, grid_code: places[3]!.gridCode },
      { type: 6, source: 2, status: 6, reported_at: expected, closed_at: Date.UTC(2026, 9, 2, 1, 0), grid_code: places[4]!.gridCode },
    ]);

    expect(undoLastImport(workspace.databasePath)?.layer).toBe('disputes');
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('disputes');
    expect(hashDisputeTables(workspace.databasePath)).toBe(before.dispute);
    expect(readLayerSources(workspace.databasePath).disputes).toBeUndefined();
  }, 120_000);

  it('the import command takes the disputes layer, with the exit codes of the contract', () => {
    const good = runCli(['import', 'disputes', join(workspace.dir, 'disputes-gcj02.csv'), '--crs', 'gcj02', '--dry-run', '--db', workspace.databasePath]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Dry run of disputes-gcj02\.csv into disputes: 30 features read, 30 accepted, 0 rejected/);
    const bad = runCli(['import', 'disputes', join(workspace.dir, 'bad-disputes.csv'), '--db', workspace.databasePath]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/feature 3 \(source\): source "微信" is not one of/);
    expect(bad.stdout).not.toContain('王五');
    expect(hashDisputeTables(workspace.databasePath)).toBe(before.dispute);
  }, 120_000);

  it('the import command applies the deployment\'s ATLAS_SLA_DAYS, and refuses a malformed one naming the entry', () => {
    const path = join(workspace.dir, 'disputes-gcj02.csv');
    const withPolicy = (policy: string, args: string[]) => {
      const previous = process.env.ATLAS_SLA_DAYS;
      process.env.ATLAS_SLA_DAYS = policy;
      try {
        return runCli(args);
      } finally {
        if (previous === undefined) delete process.env.ATLAS_SLA_DAYS;
        else process.env.ATLAS_SLA_DAYS = previous;
      }
    };
    const hash = hashFile(workspace.databasePath);
    expectOneLineError(withPolicy('neighbour=soon', ['import', 'disputes', path, '--crs', 'gcj02', '--db', workspace.databasePath]), /ATLAS_SLA_DAYS: "neighbour" needs a positive number of days, got "soon"/);
    expectOneLineError(withPolicy('neighbour.province=1', ['import', 'disputes', path, '--crs', 'gcj02', '--db', workspace.databasePath]), /unknown handling level "province" in "neighbour.province"/);
    expect(hashFile(workspace.databasePath)).toBe(hash);

    const policyText = 'neighbour=1, major=0.5';
    const committed = withPolicy(policyText, ['import', 'disputes', path, '--crs', 'gcj02', '--db', workspace.databasePath]);
    expect(committed.code, committed.stderr).toBe(0);
    const policy = parseDeadlinePolicy(policyText);
    const db = new Database(workspace.databasePath, { readonly: true });
    const dues = db.prepare('SELECT e.external_id, d.reported_at, d.due_at FROM dispute d JOIN dispute_external_id e ON e.dispute_id = d.id ORDER BY e.external_id').all() as { reported_at: number; due_at: number }[];
    db.close();
    // A just-reported major case (every third row from the third) has the policy's deadline, not the default one.
    const reported = dues[2]!;
    const key = { type: 'neighbour', severity: 'major', handlingLevel: 'grid' } as const;
    expect(reported.due_at).toBe(computeDueMs(reported.reported_at, key, policy));
    expect(reported.due_at).not.toBe(computeDueMs(reported.reported_at, key));
    expect(undoLastImport(workspace.databasePath)?.layer).toBe('disputes');
    expect(hashDisputeTables(workspace.databasePath)).toBe(before.dispute);
  }, 120_000);
});

describe('ledger times', () => {
  it('reads ISO 8601 with and without an offset (China time), minutes-only text, and refuses non-dates', () => {
    const expected = Date.UTC(2026, 9, 1, 0, 30);
    for (const text of ['2026-10-01T08:30:00+08:00', '2026-10-01T00:30Z', '2026-10-01T08:30', '2026-10-01 08:30', '2026-10-01 08:30:00', '2026/10/1 8:30']) {
      expect(parseLedgerTime(text, 'csv'), text).toEqual({ ms: expected });
    }
    expect(parseLedgerTime('2026-10-01', 'csv')).toEqual({ ms: Date.UTC(2026, 8, 30, 16, 0) });
    expect(parseLedgerTime('2026-10-01T00:30:00.000Z', 'xlsx')).toEqual({ ms: Date.UTC(2026, 8, 30, 16, 30) });
    expect(parseLedgerTime('yesterday', 'csv')).toHaveProperty('problem');
    expect(parseLedgerTime('2026-10-01 25:00', 'csv')).toHaveProperty('problem');
    expect(parseLedgerTime(46296, 'csv')).toHaveProperty('problem');
    expect(parseLedgerTime(46296.5, 'xlsx')).toEqual({ ms: Date.UTC(2026, 9, 1, 4, 0) });
    expect(parseLedgerTime(-5, 'xlsx')).toHaveProperty('problem');
  });
});
