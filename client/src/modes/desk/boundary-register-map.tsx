// The register's small offline map: the boundary lines of hotspots.boundaryRisk (the same ids as the
// register) coloured by patrol status — red due, green patrolled within 90 days — the selected line wide
// and blue. A click on a line selects its row; a selected row's line is drawn on top.

import { useMemo } from 'react';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, Point } from 'geojson';
import type { BoundaryRisk, BoundaryRiskProperties } from '../../api-types';
import type { Rgba } from '../../layers/color-scales';
import { AtlasMap, type LngLatBounds } from '../../map/atlas-map';
import { LABEL_LAYER } from '../../map/offline-style';
import { REGISTER_LINE_COLORS } from './boundary-register';

export interface BoundaryRegisterMapProps {
  lines: BoundaryRisk | undefined;
  /** Whether a line (by id) is due a joint patrol, from the register (the effective status). */
  dueById: ReadonlyMap<string, boolean>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  dataReady: boolean;
}

type LineFeature = Feature<LineString | MultiLineString, BoundaryRiskProperties>;

const NO_LABELS: FeatureCollection<Point, { name: string }> = { type: 'FeatureCollection', features: [] };

/** The lines' bounding box, or null without lines. */
function boundsOfLines(features: readonly LineFeature[]): LngLatBounds | null {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const feature of features) {
    const parts = feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const part of parts) {
      for (const [lng, lat] of part) {
        if (lng! < minLng) minLng = lng!;
        if (lng! > maxLng) maxLng = lng!;
        if (lat! < minLat) minLat = lat!;
        if (lat! > maxLat) maxLat = lat!;
      }
    }
  }
  return minLng <= maxLng ? [minLng, minLat, maxLng, maxLat] : null;
}

export default function BoundaryRegisterMap({ lines, dueById, selectedId, onSelect, dataReady }: BoundaryRegisterMapProps) {
  const statusKey = useMemo(() => [...dueById].map(([id, due]) => `${id}:${due ? 1 : 0}`).join(','), [dueById]);
  const shown = useMemo((): FeatureCollection<LineString | MultiLineString, BoundaryRiskProperties> | null => {
    if (!lines) return null;
    return { type: 'FeatureCollection', features: lines.features.filter((f) => dueById.has(f.properties.id)) };
  }, [lines, dueById]);
  const selected = useMemo(() => shown?.features.filter((f) => f.properties.id === selectedId) ?? [], [shown, selectedId]);

  const layers = useMemo(() => {
    if (!shown) return [];
    const colorOf = (f: Feature<Geometry, BoundaryRiskProperties>): Rgba => (dueById.get(f.properties.id) ? REGISTER_LINE_COLORS.due : REGISTER_LINE_COLORS.patrolled);
    return [
      new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
        id: 'register-lines',
        data: shown,
        beforeId: LABEL_LAYER,
        pickable: true,
        stroked: true,
        filled: false,
        lineWidthUnits: 'pixels',
        lineJointRounded: true,
        getLineColor: colorOf,
        getLineWidth: 4,
        lineWidthMinPixels: 3,
        updateTriggers: { getLineColor: statusKey },
        onClick: (info) => {
          const feature = info.object as LineFeature | undefined;
          if (feature) onSelect(feature.properties.id);
        },
      }),
      new GeoJsonLayer<BoundaryRiskProperties, { beforeId?: string }>({
        id: 'register-selected',
        data: { type: 'FeatureCollection', features: selected },
        beforeId: LABEL_LAYER,
        stroked: true,
        filled: false,
        lineWidthUnits: 'pixels',
        lineJointRounded: true,
        getLineColor: REGISTER_LINE_COLORS.selected,
        getLineWidth: 8,
      }),
    ];
  }, [shown, selected, dueById, statusKey, onSelect]);

  const fitBounds = useMemo(() => (shown ? boundsOfLines(shown.features) : null), [shown]);
  return (
    <div className="register-map" data-selected={selectedId ?? undefined} data-lines={shown?.features.length ?? 0}>
      <AtlasMap
        theme="light"
        layers={layers}
        labels={NO_LABELS}
        fitBounds={fitBounds}
        fitKey={fitBounds ? fitBounds.join(',') : 'pending'}
        fitPadding={{ top: 16, right: 16, bottom: 16, left: 16 }}
        dataReady={dataReady}
      />
    </div>
  );
}
