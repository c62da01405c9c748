// The URL-parameter parsers: the wall's configuration, the coverage settings, the language and the region.
// Every unknown or malformed value falls back to its default (unknown scene, lang=fr, minutes=abc …).

import { describe, expect, it } from 'vitest';
import { DEFAULT_COVERAGE, coverageSettingsFrom } from '../../client/src/hooks/use-coverage-settings';
import { PROVINCE_CODE, regionFrom } from '../../client/src/hooks/use-region';
import { langFromLocation } from '../../client/src/i18n';
import { DEFAULT_TOUR_SECONDS, parseScreenParams } from '../../client/src/modes/screen/screen-params';

const params = (search: string) => new URLSearchParams(search);

describe('parseScreenParams', () => {
  it('defaults to the province, the overview, a 30 s tour, the dark theme and the dispute rate', () => {
    expect(parseScreenParams(params(''))).toEqual({
      region: '21',
      scene: 'overview',
      tourSeconds: DEFAULT_TOUR_SECONDS,
      theme: 'dark',
      kpi: 'disputeRate',
      hotspotBaseline: 'residents',
    });
  });

  it('reads every parameter', () => {
    expect(parseScreenParams(params('region=210103&scene=boundary&tour=12&theme=light&kpi=population&baseline=none'))).toEqual({
      region: '210103',
      scene: 'boundary',
      tourSeconds: 12,
      theme: 'light',
      kpi: 'population',
      hotspotBaseline: 'none',
    });
  });

  it('stays on a scene named without a tour interval', () => {
    expect(parseScreenParams(params('scene=hotspots')).tourSeconds).toBe(0);
    expect(parseScreenParams(params('scene=hotspots&tour=20')).tourSeconds).toBe(20);
  });

  it('turns the tour off at 0 or below and keeps at least 5 s per scene', () => {
    expect(parseScreenParams(params('tour=0')).tourSeconds).toBe(0);
    expect(parseScreenParams(params('tour=-3')).tourSeconds).toBe(0);
    expect(parseScreenParams(params('tour=2')).tourSeconds).toBe(5);
  });

  it('falls back on bad values', () => {
    expect(parseScreenParams(params('region=21x&scene=weather&tour=abc&theme=neon&kpi=gdp&baseline=people'))).toEqual({
      region: '21',
      scene: 'overview',
      tourSeconds: DEFAULT_TOUR_SECONDS,
      theme: 'dark',
      kpi: 'disputeRate',
      hotspotBaseline: 'residents',
    });
    expect(parseScreenParams(params('scene=Overview')).scene).toBe('overview');
    expect(parseScreenParams(params('scene=')).scene).toBe('overview');
  });

  it('tours when the scene is unknown or the interval empty (a typo must not freeze the wall)', () => {
    expect(parseScreenParams(params('scene=weather')).tourSeconds).toBe(DEFAULT_TOUR_SECONDS);
    expect(parseScreenParams(params('tour=')).tourSeconds).toBe(DEFAULT_TOUR_SECONDS);
  });
});

describe('coverageSettingsFrom', () => {
  it('defaults to the 15-minute circle of community health stations at a standard pace', () => {
    expect(coverageSettingsFrom(params(''))).toEqual(DEFAULT_COVERAGE);
    expect(DEFAULT_COVERAGE).toEqual({ enabled: true, kind: 'health_station', maxMinutes: 15, walker: 'standard', standard: 'time' });
  });

  it('reads every setting', () => {
    expect(coverageSettingsFrom(params('coverage=off&kind=elder_day_care&minutes=5&walker=elderly&standard=gb50180'))).toEqual({
      enabled: false,
      kind: 'elder_day_care',
      maxMinutes: 5,
      walker: 'elderly',
      standard: 'gb50180',
    });
  });

  it('falls back on unknown kinds, minutes outside 5/10/15 and unknown walkers or standards', () => {
    for (const minutes of ['abc', '12', '0', '', '15.0x']) expect(coverageSettingsFrom(params(`minutes=${minutes}`)).maxMinutes).toBe(15);
    expect(coverageSettingsFrom(params('minutes=10')).maxMinutes).toBe(10);
    expect(coverageSettingsFrom(params('kind=hospital')).kind).toBe('health_station');
    expect(coverageSettingsFrom(params('walker=runner&standard=iso&coverage=maybe'))).toEqual(DEFAULT_COVERAGE);
  });
});

describe('langFromLocation', () => {
  it('is English only for lang=en, Chinese otherwise', () => {
    expect(langFromLocation('?lang=en')).toBe('en');
    expect(langFromLocation('?region=2101&lang=en&tour=0')).toBe('en');
    for (const search of ['', '?lang=zh', '?lang=fr', '?lang=EN', '?lang=']) expect(langFromLocation(search)).toBe('zh');
  });
});

describe('regionFrom', () => {
  it('takes a code of 2 to 12 digits, else the province', () => {
    expect(regionFrom(params('region=2101'))).toBe('2101');
    expect(regionFrom(params('region=210102001001'))).toBe('210102001001');
    for (const region of ['2', '2101020010011', 'abc', '21 01', '']) expect(regionFrom(params(`region=${region}`))).toBe(PROVINCE_CODE);
    expect(regionFrom(params(''))).toBe(PROVINCE_CODE);
  });
});
