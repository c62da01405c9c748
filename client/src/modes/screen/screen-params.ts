// The wall is configured by its URL alone (nobody touches it): region, the scene to show first, the
// tour interval in seconds (0 = stay), the theme, the KPI of the overview choropleth and what the hot
// spots are measured against (the residents by default; raw counts with baseline=none).
//   /screen?region=21&tour=20            the province, touring every 20 s
//   /screen?region=2101&scene=hotspots   Shenyang, hot spots, no tour
// Without ?region= it shows the caller's jurisdiction (a wall display's link names its area).

import { useEffect, useState } from 'react';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { PROVINCE_CODE, regionFrom, useRegionScope } from '../../hooks/use-region';
import { isOneOf } from '../../is-one-of';

export const SCENES = ['overview', 'hotspots', 'boundary', 'coverage', 'live'] as const;
export type Scene = (typeof SCENES)[number];

/** Overview choropleth KPIs: disputes per 10,000 residents this month, or residents. */
export const OVERVIEW_KPIS = ['disputeRate', 'population'] as const;
export type OverviewKpi = (typeof OVERVIEW_KPIS)[number];

/**
 * What Gi* of the hot spots scene is computed on: the counts less those the residents lead to expect
 * ('residents', the default: on raw counts hot spots mark where people live), or the raw counts ('none').
 */
export const HOTSPOT_BASELINES = ['residents', 'none'] as const;
export type HotspotBaseline = (typeof HOTSPOT_BASELINES)[number];

export const DEFAULT_TOUR_SECONDS = 30;
const MIN_TOUR_SECONDS = 5;

export interface ScreenParams {
  region: string;
  /** The scene shown first. */
  scene: Scene;
  /** Seconds per scene; 0 = no tour. */
  tourSeconds: number;
  theme: 'dark' | 'light';
  kpi: OverviewKpi;
  hotspotBaseline: HotspotBaseline;
}

/**
 * The wall's configuration from URL search parameters (unknown or malformed values fall back to the
 * defaults); the region is held inside `scope`, the region the caller's jurisdiction lets it show.
 */
export function parseScreenParams(search: URLSearchParams, scope: string = PROVINCE_CODE): ScreenParams {
  const sceneText = search.get('scene');
  const scene = isOneOf(SCENES, sceneText) ? sceneText : null;
  const kpi = search.get('kpi');
  const baseline = search.get('baseline');
  const tourText = search.get('tour');
  const tour = tourText === null || tourText.trim() === '' ? NaN : Number(tourText);
  // A known scene without a tour interval means "show this scene"; otherwise tour by default.
  const tourSeconds = Number.isFinite(tour) ? (tour <= 0 ? 0 : Math.max(MIN_TOUR_SECONDS, tour)) : scene ? 0 : DEFAULT_TOUR_SECONDS;
  return {
    region: regionFrom(search, scope),
    scene: scene ?? 'overview',
    tourSeconds,
    theme: search.get('theme') === 'light' ? 'light' : 'dark',
    kpi: isOneOf(OVERVIEW_KPIS, kpi) ? kpi : 'disputeRate',
    hotspotBaseline: isOneOf(HOTSPOT_BASELINES, baseline) ? baseline : 'residents',
  };
}

export function useScreenParams(): ScreenParams {
  const [search] = useSearchParams();
  return parseScreenParams(search, useRegionScope());
}

/** Sets the hot spots' baseline in the URL (the default leaves no parameter), replacing the history entry. */
export function useSetHotspotBaseline(): (baseline: HotspotBaseline) => void {
  const [, setSearch] = useSearchParams();
  return useCallback(
    (baseline: HotspotBaseline) =>
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (baseline === 'residents') next.delete('baseline');
          else next.set('baseline', baseline);
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
}

export interface TourState {
  scene: Scene;
  /** When the current scene started (ms), for the progress bar. */
  since: number;
}

/** Steps through the scenes every `seconds` starting at `first` (stays on `first` when seconds is 0). */
export function useTour(first: Scene, seconds: number): TourState {
  const [state, setState] = useState<TourState>(() => ({ scene: first, since: Date.now() }));
  useEffect(() => {
    setState({ scene: first, since: Date.now() });
    if (seconds <= 0) return;
    const timer = setInterval(() => {
      setState((previous) => ({ scene: SCENES[(SCENES.indexOf(previous.scene) + 1) % SCENES.length]!, since: Date.now() }));
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [first, seconds]);
  return state;
}
