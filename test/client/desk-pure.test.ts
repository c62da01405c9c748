// The desk's pure helpers: its URL (column, filters, case) read and written back, the queue input built
// from it, time left and walking distance as each language writes them, and the keyboard's commands.

import { describe, expect, it } from 'vitest';
import { REVIEW_RATES, deskViewFrom, hasFilters, queueInputOf, reviewInputOf, reviewViewFrom, withFilters, withReviewView } from '../../client/src/modes/desk/desk-url';
import { formatCaseTime, formatDuration, formatTimeLeft, formatWalkingMeters, noteInLanguage } from '../../client/src/modes/desk/desk-format';
import { deskCommandOf, stepSelection, type KeyPress } from '../../client/src/modes/desk/desk-keys';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('desk URL', () => {
  it('reads the column, filters and case, dropping what the API would refuse', () => {
    const view = deskViewFrom(new URLSearchParams('column=inHand&type=land,boundary,nonsense,land&source=hotline&level=grid,above&grid=210103005021004&case=42&region=210103005'));
    expect(view).toEqual({
      column: 'inHand',
      filters: { types: ['land', 'boundary'], sources: ['hotline'], levels: ['grid', 'above'], grid: '210103005021004', line: null },
      caseId: 42,
    });
    const bad = deskViewFrom(new URLSearchParams('column=done&grid=2101&case=0&type='));
    expect(bad).toEqual({ column: null, filters: { types: [], sources: [], levels: [], grid: null, line: null }, caseId: null });
    expect(deskViewFrom(new URLSearchParams('line=street:210103005|210103006')).filters.line).toBe('street:210103005|210103006');
    expect(deskViewFrom(new URLSearchParams('line=%20')).filters.line).toBe(null);
    expect(deskViewFrom(new URLSearchParams('case=-3')).caseId).toBe(null);
    expect(deskViewFrom(new URLSearchParams('case=1e3')).caseId).toBe(null);
  });

  it('writes filters back, keeping the other parameters, and reads them again unchanged', () => {
    const filters = { types: ['family' as const], sources: [], levels: ['street' as const], grid: null, line: 'street:210103005|210103006' };
    const params = withFilters(new URLSearchParams('region=2101&type=land&grid=210103005021004&lang=en'), filters);
    expect(params.get('line')).toBe('street:210103005|210103006');
    params.delete('line');
    expect(params.toString()).toBe('region=2101&lang=en&type=family&level=street');
    params.set('line', filters.line);
    expect(deskViewFrom(params).filters).toEqual(filters);
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters({ types: [], sources: [], levels: [], grid: null, line: null })).toBe(false);
    expect(hasFilters({ types: [], sources: [], levels: [], grid: null, line: 'street:1|2' })).toBe(true);
  });

  it('builds desk.queue input without empty lists, and a grid only inside the unit', () => {
    const view = deskViewFrom(new URLSearchParams('column=overdue&source=police&grid=210103005021004'));
    expect(queueInputOf('210103005021', view, 50)).toEqual({ within: '210103005021', limit: 50, column: 'overdue', sources: ['police'], grid: '210103005021004' });
    expect(queueInputOf('210104', view, 50)).toEqual({ within: '210104', limit: 50, column: 'overdue', sources: ['police'] });
    expect(queueInputOf('21', deskViewFrom(new URLSearchParams()), 20)).toEqual({ within: '21', limit: 20 });
    expect(queueInputOf('210103', deskViewFrom(new URLSearchParams('line=street:210103005|210103006')), 50)).toEqual({ within: '210103', limit: 50, line: 'street:210103005|210103006' });
  });
});

describe('desk review sample URL', () => {
  it('reads ?view=review and a rate the desk offers, dropping other rates', () => {
    expect(reviewViewFrom(new URLSearchParams('view=review&rate=0.2'))).toEqual({ shown: true, rate: 0.2 });
    expect(reviewViewFrom(new URLSearchParams('view=queue&rate=0.3'))).toEqual({ shown: false, rate: null });
    expect(reviewViewFrom(new URLSearchParams(''))).toEqual({ shown: false, rate: null });
    for (const rate of REVIEW_RATES) expect(reviewViewFrom(new URLSearchParams(`view=review&rate=${rate}`)).rate).toBe(rate);
    expect(reviewViewFrom(new URLSearchParams('view=review&rate=0')).rate).toBe(null);
  });

  it('switches the view keeping other parameters; leaving the sample drops its rate', () => {
    expect(withReviewView(new URLSearchParams('region=210103&case=7'), true).toString()).toBe('region=210103&case=7&view=review');
    expect(withReviewView(new URLSearchParams('region=210103&view=review&rate=0.5&lang=en'), false).toString()).toBe('region=210103&lang=en');
  });

  it('asks desk.reviewSample for the unit, with the rate only when chosen (the default period)', () => {
    expect(reviewInputOf('210103', { shown: true, rate: null })).toEqual({ within: '210103' });
    expect(reviewInputOf('210103', { shown: true, rate: 1 })).toEqual({ within: '210103', rate: 1 });
  });
});

