// The report form's small map (loaded after the form: MapLibre and deck.gl are most of /report's code):
// the offline base map with the reporter's jurisdiction outlined, its grids (or child units) and the
// unit around it as context; a tap chooses the place, shown as a dot. The server decides whether a place
// lies in the jurisdiction: a tap outside is allowed, and its refusal is shown.

import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { ADMIN_CODE_LENGTH, childLevelOf, levelOfCode, type AdminLevel } from '../../../../server/domain/admin-codes';
import type { MapUnitProperties } from '../../api-types';
import { gridsAsMapUnits } from '../../hooks/use-focus-children';
import { createAdminFillLayer } from '../../layers/admin-fill-layer';
import { MUTED_FILL, type Rgba } from '../../layers/color-scales';
import { createReportPlaceLayer } from '../../layers/report-place-layer';
import { createUnitHighlightLayer } from '../../layers/unit-highlight-layer';
import { AtlasMap, type LngLatBounds } from '../../map/atlas-map';
import { CHILD_OUTLINE, boundsOfFeatures } from '../../map/admin-style';
import { LABEL_LAYER } from '../../map/offline-style';
import { trpc } from '../../trpc';

export interface ReportMapProps {
  /** The admin unit the reporter's jurisdiction covers (a community for a grid worker). */
  scope: string;
  /** The jurisdiction itself when narrower than `scope` (a grid's 15 digits), outlined instead of the scope. */
  outlineCode: string;
  lngLat: [number, number] | null;
  onPick: (lngLat: [number, number]) => void;
  /** Changes when the map should move to `lngLat` (a position from the device). */
  focusKey: number;
}

const CHILD_FILL: Rgba = [120, 170, 220, 90];
/** How far around a located position the map shows (degrees, about 300 m). */
const POSITION_MARGIN_DEGREES = 0.003;

type UnitCollection = FeatureCollection<MultiPolygon, MapUnitProperties>;

/** The admin level of a code of 2 to 12 digits, and its parent's code (null for the province). */
function adminLevelOf(code: string): { level: AdminLevel; parent: string | null } {
  const level = (levelOfCode(code) ?? 'province') as AdminLevel;
  const lengths = Object.values(ADMIN_CODE_LENGTH).filter((length) => length < code.length);
  const parentLength = lengths[lengths.length - 1];
  return { level, parent: parentLength === undefined ? null : code.slice(0, parentLength) };
}

/** The unit `code` alone, as geo.adminUnits answers its level under its parent (the caller may see it whole). */
function useUnit(code: string | null) {
  const { level, parent } = adminLevelOf(code ?? '21');
  const query = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level, ...(parent ? { parent } : {}) }),
    enabled: code !== null,
  });
  const data = query.data;
  const feature = useMemo(() => data?.features.find((f) => f.properties.code === code) ?? null, [data, code]);
  return { feature, ready: code === null || Boolean(data), error: query.error };
}

/** The units inside `scope`: its grids for a community, else its children. */
function useChildren(scope: string) {
  const level = adminLevelOf(scope).level;
  const childLevel = childLevelOf(level);
  const isCommunity = level === 'community';
  const grids = useQuery({ ...trpc.geo.grids.queryOptions({ within: scope }), enabled: isCommunity });
  const units = useQuery({
    ...trpc.geo.adminUnits.queryOptions({ level: (childLevel === 'grid' || childLevel === null ? 'community' : childLevel) as AdminLevel, parent: scope }),
    enabled: !isCommunity,
  });
  const gridData = grids.data;
  const unitData = units.data;
  const children = useMemo((): UnitCollection | undefined => (isCommunity ? (gridData ? gridsAsMapUnits(gridData) : undefined) : unitData), [isCommunity, gridData, unitData]);
  return { children, error: isCommunity ? grids.error : units.error };
}

export default function ReportMap({ scope, outlineCode, lngLat, onPick, focusKey }: ReportMapProps) {
  const { parent } = adminLevelOf(scope);
  const own = useUnit(scope);
  const around = useUnit(parent);
  const { children, error } = useChildren(scope);

  const outline = useMemo((): Feature<MultiPolygon, MapUnitProperties> | null => {
    if (outlineCode !== scope) return children?.features.find((f) => f.properties.code === outlineCode) ?? own.feature;
    return own.feature;
  }, [outlineCode, scope, children, own.feature]);

  const layers = useMemo(() => {
    const list = [];
    if (around.feature) {
      list.push(
        createAdminFillLayer(
          { type: 'FeatureCollection', features: [around.feature] },
          { id: 'report-around', focusCode: null, fillOf: () => MUTED_FILL.light, mutedFill: MUTED_FILL.light, outline: [90, 110, 130, 160], colorKey: '', hoveredCode: null, beforeId: LABEL_LAYER },
        ),
      );
    }
    if (children) {
      list.push(
        createAdminFillLayer(children, { id: 'report-children', focusCode: '', fillOf: () => CHILD_FILL, mutedFill: CHILD_FILL, outline: CHILD_OUTLINE.light, colorKey: '', hoveredCode: null, beforeId: LABEL_LAYER }),
      );
    }
    list.push(createUnitHighlightLayer(outline, { id: 'report-jurisdiction', widthPixels: 4, beforeId: LABEL_LAYER }));
    list.push(createReportPlaceLayer(lngLat, { id: 'report-place' }));
    return list;
  }, [around.feature, children, outline, lngLat]);

  const labels = useMemo(
    (): FeatureCollection<Point, { name: string }> => ({
      type: 'FeatureCollection',
      features: (children?.features ?? []).map((f) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: { type: 'Point', coordinates: f.properties.labelLngLat } })),
    }),
    [children],
  );

  const scopeBounds = useMemo(() => (outline ? boundsOfFeatures([outline]) : null), [outline]);
  const fitBounds = useMemo((): LngLatBounds | null => {
    if (focusKey > 0 && lngLat) {
      const [lng, lat] = lngLat;
      return [lng - POSITION_MARGIN_DEGREES, lat - POSITION_MARGIN_DEGREES, lng + POSITION_MARGIN_DEGREES, lat + POSITION_MARGIN_DEGREES];
    }
    return scopeBounds;
    // The position is read when the device answers (focusKey), not on every tap.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusKey, scopeBounds]);

  const onClick = useCallback(
    (info: PickingInfo) => {
      if (info.coordinate) onPick([info.coordinate[0]!, info.coordinate[1]!]);
    },
    [onPick],
  );

  const loadError = error ?? own.error ?? around.error;
  return (
    <div className="report-map" data-scope={scope}>
      <AtlasMap
        theme="light"
        layers={layers}
        labels={labels}
        fitBounds={fitBounds}
        fitKey={`${scope}|${scopeBounds ? 'ready' : 'pending'}|${focusKey}`}
        fitPadding={{ top: 16, right: 16, bottom: 16, left: 16 }}
        dataReady={Boolean(children && own.ready && around.ready) || Boolean(loadError)}
        onClick={onClick}
      />
      {loadError && (
        <p className="report-map-error" role="alert">
          {loadError.message}
        </p>
      )}
    </div>
  );
}
