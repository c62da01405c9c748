// What-if editing for /plan: add, move and close facilities, draw or cut walking links, see the
// coverage delta from plan.evaluate; scenarios kept on the server (scenario.*), compared side by side.

import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type { FacilityKind } from '../../../../../server/domain/facility-kinds';
import type { LngLat } from '../../../../../server/domain/scenario';
import type { MapInteraction } from '../../../map/map-interaction';
import { LABEL_LAYER } from '../../../map/offline-style';
import {
  WHATIF_LAYER_IDS,
  createWhatIfDeltaLayer,
  createWhatIfEditLayers,
  createWhatIfFacilityLayer,
  createWhatIfRoadLayer,
  lineMidpoint,
  type FacilityDatum,
  type RoadDatumProperties,
  type WhatIfEditData,
  type WhatIfSiteDatum,
} from '../../../layers/whatif-edits-layer';
import { useWhatIfEvaluation, useWhatIfFacilities, useWhatIfGrids, useWhatIfRoads } from '../../../hooks/use-whatif';
import { useProposalAcceptance } from '../../../hooks/use-whatif-proposals';
import { useScenario } from '../../../hooks/use-scenarios';
import { useMe } from '../../../hooks/use-me';
import { useI18n } from '../../../i18n';
import { EMPTY_HISTORY, evaluateInputOf, isEmptyEdits, linkLengthMeters, reduceWhatIf } from './whatif-edits';
import { formatLengthMeters } from './whatif-format';
import { compareFromParams, scenarioFromParams, withCompare, withScenario } from './whatif-url';
import { WhatIfPanel, type WhatIfTool } from './whatif-panel';
import { WhatIfCompare } from './whatif-compare';
import { metersPerPixel } from '../plan-export';

export interface PlanWhatIfOptions {
  /** The focused unit (the URL's region). */
  region: string;
  kind: FacilityKind;
  maxMinutes: number;
  /** False for roles without the plan capability: the tools show locked. */
  mayPlan: boolean;
}

export interface PlanWhatIf {
  /** Layers of the edits and their delta, drawn above the map's question layers. */
  layers: LayersList;
  /** The editing tools, the delta, the scenarios and the comparison controls. */
  panel: ReactNode;
  /** The map's pointer while a tool is active. */
  interaction: MapInteraction | undefined;
  /** When two scenarios are being compared: the view that replaces the single map; else null. */
  compareView: ReactNode | null;
}

/** Zoom from which road segments are drawn and can be cut (a street or a community fills the view). */
export const CUT_MIN_ZOOM = 14;

const CURSORS: Record<WhatIfTool, string | undefined> = { none: undefined, add: 'crosshair', move: 'pointer', close: 'pointer', link: 'crosshair', cut: 'pointer' };

/** A view's bounds widened to a 0.01° lattice, so small moves ask the server for the same roads. */
function roadsBbox([w, s, e, n]: [number, number, number, number]): [number, number, number, number] {
  return [Math.floor(w * 100) / 100, Math.floor(s * 100) / 100, Math.ceil(e * 100) / 100, Math.ceil(n * 100) / 100];
}

