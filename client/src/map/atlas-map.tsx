// The map view shared by every mode: a MapLibre map on the offline style with a deck.gl overlay drawn
// interleaved (deck layers sit below the MapLibre label layer). Owns the view state; modes pass layers.

import { useEffect, useRef, useState } from 'react';
import maplibregl, { type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection, Point } from 'geojson';
import 'maplibre-gl/dist/maplibre-gl.css';
import './luma-vertex-array-fix';
import { LABEL_LAYER, LABEL_SOURCE, createOfflineStyle, labelTextSize, type MapTheme } from './offline-style';
import type { MapInteraction } from './map-interaction';

/** [minLng, minLat, maxLng, maxLat] */
export type LngLatBounds = [number, number, number, number];

export interface AtlasMapProps {
  theme: MapTheme;
  layers: LayersList;
  labels: FeatureCollection<Point, { name: string }>;
  /** Bounds to show; the map moves whenever `fitKey` changes. */
  fitBounds: LngLatBounds | null;
  fitKey: string;
  /** Room (CSS px) kept clear around the fitted bounds, e.g. for a side panel over the map (default 32 all round). */
  fitPadding?: FitPadding;
  /** False on unattended screens: no pan/zoom handlers, no controls. */
  interactive?: boolean;
  /** Cap on the device-pixel ratio (walls up to 7680 px wide must stay within GPU limits). */
  maxPixelRatio?: number;
  onZoomChange?: (zoom: number) => void;
  getTooltip?: (info: PickingInfo) => string | null;
  /** True once every layer has its data: the map reports "idle" only after that. */
  dataReady: boolean;
  /** Label type size relative to a desk display (walls: the wall's scale). */
  labelScale?: number;
  /**
   * For maps whose layers animate (the wall's pulsing live events): changes only when the layers' data
   * changes. The map is then "busy" only until the first complete frame after such a change, not after
   * every animation frame; without it, every new `layers` makes it busy until MapLibre's next idle.
   */
  settleKey?: unknown;
  /** Any click on the map, with what deck.gl picked there (after the picked layer's own onClick). */
  onClick?: (info: PickingInfo) => void;
  /** A mode's tool using the pointer: its cursor, drags of its objects, pointer moves. */
  interaction?: MapInteraction;
}

export interface FitPadding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

const LIAONING_BOUNDS: LngLatBounds = [118.8, 38.7, 125.8, 43.5];

let canvasLimit: number | undefined;

/**
 * The largest canvas side this GPU draws (texture, renderbuffer and viewport limits), at most 8192.
 * A 7680-px wall needs more than MapLibre's default 4096, which would otherwise blur the map.
 */
export function maxCanvasSide(): number {
  if (canvasLimit !== undefined) return canvasLimit;
  canvasLimit = 4096;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl) {
    const viewport = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
    canvasLimit = Math.min(8192, gl.getParameter(gl.MAX_TEXTURE_SIZE) as number, gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, viewport[0]!, viewport[1]!);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return canvasLimit;
}

function reportView(map: maplibregl.Map, interaction: MapInteraction | undefined): void {
  if (!interaction?.onViewChange) return;
  const bounds = map.getBounds();
  interaction.onViewChange([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], map.getZoom());
}

