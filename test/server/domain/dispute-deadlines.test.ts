// Deadlines by type and handling level: the default table, the severity cap, new stages, and the
// ATLAS_SLA_DAYS grammar with its errors.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { DISPUTE_TYPE_KEYS } from '../../../server/domain/dispute-categories';
import {
  DEFAULT_DEADLINE_POLICY,
  computeDueMs,
  deadlineDays,
  parseDeadlinePolicy,
  startsNewStage,
} from '../../../server/domain/dispute-deadlines';
import { DISPUTE_SEVERITIES, HANDLING_LEVELS } from '../../../server/domain/dispute-workflow';

const reported = Date.UTC(2025, 0, 1);

describe('deadlines by type and handling level', () => {
  it('gives each type its days at grid, community and street, twice that at county and above, capped by severity', () => {
    expect(deadlineDays({ type: 'neighbour', severity: 'general', handlingLevel: 'grid' })).toBe(10);
    expect(deadlineDays({ type: 'consumer', severity: 'general', handlingLevel: 'street' })).toBe(7);
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'community' })).toBe(30);
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'county' })).toBe(60);
    expect(deadlineDays({ type: 'family', severity: 'general', handlingLevel: 'above' })).toBe(30);
    expect(deadlineDays({ type: 'land', severity: 'major', handlingLevel: 'county' })).toBe(7);
    expect(deadlineDays({ type: 'consumer', severity: 'major', handlingLevel: 'grid' })).toBe(7);
    expect(deadlineDays({ type: 'medical', severity: 'critical', handlingLevel: 'street' })).toBe(3);
    expect(computeDueMs(reported, { type: 'wages', severity: 'general', handlingLevel: 'grid' })).toBe(reported + 10 * MS_PER_DAY);
  });

  it('never gives a higher level less time than a lower one, nor a graver case more than a lighter one', () => {
    for (const type of DISPUTE_TYPE_KEYS) {
      for (const severity of DISPUTE_SEVERITIES) {
        const days = HANDLING_LEVELS.map((handlingLevel) => deadlineDays({ type, severity, handlingLevel }));
        for (let l = 1; l < days.length; l++) expect(days[l]).toBeGreaterThanOrEqual(days[l - 1]!);
      }
      for (const handlingLevel of HANDLING_LEVELS) {
        const days = DISPUTE_SEVERITIES.map((severity) => deadlineDays({ type, severity, handlingLevel }));
        for (let s = 1; s < days.length; s++) expect(days[s]).toBeLessThanOrEqual(days[s - 1]!);
      }
    }
  });

  it('starts a new stage at another level or a reopening, not at a step within the level', () => {
    expect(startsNewStage('grid', 'grid', false)).toBe(false);
    expect(startsNewStage('grid', 'community', false)).toBe(true);
    expect(startsNewStage('street', 'grid', false)).toBe(true);
    expect(startsNewStage('street', 'street', true)).toBe(true);
  });

  it('reads ATLAS_SLA_DAYS: severity caps, type days, single cells after the type entries', () => {
    expect(parseDeadlinePolicy(undefined)).toBe(DEFAULT_DEADLINE_POLICY);
    expect(parseDeadlinePolicy('  ')).toBe(DEFAULT_DEADLINE_POLICY);
    const policy = parseDeadlinePolicy('land.county=90, land=20, major=5, consumer.grid=2');
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'grid' }, policy)).toBe(20);
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'above' }, policy)).toBe(40);
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'county' }, policy)).toBe(60);
    expect(parseDeadlinePolicy('land.county=90,general=100').daysByTypeLevel.land.county).toBe(90);
    expect(deadlineDays({ type: 'land', severity: 'major', handlingLevel: 'county' }, policy)).toBe(5);
    expect(deadlineDays({ type: 'consumer', severity: 'general', handlingLevel: 'grid' }, policy)).toBe(2);
    expect(deadlineDays({ type: 'consumer', severity: 'general', handlingLevel: 'community' }, policy)).toBe(7);
    // The default policy is left as it was.
    expect(deadlineDays({ type: 'land', severity: 'general', handlingLevel: 'grid' })).toBe(30);
  });

  it('refuses unknown keys, unknown levels and days that are not positive, naming the entry', () => {
    expect(() => parseDeadlinePolicy('landslide=3')).toThrow(/unknown key "landslide"/);
    expect(() => parseDeadlinePolicy('land.province=3')).toThrow(/unknown handling level "province" in "land.province"/);
    expect(() => parseDeadlinePolicy('major.grid=3')).toThrow(/unknown key "major.grid"/);
    expect(() => parseDeadlinePolicy('land=0')).toThrow(/"land" needs a positive number of days, got "0"/);
    expect(() => parseDeadlinePolicy('land=')).toThrow(/"land" needs a positive number of days/);
    expect(() => parseDeadlinePolicy('critical=soon')).toThrow(/"critical" needs a positive number of days, got "soon"/);
  });

  it('answers a deadline after its start for every type, severity and level (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DISPUTE_TYPE_KEYS),
        fc.constantFrom(...DISPUTE_SEVERITIES),
        fc.constantFrom(...HANDLING_LEVELS),
        fc.integer({ min: 0, max: 4e12 }),
        (type, severity, handlingLevel, since) => {
          const due = computeDueMs(since, { type, severity, handlingLevel });
          return due > since && due - since <= 60 * MS_PER_DAY;
        },
      ),
    );
  });
});
