// The region map every mode shows: Liaoning's counties, and inside the focused region its units
// coloured by population (province and city: counties; county: streets; street: communities;
// community: grids), boundary lines by level, labels, breadcrumbs and a legend. The focus is kept in
// the URL; click a unit to drill down, breadcrumbs go back up, never above the caller's jurisdiction.

import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type { LayersList, PickingInfo } from '@deck.gl/core';
import { AtlasMap, type FitPadding } from './atlas-map';
import type { MapInteraction } from './map-interaction';
import { CHILD_OUTLINE, LINE_STYLE, boundsOfFeatures, levelOfCode } from './admin-style';
import { LABEL_LAYER, type MapTheme } from './offline-style';
import type { MapUnitProperties } from '../api-types';
import { createAdminFillLayer, type MapUnitFeature } from '../layers/admin-fill-layer';
import { createBoundaryLineLayer } from '../layers/boundary-line-layer';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks, type Rgba } from '../layers/color-scales';
import { useAdminGeometry } from '../hooks/use-admin-geometry';
import { useFocusChildren } from '../hooks/use-focus-children';
import { useRegion, useRegionScope } from '../hooks/use-region';
import { formatPopulation } from '../format';
import { useI18n } from '../i18n';
import { trpc } from '../trpc';
import { Breadcrumbs } from '../components/breadcrumbs';
import { Legend } from '../components/legend';

/** Colours the units in focus by something other than population (e.g. a coverage rate). */
export interface UnitFillOverride {
  /** Fill of a unit by code; null draws it muted (no value). */
  fillOf: (code: string) => Rgba | null;
  /** Changes whenever fillOf would answer differently. */
  key: string;
}

export interface RegionMapProps {
  theme: MapTheme;
  interactive?: boolean;
  maxPixelRatio?: number;
  /** Mode layers drawn above the unit fills and below the boundary lines. */
  extraLayers?: LayersList;
  /** False while the extra layers still wait for data (the map reports idle only after). */
  extraLayersReady?: boolean;
  unitFill?: UnitFillOverride;
  /** Shown instead of the population legend. */
  legend?: ReactNode;
  /** Room kept clear when the map fits its focus (a panel over the map's side). */
  fitPadding?: FitPadding;
  /** A mode's tool using the map's pointer (clicks it takes do not drill down). */
  interaction?: MapInteraction;
}

