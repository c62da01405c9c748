// The map view shared by every mode: a MapLibre map on the offline style with a deck.gl overlay drawn
// interleaved (deck layers sit below the MapLibre label layer). Owns the view state; modes pass layers.

import { useEffect, useRef, useState } from 'react';
import maplibregl, { type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection, Point } from 'geojson';
import 'maplibre-gl/dist/maplibre-gl.css';
import { LABEL_SOURCE, createOfflineStyle, type MapTheme } from './offline-style';

/** [minLng, minLat, maxLng, maxLat] */
export type LngLatBounds = [number, number, number, number];

export interface AtlasMapProps {
  theme: MapTheme;
  layers: LayersList;
  labels: FeatureCollection<Point, { name: string }>;
  /** Bounds to show; the map moves whenever `fitKey` changes. */
  fitBounds: LngLatBounds | null;
  fitKey: string;
  /** False on unattended screens: no pan/zoom handlers, no controls. */
  interactive?: boolean;
  /** Cap on the device-pixel ratio (walls up to 7680 px wide must stay within GPU limits). */
  maxPixelRatio?: number;
  onZoomChange?: (zoom: number) => void;
  getTooltip?: (info: PickingInfo) => string | null;
  /** True once every layer has its data: the map reports "idle" only after that. */
  dataReady: boolean;
}

const LIAONING_BOUNDS: LngLatBounds = [118.8, 38.7, 125.8, 43.5];

export function AtlasMap(props: AtlasMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [styleLoaded, setStyleLoaded] = useState(false);
  const [idle, setIdle] = useState(false);
  const propsRef = useRef(props);
  propsRef.current = props;

  // Create the map once per theme.
  useEffect(() => {
    const container = containerRef.current!;
    const map = new maplibregl.Map({
      container,
      style: createOfflineStyle(props.theme),
      bounds: LIAONING_BOUNDS,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      interactive: props.interactive ?? true,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      pixelRatio: Math.min(window.devicePixelRatio || 1, props.maxPixelRatio ?? 2),
      maxBounds: [
        [112, 35],
        [132, 47],
      ],
    });
    if (props.interactive ?? true) {
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
      map.touchZoomRotate.disableRotation();
    }
    const overlay = new MapboxOverlay({
      interleaved: true,
      layers: [],
      getTooltip: (info) => {
        const text = propsRef.current.getTooltip?.(info);
        return text ? { text, className: 'atlas-tooltip' } : null;
      },
    });
    map.addControl(overlay);
    map.on('load', () => setStyleLoaded(true));
    map.on('movestart', () => setIdle(false));
    map.on('zoomend', () => propsRef.current.onZoomChange?.(map.getZoom()));
    map.on('idle', () => setIdle(true));
    mapRef.current = map;
    overlayRef.current = overlay;
    // Browser tests project coordinates to pixels through the map attached to its container.
    (container as HTMLDivElement & { maplibreMap?: maplibregl.Map }).maplibreMap = map;
    propsRef.current.onZoomChange?.(map.getZoom());
    return () => {
      map.removeControl(overlay);
      overlay.finalize();
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
      setStyleLoaded(false);
      setIdle(false);
    };
    // The map is rebuilt only when the theme changes; other props flow through the effects below.
  }, [props.theme]);

  useEffect(() => {
    if (!styleLoaded) return;
    overlayRef.current?.setProps({ layers: props.layers });
    setIdle(false);
    mapRef.current?.triggerRepaint();
  }, [props.layers, styleLoaded]);

  useEffect(() => {
    if (!styleLoaded) return;
    (mapRef.current?.getSource(LABEL_SOURCE) as GeoJSONSource | undefined)?.setData(props.labels);
  }, [props.labels, styleLoaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.fitBounds) return;
    map.fitBounds(props.fitBounds, { padding: 32, duration: (props.interactive ?? true) ? 600 : 0, maxZoom: 16 });
    // Only a new region moves the map; new geometry for the same region must not.
  }, [props.fitKey, styleLoaded]);

  const ready = styleLoaded && idle && props.dataReady;
  return <div ref={containerRef} className="atlas-map" data-map-state={ready ? 'idle' : 'busy'} />;
}