describe('desk formats', () => {
  it('writes a duration in its two largest units, rounded down', () => {
    expect(formatDuration(2 * DAY + 3 * HOUR + 59 * MINUTE, 'zh')).toBe('2天3小时');
    expect(formatDuration(2 * DAY + 3 * HOUR, 'en')).toBe('2 d 3 h');
    expect(formatDuration(3 * DAY + 10 * MINUTE, 'zh')).toBe('3天');
    expect(formatDuration(5 * HOUR + 12 * MINUTE + 59_999, 'en')).toBe('5 h 12 min');
    expect(formatDuration(8 * MINUTE + 30_000, 'zh')).toBe('8分钟');
    expect(formatDuration(59_999, 'en')).toBe('0 min');
  });

  it('says time left, or how long overdue', () => {
    expect(formatTimeLeft(14 * DAY + 23 * HOUR, 'zh')).toBe('剩余 14天23小时');
    expect(formatTimeLeft(-5 * HOUR, 'zh')).toBe('已超期 5小时');
    expect(formatTimeLeft(90 * MINUTE, 'en')).toBe('1 h 30 min left');
    expect(formatTimeLeft(-2 * DAY, 'en')).toBe('overdue by 2 d');
  });

  it('writes times in China time and walking distances', () => {
    // 2026-12-07 06:05 UTC is 14:05 in China.
    const at = Date.UTC(2026, 11, 7, 6, 5);
    expect(formatCaseTime(at, 'zh')).toBe('2026年12月7日 14:05');
    expect(formatCaseTime(at, 'en')).toBe('7 Dec 2026, 14:05');
    expect(formatWalkingMeters(849.6, 'zh')).toBe('850 米');
    expect(formatWalkingMeters(1234, 'zh')).toBe('1.2 公里');
    expect(formatWalkingMeters(12_000, 'en')).toBe('12 km');
  });
});

describe('system notes', () => {
  it('takes the half of a bilingual note in the UI language, and a plain note as it is', () => {
    const note = '超期自动升级（规则 general.grid：超期 24 小时）/ escalated by rule general.grid: 24 h overdue';
    expect(noteInLanguage(note, 'zh')).toBe('超期自动升级（规则 general.grid：超期 24 小时）');
    expect(noteInLanguage(note, 'en')).toBe('escalated by rule general.grid: 24 h overdue');
    expect(noteInLanguage('中文 / English', 'en')).toBe('English');
    expect(noteInLanguage('已电话联系双方', 'en')).toBe('已电话联系双方');
    expect(noteInLanguage('and/or', 'zh')).toBe('and/or');
  });
});

describe('desk keyboard', () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', targetEditable: false, ...extra });

  it('maps keys to commands, none while typing or with a modifier (Esc always)', () => {
    expect(deskCommandOf(press('j'))).toEqual({ kind: 'move', delta: 1 });
    expect(deskCommandOf(press('ArrowUp'))).toEqual({ kind: 'move', delta: -1 });
    expect(deskCommandOf(press('Enter'))).toEqual({ kind: 'open' });
    expect(deskCommandOf(press('Enter', { targetTag: 'BUTTON' }))).toBe(null);
    expect(deskCommandOf(press('a'))).toEqual({ kind: 'quick' });
    expect(deskCommandOf(press('?'))).toEqual({ kind: 'help' });
    expect(deskCommandOf(press('1'))).toEqual({ kind: 'column', column: null });
    expect(deskCommandOf(press('2'))).toEqual({ kind: 'column', column: 'new' });
    expect(deskCommandOf(press('7'))).toEqual({ kind: 'column', column: 'overdue' });
    expect(deskCommandOf(press('8'))).toBe(null);
    expect(deskCommandOf(press('a', { targetTag: 'TEXTAREA' }))).toBe(null);
    expect(deskCommandOf(press('j', { targetEditable: true }))).toBe(null);
    expect(deskCommandOf(press('j', { ctrlKey: true }))).toBe(null);
    expect(deskCommandOf(press('Escape', { targetTag: 'INPUT' }))).toEqual({ kind: 'escape' });
  });

  it('moves the selection within the list, stopping at its ends', () => {
    const ids = [5, 3, 9];
    expect(stepSelection(ids, null, 1)).toBe(5);
    expect(stepSelection(ids, null, -1)).toBe(5);
    expect(stepSelection(ids, 5, 1)).toBe(3);
    expect(stepSelection(ids, 9, 1)).toBe(9);
    expect(stepSelection(ids, 5, -1)).toBe(5);
    expect(stepSelection(ids, 4, 1)).toBe(5);
    expect(stepSelection([], 5, 1)).toBe(null);
  });
});