export function RegionMap({ theme, interactive = true, maxPixelRatio, extraLayers, extraLayersReady = true, unitFill, legend, interaction, fitPadding }: RegionMapProps) {
  const { t, lang } = useI18n();
  const [region, setRegion] = useRegion();
  const scope = useRegionScope();
  const [zoom, setZoom] = useState(6);
  const [hovered, setHovered] = useState<MapUnitProperties | null>(null);
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const geometry = useAdminGeometry(zoom);
  const level = tree.data?.level ?? levelOfCode(region);
  const focus = useFocusChildren(region, level, zoom);
  const showsCounties = level === 'province' || level === 'city';

  // The units coloured by class: counties in the focus, or the focus's children.
  const coloured = useMemo((): MapUnitFeature[] => {
    if (showsCounties) return geometry.counties?.features.filter((f) => f.properties.code.startsWith(region)) ?? [];
    return focus.children?.features ?? [];
  }, [showsCounties, geometry.counties, focus.children, region]);
  const breaks = useMemo(() => quantileBreaks(coloured.map((f) => f.properties.population ?? 0), 5), [coloured]);
  const palette = SEQUENTIAL_PALETTES[theme];
  const fillOf = useCallback(
    (properties: MapUnitProperties) =>
      unitFill
        ? (unitFill.fillOf(properties.code) ?? MUTED_FILL[theme])
        : classColor(palette, classOf(properties.population ?? 0, breaks), breaks.length),
    [palette, breaks, unitFill, theme],
  );
  const colorKey = `${theme}|${breaks.join(',')}|${unitFill?.key ?? ''}`;

  const onUnitClick = useCallback(
    (unit: MapUnitProperties) => {
      // Units outside the caller's scope are context only (a street officer's county around the street).
      if (!unit.code.startsWith(scope)) return;
      if (!unit.code.startsWith(region)) {
        // Outside the focus: go to that unit's city (from a county) or stay within the hierarchy.
        setRegion(unit.code.slice(0, 4));
      } else if (level === 'province') {
        setRegion(unit.code.slice(0, 4));
      } else if (unit.level !== 'grid' && unit.code !== region) {
        setRegion(unit.code);
      }
    },
    [level, region, scope, setRegion],
  );

  // A tool's interaction sees every click first (through the map-level click below); a unit is drilled
  // into only when it does not take the click. Read through a ref: a new interaction rebuilds no layer.
  const interactionRef = useRef(interaction);
  interactionRef.current = interaction;
  const onUnitLayerClick = useCallback(
    (unit: MapUnitProperties) => {
      if (!interactionRef.current?.onClick) onUnitClick(unit);
    },
    [onUnitClick],
  );
  const onMapClick = useCallback(
    (info: PickingInfo) => {
      const tool = interactionRef.current;
      if (!tool?.onClick || !info.coordinate) return;
      if (tool.onClick([info.coordinate[0]!, info.coordinate[1]!], info)) return;
      const feature = info.object as MapUnitFeature | undefined;
      if (interactive && feature?.properties && (info.layer?.id === 'admin-counties' || info.layer?.id === 'admin-children')) onUnitClick(feature.properties);
    },
    [interactive, onUnitClick],
  );

  const layers = useMemo((): LayersList => {
    if (!geometry.counties || !geometry.lines) return [];
    const list: LayersList = [
      createAdminFillLayer(geometry.counties, {
        id: 'admin-counties',
        // Beyond the city level the counties are context only: all muted.
        focusCode: showsCounties ? region : null,
        fillOf,
        colorKey,
        mutedFill: MUTED_FILL[theme],
        outline: [0, 0, 0, 0],
        hoveredCode: showsCounties ? (hovered?.code ?? null) : null,
        onClick: interactive ? onUnitLayerClick : undefined,
        onHover: interactive && showsCounties ? setHovered : undefined,
        beforeId: LABEL_LAYER,
      }),
    ];
    if (!showsCounties && focus.children) {
      list.push(
        createAdminFillLayer(focus.children, {
          id: 'admin-children',
          focusCode: '',
          fillOf,
          colorKey,
          mutedFill: MUTED_FILL[theme],
          outline: CHILD_OUTLINE[theme],
          hoveredCode: hovered?.code ?? null,
          onClick: interactive ? onUnitLayerClick : undefined,
          onHover: interactive ? setHovered : undefined,
          beforeId: LABEL_LAYER,
        }),
      );
    }
    if (extraLayers) list.push(...extraLayers);
    list.push(createBoundaryLineLayer(geometry.lines, { id: 'boundary-lines', ...LINE_STYLE[theme], beforeId: LABEL_LAYER }));
    if (!showsCounties && focus.streetLines) {
      list.push(createBoundaryLineLayer(focus.streetLines, { id: 'street-lines', ...LINE_STYLE[theme], beforeId: LABEL_LAYER }));
    }
    return list;
  }, [geometry.counties, geometry.lines, focus.children, focus.streetLines, showsCounties, region, fillOf, colorKey, theme, hovered, interactive, onUnitLayerClick, extraLayers]);

  const labels = useMemo((): FeatureCollection<Point, { name: string }> => {
    const source = level === 'province' ? (geometry.cities?.features ?? []) : coloured;
    return {
      type: 'FeatureCollection',
      features: source.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name },
        geometry: { type: 'Point', coordinates: f.properties.labelLngLat },
      })),
    };
  }, [level, geometry.cities, coloured]);

  const fitBounds = useMemo(() => boundsOfFeatures(coloured), [coloured]);
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      // deck.gl hands back the picked feature untyped (`any`): a unit of the fill layers.
      const feature = info.object as MapUnitFeature | undefined;
      if (!feature?.properties) return null;
      const p = feature.properties;
      const lines = [p.name, `${t.population}${t.colon}${formatPopulation(p.population, lang)}`];
      if (p.households !== undefined) lines.push(`${t.households}${t.colon}${formatPopulation(p.households, lang)}`);
      if (p.fullTimeWorkers !== undefined) lines.push(`${t.gridWorkers}${t.colon}${p.fullTimeWorkers + (p.partTimeWorkers ?? 0)}`);
      return lines.join('\n');
    },
    [t, lang],
  );

  const dataReady = Boolean(
    geometry.counties && geometry.lines && (level !== 'province' || geometry.cities) && (showsCounties || (focus.children && !focus.pending)),
  ) && extraLayersReady;
  const error = geometry.error ?? tree.error ?? focus.error;
  return (
    <div className="region-map">
      <AtlasMap
        theme={theme}
        layers={layers}
        labels={labels}
        fitBounds={fitBounds}
        fitKey={`${region}|${fitBounds ? 'ready' : 'pending'}`}
        fitPadding={fitPadding}
        interactive={interactive}
        maxPixelRatio={maxPixelRatio}
        onZoomChange={setZoom}
        getTooltip={interactive ? getTooltip : undefined}
        dataReady={dataReady}
        onClick={interactive && interaction?.onClick ? onMapClick : undefined}
        interaction={interactive ? interaction : undefined}
      />
      <Breadcrumbs
        current={tree.data ? { code: tree.data.code, name: tree.data.name } : null}
        ancestors={tree.data?.ancestors ?? []}
        scope={scope}
        onSelect={setRegion}
        interactive={interactive}
      />
      {legend ?? <Legend title={t.populationLegend} breaks={breaks} palette={palette} />}
      {error && (
        <div className="map-error" role="alert">
          {t.loadFailed}
          {t.colon}
          {error.message}
          {interactive && (
            <button type="button" onClick={() => (tree.error ? void tree.refetch() : geometry.refetch())}>
              {t.retry}
            </button>
          )}
          {region !== scope && interactive && (
            <button type="button" onClick={() => setRegion(scope)}>
              {t.back}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
