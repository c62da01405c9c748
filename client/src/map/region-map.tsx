// The region map every mode shows: Liaoning's counties coloured by population inside the focused
// region (province → city → county, kept in the URL), boundary lines by level, labels, breadcrumbs
// and a legend. Click a unit to drill down; breadcrumbs go back up.

import { useCallback, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type { PickingInfo } from '@deck.gl/core';
import { AtlasMap, type LngLatBounds } from './atlas-map';
import { LABEL_LAYER, type MapTheme } from './offline-style';
import { createAdminFillLayer, type AdminFeature, type AdminUnitProperties } from '../layers/admin-fill-layer';
import { createBoundaryLineLayer } from '../layers/boundary-line-layer';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks, type Rgba } from '../layers/color-scales';
import { useAdminGeometry } from '../hooks/use-admin-geometry';
import { PROVINCE_CODE, useRegion } from '../hooks/use-region';
import { formatPopulation, useI18n } from '../i18n';
import { trpc } from '../trpc';
import { Breadcrumbs } from '../components/breadcrumbs';
import { Legend } from '../components/legend';

const LINE_STYLE: Record<MapTheme, { colors: Record<'province' | 'city' | 'county', Rgba>; widths: Record<'province' | 'city' | 'county', number> }> = {
  dark: {
    colors: { province: [120, 220, 255, 255], city: [190, 230, 255, 230], county: [120, 160, 200, 150] },
    widths: { province: 2.5, city: 1.6, county: 0.7 },
  },
  light: {
    colors: { province: [30, 60, 100, 255], city: [40, 70, 110, 230], county: [90, 110, 130, 150] },
    widths: { province: 2.5, city: 1.6, county: 0.7 },
  },
};

function boundsOfFeatures(features: AdminFeature[]): LngLatBounds | null {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const feature of features) {
    for (const polygon of feature.geometry.coordinates) {
      for (const [lng, lat] of polygon[0]!) {
        if (lng! < minLng) minLng = lng!;
        if (lng! > maxLng) maxLng = lng!;
        if (lat! < minLat) minLat = lat!;
        if (lat! > maxLat) maxLat = lat!;
      }
    }
  }
  return Number.isFinite(minLng) ? [minLng, minLat, maxLng, maxLat] : null;
}

export interface RegionMapProps {
  theme: MapTheme;
  interactive?: boolean;
  maxPixelRatio?: number;
}

export function RegionMap({ theme, interactive = true, maxPixelRatio }: RegionMapProps) {
  const { t, lang } = useI18n();
  const [region, setRegion] = useRegion();
  const [zoom, setZoom] = useState(6);
  const [hovered, setHovered] = useState<AdminUnitProperties | null>(null);
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const geometry = useAdminGeometry(zoom);
  const level = tree.data?.level ?? (region.length <= 2 ? 'province' : region.length <= 4 ? 'city' : 'county');

  const focusCounties = useMemo(
    () => geometry.counties?.features.filter((f) => f.properties.code.startsWith(region)) ?? [],
    [geometry.counties, region],
  );
  const breaks = useMemo(
    () => quantileBreaks(focusCounties.map((f) => f.properties.population ?? 0), 5),
    [focusCounties],
  );
  const palette = SEQUENTIAL_PALETTES[theme];
  const fillOf = useCallback(
    (properties: AdminUnitProperties) => classColor(palette, classOf(properties.population ?? 0, breaks), breaks.length),
    [palette, breaks],
  );

  const onUnitClick = useCallback(
    (unit: AdminUnitProperties) => {
      const cityCode = unit.code.slice(0, 4);
      if (level === 'province' || !unit.code.startsWith(region)) setRegion(cityCode);
      else if (level === 'city') setRegion(unit.code);
    },
    [level, region, setRegion],
  );

  const layers = useMemo(() => {
    if (!geometry.counties || !geometry.lines) return [];
    return [
      createAdminFillLayer(geometry.counties, {
        id: 'admin-counties',
        focusCode: region,
        fillOf,
        colorKey: `${theme}|${breaks.join(',')}`,
        mutedFill: MUTED_FILL[theme],
        outline: [0, 0, 0, 0],
        hoveredCode: hovered?.code ?? null,
        onClick: interactive ? onUnitClick : undefined,
        onHover: interactive ? setHovered : undefined,
        beforeId: LABEL_LAYER,
      }),
      createBoundaryLineLayer(geometry.lines, { id: 'boundary-lines', ...LINE_STYLE[theme], beforeId: LABEL_LAYER }),
    ];
  }, [geometry.counties, geometry.lines, region, fillOf, theme, breaks, hovered, interactive, onUnitClick]);

  const labels = useMemo((): FeatureCollection<Point, { name: string }> => {
    const source = level === 'province' ? (geometry.cities?.features ?? []) : focusCounties;
    return {
      type: 'FeatureCollection',
      features: source.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name },
        geometry: { type: 'Point', coordinates: f.properties.labelLngLat },
      })),
    };
  }, [level, geometry.cities, focusCounties]);

  const fitBounds = useMemo(() => boundsOfFeatures(focusCounties), [focusCounties]);
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      const feature = info.object as AdminFeature | undefined;
      if (!feature?.properties) return null;
      return `${feature.properties.name}\n${t.population}：${formatPopulation(feature.properties.population, lang)}`;
    },
    [t, lang],
  );

  const dataReady = Boolean(geometry.counties && geometry.lines && (level !== 'province' || geometry.cities));
  return (
    <div className="region-map">
      <AtlasMap
        theme={theme}
        layers={layers}
        labels={labels}
        fitBounds={fitBounds}
        fitKey={`${region}|${fitBounds ? 'ready' : 'pending'}`}
        interactive={interactive}
        maxPixelRatio={maxPixelRatio}
        onZoomChange={setZoom}
        getTooltip={interactive ? getTooltip : undefined}
        dataReady={dataReady}
      />
      <Breadcrumbs
        current={tree.data ? { code: tree.data.code, name: tree.data.name } : null}
        ancestors={tree.data?.ancestors ?? []}
        onSelect={setRegion}
        interactive={interactive}
      />
      <Legend title={t.populationLegend} breaks={breaks} palette={palette} />
      {(geometry.error || tree.error) && (
        <div className="map-error" role="alert">
          {t.loadFailed}：{(geometry.error ?? tree.error)?.message}
          {interactive && (
            <button type="button" onClick={() => (tree.error ? void tree.refetch() : geometry.refetch())}>
              {t.retry}
            </button>
          )}
          {tree.error && region !== PROVINCE_CODE && interactive && (
            <button type="button" onClick={() => setRegion(PROVINCE_CODE)}>
              {t.back}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
