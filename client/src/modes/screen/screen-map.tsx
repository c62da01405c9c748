// The wall's map: one MapLibre + deck.gl map whose layers change with the scene.
//   overview  the region's counties (streets, communities) coloured by a KPI: disputes per 10,000
//             residents this month, or residents
//   hotspots  Getis-Ord Gi* hot and cold spots of the last 30 days (H3 cells, FDR-controlled), against
//             the residents baseline by default, raw counts a click on the legend away
//   boundary  boundary lines ranked by dispute risk over the last 90 days
//   coverage  the 15-minute health circle of urban residents per unit (the shared KPI), and (for a city
//             or smaller) the uncovered residents per grid
//   live      the latest live events
// Fresh live events pulse in every scene. The map is not interactive: it frames the region by itself.

import { useMemo, useState } from 'react';
import { skipToken, useQuery } from '@tanstack/react-query';
import type { LayersList } from '@deck.gl/core';
import type { FeatureCollection, Point } from 'geojson';
import { AtlasMap } from '../../map/atlas-map';
import { LABEL_LAYER } from '../../map/offline-style';
import { CHILD_OUTLINE, LINE_STYLE, boundsOfFeatures } from '../../map/admin-style';
import type { MapUnitProperties } from '../../api-types';
import { createAdminFillLayer, type MapUnitFeature } from '../../layers/admin-fill-layer';
import { createBoundaryLineLayer } from '../../layers/boundary-line-layer';
import { createBoundaryRiskLayers } from '../../layers/boundary-risk-layer';
import { createHotspotClassLayer } from '../../layers/hotspot-class-layer';
import { createLiveEventLayers } from '../../layers/live-event-layer';
import { createCoverageGapLayer } from '../../layers/coverage-gap-layer';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks, type Rgba } from '../../layers/color-scales';
import { useAdminGeometry } from '../../hooks/use-admin-geometry';
import { useFocusChildren, type FocusLevel } from '../../hooks/use-focus-children';
import { useBoundaryRisk, useHotspotCells } from '../../hooks/use-hotspots';
import type { LiveEvent } from '../../hooks/use-live-events';
import { HotspotLegend } from '../../components/hotspot-legend';
import { BOUNDARY_RISK_COLORS } from '../../layers/hotspot-colors';
import { Legend } from '../../components/legend';
import { formatDecimal, formatPopulation } from '../../format';
import { useI18n } from '../../i18n';
import type { HotspotBaseline, OverviewKpi, Scene } from './screen-params';
import { MS_PER_DAY, MS_PER_HOUR } from '../../../../server/domain/china-time';
import { HEALTH_CIRCLE, KPI_DEFINITIONS } from '../../../../server/domain/kpis';
import { trpc } from '../../trpc';
import { SCREEN_TEXT } from './screen-text';

/** Uncovered residents on a dark wall: a bright magenta that reads against the blues. */
const GAP_COLOR: Record<'dark' | 'light', Rgba> = { dark: [244, 63, 170, 170], light: [120, 0, 70, 170] };

/** H3 resolution of the hot spot cells by region level: ~5 km² cells for the province, ~0.1 km² in a county. */
const HOTSPOT_RESOLUTION: Record<FocusLevel, 7 | 8 | 9> = { province: 7, city: 8, county: 9, street: 9, community: 9 };

export interface ScreenMapProps {
  region: string;
  level: FocusLevel;
  scene: Scene;
  kpi: OverviewKpi;
  theme: 'dark' | 'light';
  now: number;
  /** Start of "this month". */
  from: number;
  /** Disputes this month per map unit. */
  unitCounts: Map<string, number> | undefined;
  /** The 15-minute health circle of urban residents per map unit (0–1; null: no urban residents). */
  coverageByUnit: Map<string, number | null> | undefined;
  /** What the hot spots are measured against. */
  hotspotBaseline: HotspotBaseline;
  onHotspotBaselineChange: (baseline: HotspotBaseline) => void;
  liveEvents: readonly LiveEvent[];
  /** Clock for the pulses (ms). */
  clockMs: number;
  /** Scale of the wall relative to 1920 × 1080 (dot sizes, line widths). */
  scale: number;
}