export function usePlanWhatIf({ region, kind, maxMinutes, mayPlan }: PlanWhatIfOptions): PlanWhatIf {
  const { t } = useI18n();
  const w = t.whatif;
  const { lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const [history, dispatch] = useReducer(reduceWhatIf, EMPTY_HISTORY);
  const edits = history.present;
  const [tool, setToolState] = useState<WhatIfTool>('none');
  const [linkStart, setLinkStart] = useState<LngLat | null>(null);
  const [pointer, setPointer] = useState<LngLat | null>(null);
  const [moving, setMoving] = useState<FacilityDatum | null>(null);
  const [drag, setDrag] = useState<{ index: number; lngLat: LngLat } | null>(null);
  const [view, setView] = useState<{ bounds: [number, number, number, number]; zoom: number } | null>(null);
  const [cutPlaces, setCutPlaces] = useState<ReadonlyMap<number, LngLat>>(new Map());

  const setTool = useCallback((next: WhatIfTool) => {
    setToolState(next);
    setLinkStart(null);
    setMoving(null);
  }, []);

  // A scenario named in the URL is opened: its edits replace the current ones, and the focus, kind and
  // minutes follow it.
  const scenarioId = scenarioFromParams(params);
  const compare = compareFromParams(params);
  // Scenarios are kept with the accounts: for callers who logged in (a user or a token).
  const me = useMe();
  const signedIn = me.data !== undefined && me.data.kind !== 'anonymous';
  const scenario = useScenario(mayPlan && signedIn ? scenarioId : null);
  const loadedRef = useRef<string | null>(null);
  useEffect(() => {
    const data = scenario.data;
    if (!data) return;
    const key = `${data.id}|${data.updatedAt}`;
    if (loadedRef.current === key) return;
    // A save of the open scenario answers the edits on screen: nothing to load.
    const first = loadedRef.current === null || !loadedRef.current.startsWith(`${data.id}|`);
    loadedRef.current = key;
    if (first) dispatch({ type: 'load', edits: data.edits });
    if (data.within !== region || data.kind !== kind || data.maxMinutes !== maxMinutes) {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.set('region', data.within);
          next.set('kind', data.kind);
          next.set('minutes', String(data.maxMinutes));
          return next;
        },
        { replace: true },
      );
    }
  }, [scenario.data, region, kind, maxMinutes, setParams]);

  const openScenario = useCallback(
    (id: number | null, keepEdits = false) => {
      // Kept edits (a scenario just saved from them) are not reloaded, so undo keeps its steps.
      // Closing a scenario (or deleting the open one) keeps the edits on screen, to save again or drop.
      loadedRef.current = keepEdits && id !== null ? `${id}|saved` : null;
      setParams((previous) => withScenario(previous, id));
    },
    [setParams],
  );
  const setCompare = useCallback((pair: [number | 'base', number | 'base'] | null) => setParams((previous) => withCompare(previous, pair)), [setParams]);

  // A new focus drops a half-drawn link or move (the edits stay: they are in lng/lat).
  useEffect(() => {
    setLinkStart(null);
    setMoving(null);
  }, [region]);

  useProposalAcceptance((sites) => dispatch({ type: 'acceptProposals', sites }));

  // plan.evaluate of the whole edit set (none while there is nothing to evaluate).
  const evaluateInput = useMemo(
    () => (mayPlan && !isEmptyEdits(edits) ? evaluateInputOf(edits, kind, maxMinutes, region) : null),
    [mayPlan, edits, kind, maxMinutes, region],
  );
  const evaluation = useWhatIfEvaluation(evaluateInput);

  const wantsFacilities = mayPlan && (tool === 'close' || tool === 'move' || edits.removeFacilities.length > 0);
  const { facilities } = useWhatIfFacilities(region, kind, wantsFacilities);
  const facilityData = useMemo(
    (): FacilityDatum[] => facilities?.features.map((f) => ({ id: f.properties.id, name: f.properties.name, lngLat: f.geometry.coordinates as LngLat })) ?? [],
    [facilities],
  );
  const wantsRoads = mayPlan && (tool === 'cut' || tool === 'link') && view !== null && view.zoom >= CUT_MIN_ZOOM;
  const { roads } = useWhatIfRoads(wantsRoads ? roadsBbox(view.bounds) : null);
  const changedGrids = evaluation.result?.changedGrids;
  const grids = useWhatIfGrids(region, mayPlan && (changedGrids?.length ?? 0) > 0);

  // Cut segments are marked at their middle: from the roads on screen, or where they were clicked.
  const cutMarks = useMemo(() => {
    const marks = new Map(cutPlaces);
    if (roads) {
      for (const f of roads.features) {
        const id = f.properties.id;
        if (typeof id === 'number' && edits.removeLinks.includes(id) && !marks.has(id)) marks.set(id, lineMidpoint(f.geometry.coordinates));
      }
    }
    return edits.removeLinks.flatMap((id) => {
      const at = marks.get(id);
      return at ? [{ id, lngLat: at }] : [];
    });
  }, [cutPlaces, roads, edits.removeLinks]);

  const onClick = useCallback(
    (lngLat: [number, number], info: PickingInfo): boolean => {
      const layerId = info.layer?.id;
      switch (tool) {
        case 'add':
          // A press on a placed site is a drag (or nothing), never a second site on top of it.
          if (layerId !== WHATIF_LAYER_IDS.sites) dispatch({ type: 'addSite', lngLat, name: w.siteName.replace('{n}', String(edits.addFacilities.length + 1)) });
          return true;
        case 'close': {
          const facility = layerId === WHATIF_LAYER_IDS.facilities ? (info.object as FacilityDatum) : null;
          if (facility) dispatch({ type: edits.removeFacilities.includes(facility.id) ? 'reopenFacility' : 'closeFacility', id: facility.id });
          return true;
        }
        case 'move': {
          if (!moving) {
            const facility = layerId === WHATIF_LAYER_IDS.facilities ? (info.object as FacilityDatum) : null;
            if (facility && !edits.removeFacilities.includes(facility.id)) setMoving(facility);
          } else {
            dispatch({ type: 'moveFacility', id: moving.id, lngLat, name: moving.name });
            setMoving(null);
          }
          return true;
        }
        case 'link':
          if (!linkStart) setLinkStart(lngLat);
          else {
            dispatch({ type: 'addLink', link: [linkStart, lngLat] });
            setLinkStart(null);
          }
          return true;
        case 'cut': {
          const road = layerId === WHATIF_LAYER_IDS.roads ? (info.object as { properties: RoadDatumProperties; geometry: { coordinates: number[][] } }) : null;
          const id = road?.properties.id;
          if (road && road.properties.layer === 'road' && typeof id === 'number') {
            const mid = lineMidpoint(road.geometry.coordinates);
            setCutPlaces((previous) => new Map(previous).set(id, mid));
            dispatch({ type: 'toggleCut', edgeId: id });
          }
          return true;
        }
        default:
          return false;
      }
    },
    [tool, edits.addFacilities.length, edits.removeFacilities, moving, linkStart, w.siteName],
  );

  const interaction = useMemo((): MapInteraction | undefined => {
    if (!mayPlan) return undefined;
    return {
      cursor: CURSORS[tool],
      onClick: tool === 'none' ? undefined : onClick,
      dragLayerIds: edits.addFacilities.length > 0 ? [WHATIF_LAYER_IDS.sites] : undefined,
      onDragStart: (lngLat, info) => {
        const site = info.object as WhatIfSiteDatum | undefined;
        if (!site) return false;
        setDrag({ index: site.index, lngLat });
        return true;
      },
      onDrag: (lngLat) => setDrag((previous) => (previous ? { ...previous, lngLat } : previous)),
      onDragEnd: (lngLat) => {
        setDrag((previous) => {
          if (previous) dispatch({ type: 'moveSite', index: previous.index, lngLat });
          return null;
        });
      },
      onPointerMove: linkStart ? (lngLat) => setPointer(lngLat) : undefined,
      onViewChange: (bounds, zoom) => setView({ bounds, zoom }),
    };
  }, [mayPlan, tool, onClick, edits.addFacilities.length, linkStart]);

  // Escape drops a half-drawn link or move; Ctrl+Z / Ctrl+Y (or Ctrl+Shift+Z) undo and redo outside text fields.
  useEffect(() => {
    if (!mayPlan) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (event.key === 'Escape') {
        setLinkStart(null);
        setMoving(null);
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        dispatch({ type: event.shiftKey ? 'redo' : 'undo' });
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'y') {
        event.preventDefault();
        dispatch({ type: 'redo' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mayPlan]);

  const lat = view ? (view.bounds[1] + view.bounds[3]) / 2 : 41.8;
  const dashMeters = metersPerPixel(lat, view?.zoom ?? 13) * 8;
  const layers = useMemo((): LayersList => {
    if (!mayPlan) return [];
    const list: LayersList = [];
    if (grids && changedGrids && changedGrids.length > 0) list.push(createWhatIfDeltaLayer(grids, changedGrids, LABEL_LAYER));
    if (roads && wantsRoads) {
      list.push(createWhatIfRoadLayer(roads, edits.removeLinks.join(','), (id) => edits.removeLinks.includes(id), tool === 'cut', LABEL_LAYER, tool === 'cut' ? 5 : 2));
    }
    const closedIds = new Set(edits.removeFacilities);
    if (facilityData.length > 0 && (tool === 'close' || tool === 'move')) {
      list.push(createWhatIfFacilityLayer(facilityData, edits.removeFacilities.join(','), (id) => closedIds.has(id), LABEL_LAYER));
    }
    const placeOf = new Map(facilityData.map((f) => [f.id, f.lngLat]));
    const links = edits.addLinks.map(([from, to], index) => ({ index, from, to, label: formatLengthMeters(linkLengthMeters([from, to]), lang) }));
    if (linkStart && pointer) links.push({ index: -1, from: linkStart, to: pointer, label: formatLengthMeters(linkLengthMeters([linkStart, pointer]), lang) });
    const data: WhatIfEditData = {
      sites: edits.addFacilities.map((site, index) => ({ index, lngLat: drag?.index === index ? drag.lngLat : site.lngLat, source: site.source })),
      closed: edits.removeFacilities.flatMap((id) => {
        const at = placeOf.get(id);
        return at ? [{ id, lngLat: at }] : [];
      }),
      links,
      cuts: cutMarks,
    };
    if (moving) data.closed.push({ id: moving.id, lngLat: moving.lngLat });
    list.push(...createWhatIfEditLayers(data, { dashMeters, beforeId: LABEL_LAYER }));
    return list;
  }, [mayPlan, grids, changedGrids, roads, wantsRoads, edits, tool, facilityData, linkStart, pointer, drag, cutMarks, moving, dashMeters, lang]);

  const panel = (
    <WhatIfPanel
      mayPlan={mayPlan}
      region={region}
      kind={kind}
      maxMinutes={maxMinutes}
      tool={tool}
      onTool={setTool}
      history={history}
      dispatch={dispatch}
      evaluation={evaluation}
      hint={
        tool === 'move' && moving
          ? w.hintMovePick
          : tool === 'link' && linkStart
            ? w.hintLinkSecond
            : tool === 'cut' && (view?.zoom ?? 0) < CUT_MIN_ZOOM
              ? w.hintCutZoom
              : null
      }
      facilityNames={new Map(facilityData.map((f) => [f.id, f.name]))}
      toolReady={tool === 'close' || tool === 'move' ? facilityData.length > 0 : tool === 'cut' ? Boolean(roads) : true}
      scenariosEnabled={signedIn}
      scenarioId={scenarioId}
      scenario={scenario.data ?? null}
      scenarioError={scenario.error}
      onOpenScenario={openScenario}
      onCompare={setCompare}
    />
  );

  const compareView = compare && mayPlan && signedIn ? <WhatIfCompare pair={compare} region={region} onClose={() => setCompare(null)} /> : null;
  return { layers, panel, interaction, compareView };
}