export function AtlasMap(props: AtlasMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [styleLoaded, setStyleLoaded] = useState(false);
  const [idle, setIdle] = useState(false);
  const propsRef = useRef(props);
  propsRef.current = props;
  /** A data change (or a move) waits for its first complete frame. */
  const settlingRef = useRef(true);

  // Create the map once per theme.
  useEffect(() => {
    const container = containerRef.current!;
    // Interactivity and pixel ratio are fixed when the map is made: read, not watched.
    const { interactive = true, maxPixelRatio = 2 } = propsRef.current;
    const map = new maplibregl.Map({
      container,
      style: createOfflineStyle(props.theme),
      bounds: LIAONING_BOUNDS,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      interactive,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      pixelRatio: Math.min(window.devicePixelRatio || 1, maxPixelRatio),
      // MapLibre lowers the pixel ratio by itself when the canvas would exceed this.
      maxCanvasSize: [maxCanvasSide(), maxCanvasSide()],
      maxBounds: [
        [112, 35],
        [132, 47],
      ],
    });
    if (interactive) {
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
      // The tool's cursor wins over deck.gl's grab/grabbing (the canvas is shared in interleaved mode).
      getCursor: ({ isDragging }) => propsRef.current.interaction?.cursor ?? (isDragging ? 'grabbing' : 'grab'),
    });
    map.addControl(overlay);
    map.on('load', () => setStyleLoaded(true));
    map.on('movestart', () => {
      settlingRef.current = true;
      setIdle(false);
    });
    map.on('zoomend', () => propsRef.current.onZoomChange?.(map.getZoom()));
    map.on('moveend', () => reportView(map, propsRef.current.interaction));
    map.on('idle', () => {
      settlingRef.current = false;
      setIdle(true);
    });
    // Animated maps may never go idle: a complete frame (style, sources and tiles loaded, not moving)
    // after the last data change counts as drawn.
    map.on('render', () => {
      if (propsRef.current.settleKey === undefined || !settlingRef.current) return;
      if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) {
        settlingRef.current = false;
        setIdle(true);
      }
    });
    // A tool's drag: a button pressed over one of its draggable objects holds the map still (MapLibre
    // starts no pan when mousedown's default is prevented) until the button is released anywhere.
    let dragging = false;
    const lngLatOf = (event: { lngLat: maplibregl.LngLat }): [number, number] => [event.lngLat.lng, event.lngLat.lat];
    map.on('mousedown', (event) => {
      const interaction = propsRef.current.interaction;
      if (!interaction?.onDragStart || !interaction.dragLayerIds?.length || event.originalEvent.button !== 0) return;
      const info = overlay.pickObject({ x: event.point.x, y: event.point.y, radius: 6, layerIds: interaction.dragLayerIds });
      if (!info || !interaction.onDragStart(lngLatOf(event), info)) return;
      event.preventDefault();
      dragging = true;
      const onUp = (up: MouseEvent) => {
        window.removeEventListener('mouseup', onUp);
        if (!dragging) return;
        dragging = false;
        const rect = container.getBoundingClientRect();
        const at = map.unproject([up.clientX - rect.left, up.clientY - rect.top]);
        propsRef.current.interaction?.onDragEnd?.([at.lng, at.lat]);
      };
      window.addEventListener('mouseup', onUp);
    });
    // Every click, after deck.gl's layers had theirs, with what is under it (nothing picked: just the place).
    map.on('click', (event) => {
      const onClick = propsRef.current.onClick;
      if (!onClick) return;
      const picked = overlay.pickObject({ x: event.point.x, y: event.point.y, radius: 2 });
      const coordinate = lngLatOf(event);
      // deck.gl's PickingInfo of an empty spot: no layer, no object, the place clicked.
      const empty = { x: event.point.x, y: event.point.y, pixel: [event.point.x, event.point.y], coordinate, picked: false, index: -1, color: null, layer: null } as unknown as PickingInfo;
      onClick(picked ? { ...picked, coordinate } : empty);
    });
    map.on('mousemove', (event) => {
      const interaction = propsRef.current.interaction;
      if (dragging) interaction?.onDrag?.(lngLatOf(event));
      else interaction?.onPointerMove?.(lngLatOf(event));
    });
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
    // Without a settle key, new layers wait for the next idle (with one, the key's own effect does).
    if (propsRef.current.settleKey === undefined) setIdle(false);
    mapRef.current?.triggerRepaint();
  }, [props.layers, styleLoaded]);

  useEffect(() => {
    if (!styleLoaded || props.settleKey === undefined) return;
    settlingRef.current = true;
    setIdle(false);
    mapRef.current?.triggerRepaint();
  }, [props.settleKey, styleLoaded]);

  // A tool that follows the view hears it when it starts.
  const hasViewListener = Boolean(props.interaction?.onViewChange);
  useEffect(() => {
    if (styleLoaded && hasViewListener && mapRef.current) reportView(mapRef.current, propsRef.current.interaction);
  }, [hasViewListener, styleLoaded]);

  // A tool taking clicks (two clicks draw a link) must not zoom on a double click.
  const takesClicks = Boolean(props.interaction?.onClick);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !(propsRef.current.interactive ?? true)) return;
    if (takesClicks) map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }, [takesClicks, styleLoaded]);

  // A tool's cursor over the canvas, at once (deck.gl's getCursor keeps it on its next pointer event).
  const cursor = props.interaction?.cursor;
  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = cursor ?? 'grab';
  }, [cursor, styleLoaded]);

  useEffect(() => {
    if (!styleLoaded || props.labelScale === undefined) return;
    mapRef.current?.setLayoutProperty(LABEL_LAYER, 'text-size', labelTextSize(props.labelScale));
  }, [props.labelScale, styleLoaded]);

  useEffect(() => {
    if (!styleLoaded) return;
    (mapRef.current?.getSource(LABEL_SOURCE) as GeoJSONSource | undefined)?.setData(props.labels);
  }, [props.labels, styleLoaded]);

  useEffect(() => {
    const map = mapRef.current;
    // Only a new region (fitKey) moves the map; new geometry for the same region must not.
    const { fitBounds, interactive = true, fitPadding } = propsRef.current;
    if (!map || !fitBounds) return;
    map.fitBounds(fitBounds, { padding: fitPaddingFor(map.getContainer(), fitPadding), duration: interactive ? 600 : 0, maxZoom: 16 });
  }, [props.fitKey, styleLoaded]);

  const ready = styleLoaded && idle && props.dataReady;
  return <div ref={containerRef} className="atlas-map" data-map-state={ready ? 'idle' : 'busy'} />;
}

/** The padding asked for, shrunk so at least half the container stays for the bounds (small screens). */
export function fitPaddingFor(container: { clientWidth: number; clientHeight: number }, padding: FitPadding | undefined): FitPadding {
  const wanted = padding ?? { top: 32, right: 32, bottom: 32, left: 32 };
  const scaleX = Math.min(1, (container.clientWidth * 0.5) / Math.max(1, wanted.left + wanted.right));
  const scaleY = Math.min(1, (container.clientHeight * 0.5) / Math.max(1, wanted.top + wanted.bottom));
  return { top: wanted.top * scaleY, bottom: wanted.bottom * scaleY, left: wanted.left * scaleX, right: wanted.right * scaleX };
}