export function ScreenMap(props: ScreenMapProps) {
  const { region, level, scene, kpi, theme, scale } = props;
  const { lang, t } = useI18n();
  const text = SCREEN_TEXT[lang];
  const [zoom, setZoom] = useState(6);
  const geometry = useAdminGeometry(zoom);
  const focus = useFocusChildren(region, level, zoom);
  const showsCounties = level === 'province' || level === 'city';

  // Hour-aligned periods: the analyses are cached per hour on both ends.
  const hourEnd = Math.floor(props.now / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const hotspots = useHotspotCells(
    scene === 'hotspots'
      ? {
          within: region,
          from: iso(hourEnd - 30 * MS_PER_DAY),
          to: iso(hourEnd),
          resolution: HOTSPOT_RESOLUTION[level],
          fdr: true,
          significantOnly: true,
          baseline: props.hotspotBaseline,
        }
      : null,
  );
  const boundaryRisk = useBoundaryRisk(scene === 'boundary' ? { within: region, from: iso(hourEnd - 90 * MS_PER_DAY), to: iso(hourEnd) } : null);
  // Uncovered residents: one circle per grid for a city, grid polygons below; none for the province.
  const showsGaps = scene === 'coverage' && level !== 'province';
  const gaps = useQuery({
    ...trpc.coverage.gaps.queryOptions(
      showsGaps ? { kind: [...HEALTH_CIRCLE.kind], maxMinutes: HEALTH_CIRCLE.maxMinutes, speedKmh: HEALTH_CIRCLE.speedKmh, within: region, as: level === 'city' ? 'points' : 'polygons' } : skipToken,
    ),
    staleTime: Infinity,
  });

  const units = useMemo((): MapUnitFeature[] => {
    if (showsCounties) return geometry.counties?.features.filter((f) => f.properties.code.startsWith(region)) ?? [];
    return focus.children?.features ?? [];
  }, [showsCounties, geometry.counties, focus.children, region]);

  // The value each unit is coloured by in this scene (null: no colour).
  const valueOf = useMemo((): ((p: MapUnitProperties) => number | null) | null => {
    if (scene === 'overview' && kpi === 'population') return (p) => p.population;
    if (scene === 'overview') {
      const counts = props.unitCounts;
      if (!counts) return null;
      return (p) => (p.population ? ((counts.get(p.code) ?? 0) / p.population) * 10_000 : null);
    }
    if (scene === 'coverage') {
      const rates = props.coverageByUnit;
      if (!rates) return null;
      return (p) => {
        const rate = rates.get(p.code);
        return rate === undefined || rate === null ? null : rate * 100;
      };
    }
    return null;
  }, [scene, kpi, props.unitCounts, props.coverageByUnit]);

  const breaks = useMemo(() => {
    if (!valueOf) return [];
    const values = units.map((f) => valueOf(f.properties)).filter((v): v is number => v !== null);
    return quantileBreaks(values, 5);
  }, [units, valueOf]);
  const palette = SEQUENTIAL_PALETTES[theme];
  const noData: Rgba = MUTED_FILL[theme];

  const baseLayers = useMemo((): LayersList => {
    if (!geometry.counties || !geometry.lines) return [];
    const fillOf = (p: MapUnitProperties): Rgba => {
      const value = valueOf?.(p) ?? null;
      return value === null ? noData : classColor(palette, classOf(value, breaks), breaks.length);
    };
    const colorKey = `${scene}|${kpi}|${theme}|${breaks.join(',')}|${valueOf ? 'v' : '-'}`;
    const list: LayersList = [
      createAdminFillLayer(geometry.counties, {
        id: 'admin-counties',
        focusCode: showsCounties && valueOf ? region : null,
        fillOf,
        colorKey,
        mutedFill: MUTED_FILL[theme],
        outline: [0, 0, 0, 0],
        hoveredCode: null,
        beforeId: LABEL_LAYER,
      }),
    ];
    if (!showsCounties && focus.children) {
      list.push(
        createAdminFillLayer(focus.children, {
          id: 'admin-children',
          focusCode: valueOf ? '' : null,
          fillOf,
          colorKey,
          mutedFill: MUTED_FILL[theme],
          outline: CHILD_OUTLINE[theme],
          hoveredCode: null,
          beforeId: LABEL_LAYER,
        }),
      );
    }
    if (showsGaps && gaps.data) {
      list.push(createCoverageGapLayer(gaps.data, { id: 'coverage-gaps', beforeId: LABEL_LAYER, maxRadiusPixels: 2.5 * scale, color: GAP_COLOR[theme] }));
    }
    if (scene === 'hotspots' && hotspots.data) {
      list.push(createHotspotClassLayer(hotspots.data, { id: 'hotspot-cells', theme, beforeId: LABEL_LAYER }));
    }
    const lineStyle = LINE_STYLE[theme];
    list.push(createBoundaryLineLayer(geometry.lines, { id: 'boundary-lines', ...lineStyle, beforeId: LABEL_LAYER }));
    if (!showsCounties && focus.streetLines) {
      list.push(createBoundaryLineLayer(focus.streetLines, { id: 'street-lines', ...lineStyle, beforeId: LABEL_LAYER }));
    }
    if (scene === 'boundary' && boundaryRisk.data) {
      list.push(...createBoundaryRiskLayers(boundaryRisk.data, { id: 'boundary-risk', baseWidthPixels: 1.5 * scale, beforeId: LABEL_LAYER }));
    }
    return list;
  }, [
    geometry.counties,
    geometry.lines,
    focus.children,
    focus.streetLines,
    showsCounties,
    region,
    scene,
    kpi,
    theme,
    valueOf,
    breaks,
    palette,
    noData,
    hotspots.data,
    boundaryRisk.data,
    showsGaps,
    gaps.data,
    scale,
  ]);
  // Live events: every event of the ring in the live scene, only the fresh ones elsewhere. They animate,
  // so the map counts as drawn when the base layers are (`settleKey`), not after every pulse.
  const layers = useMemo(() => {
    const shown = scene === 'live' ? props.liveEvents : props.liveEvents.filter((event) => props.clockMs - event.receivedAt < 60_000);
    return [...baseLayers, ...createLiveEventLayers(shown, { id: 'live-events', clockMs: props.clockMs, radiusPixels: (scene === 'live' ? 5 : 4) * scale })];
  }, [baseLayers, scene, props.liveEvents, props.clockMs, scale]);

  const labels = useMemo((): FeatureCollection<Point, { name: string }> => {
    const source = level === 'province' ? (geometry.cities?.features ?? []) : units;
    return {
      type: 'FeatureCollection',
      features: source.map((f) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: { type: 'Point', coordinates: f.properties.labelLngLat } })),
    };
  }, [level, geometry.cities, units]);

  const fitBounds = useMemo(() => boundsOfFeatures(units), [units]);
  const sceneData =
    scene === 'hotspots'
      ? Boolean(hotspots.data || hotspots.error)
      : scene === 'boundary'
        ? Boolean(boundaryRisk.data || boundaryRisk.error)
        : scene === 'live'
          ? true
          : Boolean(valueOf) && (!showsGaps || Boolean(gaps.data || gaps.error));
  const dataReady = Boolean(
    geometry.counties && geometry.lines && (level !== 'province' || geometry.cities) && (showsCounties || (focus.children && !focus.pending)) && sceneData,
  );
  const sceneError = scene === 'hotspots' ? hotspots.error : scene === 'boundary' ? boundaryRisk.error : showsGaps ? gaps.error : null;

  const format1 = (value: number): string => formatDecimal(value, lang);
  return (
    <div className="region-map screen-map" data-scene={scene}>
      <AtlasMap
        theme={theme}
        layers={layers}
        labels={labels}
        fitBounds={fitBounds}
        fitKey={`${region}|${fitBounds ? 'ready' : 'pending'}`}
        interactive={false}
        maxPixelRatio={2}
        labelScale={Math.max(1, scale * 1.25)}
        onZoomChange={setZoom}
        dataReady={dataReady}
        settleKey={baseLayers}
      />
      {scene === 'overview' && (
        <Legend
          title={kpi === 'population' ? text.legendPopulation : text.legendDisputeRate}
          breaks={breaks}
          palette={palette}
          format={kpi === 'population' ? (value) => formatPopulation(value, lang) : format1}
        />
      )}
      {scene === 'coverage' && (
        <Legend title={KPI_DEFINITIONS.healthCircleUrban.label[lang]} breaks={breaks} palette={palette} format={(value) => `${format1(value)}%`}>
          {showsGaps && (
            <p className="legend-extra">
              <span className={level === 'city' ? 'swatch swatch-dot' : 'swatch'} style={{ background: `rgb(${GAP_COLOR[theme].slice(0, 3).join(', ')})` }} />
              {level === 'city' ? text.uncoveredPoints : text.uncoveredGrids}
            </p>
          )}
        </Legend>
      )}
      {scene === 'hotspots' && (
        <HotspotBasisLegend
          theme={theme}
          classCounts={hotspots.data?.classCounts}
          shown={hotspots.data?.baseline ?? props.hotspotBaseline}
          asked={props.hotspotBaseline}
          onChange={props.onHotspotBaselineChange}
        />
      )}
      {scene === 'boundary' && (
        <figure className="legend" aria-label={text.boundaryRisk}>
          <figcaption>{text.boundaryRisk}</figcaption>
          <ul>
            {(['high', 'elevated', 'normal'] as const).map((risk) => {
              const [r, g, b] = BOUNDARY_RISK_COLORS[risk];
              return (
                <li key={risk}>
                  <span className="swatch line" style={{ background: `rgb(${r}, ${g}, ${b})` }} />
                  {t.riskLevels[risk]}
                </li>
              );
            })}
          </ul>
        </figure>
      )}
      {sceneError && (
        <div className="map-error" role="alert">
          {text.sceneFailed}
          {t.colon}
          {sceneError.message}
        </div>
      )}
    </div>
  );
}

/**
 * The hot spot legend with what Gi* was computed on (the answer's baseline, as shown) and a button that
 * switches between the residents baseline and raw counts.
 */
function HotspotBasisLegend(props: {
  theme: 'dark' | 'light';
  classCounts: Record<string, number> | undefined;
  shown: HotspotBaseline;
  asked: HotspotBaseline;
  onChange: (baseline: HotspotBaseline) => void;
}) {
  const { lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const other: HotspotBaseline = props.asked === 'residents' ? 'none' : 'residents';
  return (
    <div className="legend-stack" data-baseline={props.shown}>
      <HotspotLegend theme={props.theme} fdr classCounts={props.classCounts} />
      <div className="legend hotspot-basis">
        <p className="hotspot-basis-text">{text.hotspotBasis[props.shown]}</p>
        <button type="button" className="hotspot-basis-switch" onClick={() => props.onChange(other)}>
          {text.hotspotSwitchTo[other]}
        </button>
      </div>
    </div>
  );
}
