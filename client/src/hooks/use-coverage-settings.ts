// The coverage view's settings, kept in the URL so views can be linked: ?coverage=off hides the coverage
// layers; ?kind=health_station&minutes=15&walker=elderly&standard=gb50180 pick what is shown.

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { FACILITY_KINDS, type FacilityKind } from '../../../server/domain/facility-kinds';
import { isOneOf } from '../is-one-of';

export const COVERAGE_MINUTES = [5, 10, 15] as const;
export type CoverageMinutes = (typeof COVERAGE_MINUTES)[number];

export interface CoverageSettings {
  /** False with ?coverage=off: the plain population map. */
  enabled: boolean;
  kind: FacilityKind;
  maxMinutes: CoverageMinutes;
  /** 'elderly' walks at 3 km/h instead of 4. */
  walker: 'standard' | 'elderly';
  /** 'gb50180': the standard's fixed distances (300/500/1,000 m) instead of time at a speed. */
  standard: 'time' | 'gb50180';
}

export const DEFAULT_COVERAGE: CoverageSettings = {
  enabled: true,
  kind: 'health_station',
  maxMinutes: 15,
  walker: 'standard',
  standard: 'time',
};

/** Settings read from URL search parameters (unknown values fall back to the defaults). */
export function coverageSettingsFrom(params: URLSearchParams): CoverageSettings {
  const kind = params.get('kind');
  const minutes = Number(params.get('minutes'));
  return {
    enabled: params.get('coverage') !== 'off',
    kind: isOneOf(FACILITY_KINDS, kind) ? kind : DEFAULT_COVERAGE.kind,
    maxMinutes: isOneOf(COVERAGE_MINUTES, minutes) ? minutes : DEFAULT_COVERAGE.maxMinutes,
    walker: params.get('walker') === 'elderly' ? 'elderly' : 'standard',
    standard: params.get('standard') === 'gb50180' ? 'gb50180' : 'time',
  };
}

export function useCoverageSettings(): [CoverageSettings, (change: Partial<CoverageSettings>) => void] {
  const [params, setParams] = useSearchParams();
  const settings = coverageSettingsFrom(params);
  const update = useCallback(
    (change: Partial<CoverageSettings>) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          const merged = { ...coverageSettingsFrom(previous), ...change };
          const set = (key: string, value: string, fallback: string) => (value === fallback ? next.delete(key) : next.set(key, value));
          set('coverage', merged.enabled ? 'on' : 'off', 'on');
          set('kind', merged.kind, DEFAULT_COVERAGE.kind);
          set('minutes', String(merged.maxMinutes), String(DEFAULT_COVERAGE.maxMinutes));
          set('walker', merged.walker, DEFAULT_COVERAGE.walker);
          set('standard', merged.standard, DEFAULT_COVERAGE.standard);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [settings, update];
}
