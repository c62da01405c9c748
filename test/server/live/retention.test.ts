// Retention of personal data: cases closed before the cutoff lose their parties' names and phones,
// and the names, phones, ID-card and plate numbers in their summaries and notes, for good; cases closed
// later and open cases keep theirs; a second pass has nothing left to do; bad settings are refused.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { retentionDaysFromEnv, startRetention } from '../../../server/live/retention';
import { SqliteStore } from '../../../server/store/sqlite-store';

let dir: string;
let databasePath: string;
let store: SqliteStore;
let nowMs: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-retention-'));
  databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  store = new SqliteStore(databasePath, { writable: true });
  nowMs = inject('testDemo').nowMs!;
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  id: number;
  parties: string;
  summary: string | null;
  closed_at: number | null;
  redacted_at: number | null;
}

describe('retention of personal data', () => {
  it('masks the personal data of cases closed before the cutoff, and only theirs', async () => {
    const cutoff = nowMs - 60 * MS_PER_DAY;
    const db = new Database(databasePath);
    const old = db.prepare('SELECT id FROM dispute WHERE closed_at < ? ORDER BY closed_at DESC LIMIT 1').get(cutoff - MS_PER_DAY) as { id: number };
    const recent = db.prepare('SELECT id FROM dispute WHERE closed_at > ? LIMIT 1').get(cutoff + MS_PER_DAY) as { id: number };
    const open = db.prepare('SELECT id FROM dispute WHERE closed_at IS NULL LIMIT 1').get() as { id: number };
    const party = '[["欧阳测试甲","138-0000-1111"],["李测试乙","13900002222","邻居"]]';
    const text = '欧阳测试甲与李测试乙争执，电话 13800001111，身份证 21010319800101123X，车牌 辽A12345';
    for (const { id } of [old, recent, open]) {
      db.prepare('UPDATE dispute SET parties = ?, summary = ? WHERE id = ?').run(party, text, id);
      db.prepare('UPDATE dispute_step SET note = ? WHERE dispute_id = ? AND step = 0').run(`联系测试甲 13800001111`, id);
    }
    const closedBefore = (db.prepare('SELECT count(*) FROM dispute WHERE closed_at <= ?').pluck().get(cutoff) as number) ;
    db.close();

    const passes: number[] = [];
    const retention = startRetention({ disputes: store.disputes, days: 60, clock: () => nowMs, onDone: (cases) => passes.push(cases) });
    await retention.idle();
    retention.stop();
    expect(passes).toEqual([closedBefore]);

    const check = new Database(databasePath, { readonly: true });
    const row = (id: number) => check.prepare('SELECT id, parties, summary, closed_at, redacted_at FROM dispute WHERE id = ?').get(id) as Row;
    const note = (id: number) => check.prepare('SELECT note FROM dispute_step WHERE dispute_id = ? AND step = 0').pluck().get(id) as string;
    const masked = row(old.id);
    expect(JSON.parse(masked.parties)).toEqual([['欧**', '***-****-1111'], ['李**', '*******2222', '邻居']]);
    expect(masked.summary).toBe('欧**与李**争执，电话 *******1111，身份证 210***********123X，车牌 辽A*****');
    expect(note(old.id)).toBe('联系** *******1111');
    expect(masked.redacted_at).toBe(nowMs);
    for (const kept of [recent.id, open.id]) {
      expect(row(kept).parties).toBe(party);
      expect(row(kept).summary).toBe(text);
      expect(row(kept).redacted_at).toBeNull();
      expect(note(kept)).toBe('联系测试甲 13800001111');
    }
    expect(check.prepare('SELECT count(*) FROM dispute WHERE closed_at <= ? AND redacted_at IS NULL').pluck().get(cutoff)).toBe(0);
    check.close();

    // Nothing is left for a second pass.
    const again: number[] = [];
    const second = startRetention({ disputes: store.disputes, days: 60, clock: () => nowMs, onDone: (cases) => again.push(cases) });
    await second.idle();
    second.stop();
    expect(again).toEqual([]);
  });

  it('reads ATLAS_RETENTION_DAYS: a default of three years, "off", or a whole number of days', () => {
    expect(retentionDaysFromEnv(undefined)).toBe(1095);
    expect(retentionDaysFromEnv('off')).toBeNull();
    expect(retentionDaysFromEnv('30')).toBe(30);
    for (const bad of ['0', '-3', '1.5', 'forever']) expect(() => retentionDaysFromEnv(bad)).toThrow(/ATLAS_RETENTION_DAYS/);
  });
});
