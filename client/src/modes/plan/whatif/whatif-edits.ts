// The what-if edit set and its history: a pure reducer over ScenarioEdits (add, drag, remove a new
// facility; close or move an existing one; draw or cut a walking link) with undo, redo and clear.

import { EMPTY_SCENARIO_EDITS, SCENARIO_LIMITS, type LngLat, type ScenarioEdits, type ScenarioSite } from '../../../../../server/domain/scenario';

export type WhatIfAction =
  | { type: 'addSite'; lngLat: LngLat; name?: string }
  /** Drag of an added facility to a new place (index into addFacilities). */
  | { type: 'moveSite'; index: number; lngLat: LngLat }
  | { type: 'removeSite'; index: number }
  /** Close an existing facility (by id). */
  | { type: 'closeFacility'; id: number }
  | { type: 'reopenFacility'; id: number }
  /** Move an existing facility: closing it plus a new facility at the new place. */
  | { type: 'moveFacility'; id: number; lngLat: LngLat; name?: string }
  | { type: 'addLink'; link: [LngLat, LngLat] }
  | { type: 'removeLink'; index: number }
  /** Cut a walking-network edge (by edge id); cutting it again restores it. */
  | { type: 'toggleCut'; edgeId: number }
  /** Proposals accepted from the optimisation, appended as new facilities (source 'proposal'). */
  | { type: 'acceptProposals'; sites: { lngLat: LngLat; name?: string }[] }
  | { type: 'clear' }
  /** Replace everything (a scenario opened); the history starts afresh. */
  | { type: 'load'; edits: ScenarioEdits }
  | { type: 'undo' }
  | { type: 'redo' };

export interface WhatIfHistory {
  past: ScenarioEdits[];
  present: ScenarioEdits;
  future: ScenarioEdits[];
}

/** Steps of undo kept. */
export const MAX_UNDO = 100;

export const EMPTY_HISTORY: WhatIfHistory = { past: [], present: EMPTY_SCENARIO_EDITS, future: [] };

/** The edits after one action, or the same object when the action changes nothing (or would pass a limit). */
export function applyEdit(edits: ScenarioEdits, action: WhatIfAction): ScenarioEdits {
  switch (action.type) {
    case 'addSite':
      if (edits.addFacilities.length >= SCENARIO_LIMITS.maxSites) return edits;
      return { ...edits, addFacilities: [...edits.addFacilities, siteOf(action.lngLat, 'manual', action.name)] };
    case 'moveSite': {
      const site = edits.addFacilities[action.index];
      if (!site) return edits;
      const addFacilities = edits.addFacilities.slice();
      addFacilities[action.index] = { ...site, lngLat: roundLngLat(action.lngLat) };
      return { ...edits, addFacilities };
    }
    case 'removeSite':
      if (!edits.addFacilities[action.index]) return edits;
      return { ...edits, addFacilities: edits.addFacilities.filter((_, i) => i !== action.index) };
    case 'closeFacility':
      if (edits.removeFacilities.includes(action.id) || edits.removeFacilities.length >= SCENARIO_LIMITS.maxSites) return edits;
      return { ...edits, removeFacilities: [...edits.removeFacilities, action.id] };
    case 'reopenFacility':
      if (!edits.removeFacilities.includes(action.id)) return edits;
      return { ...edits, removeFacilities: edits.removeFacilities.filter((id) => id !== action.id) };
    case 'moveFacility': {
      if (edits.addFacilities.length >= SCENARIO_LIMITS.maxSites) return edits;
      const closed = applyEdit(edits, { type: 'closeFacility', id: action.id });
      if (closed === edits && !edits.removeFacilities.includes(action.id)) return edits;
      return { ...closed, addFacilities: [...closed.addFacilities, siteOf(action.lngLat, 'manual', action.name)] };
    }
    case 'addLink': {
      const [from, to] = action.link;
      if (edits.addLinks.length >= SCENARIO_LIMITS.maxLinks || (from[0] === to[0] && from[1] === to[1])) return edits;
      return { ...edits, addLinks: [...edits.addLinks, [roundLngLat(from), roundLngLat(to)]] };
    }
    case 'removeLink':
      if (!edits.addLinks[action.index]) return edits;
      return { ...edits, addLinks: edits.addLinks.filter((_, i) => i !== action.index) };
    case 'toggleCut':
      if (edits.removeLinks.includes(action.edgeId)) return { ...edits, removeLinks: edits.removeLinks.filter((id) => id !== action.edgeId) };
      if (edits.removeLinks.length >= SCENARIO_LIMITS.maxLinks) return edits;
      return { ...edits, removeLinks: [...edits.removeLinks, action.edgeId] };
    case 'acceptProposals': {
      const room = SCENARIO_LIMITS.maxSites - edits.addFacilities.length;
      if (room <= 0 || action.sites.length === 0) return edits;
      const added = action.sites.slice(0, room).map((site) => siteOf(site.lngLat, 'proposal', site.name));
      return { ...edits, addFacilities: [...edits.addFacilities, ...added] };
    }
    case 'clear':
      return isEmptyEdits(edits) ? edits : EMPTY_SCENARIO_EDITS;
    default:
      return edits;
  }
}

/** The history after an action: edits push the present onto the undo stack and drop the redo stack. */
export function reduceWhatIf(history: WhatIfHistory, action: WhatIfAction): WhatIfHistory {
  switch (action.type) {
    case 'undo': {
      const previous = history.past.at(-1);
      if (!previous) return history;
      return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
    }
    case 'redo': {
      const [next, ...future] = history.future;
      if (!next) return history;
      return { past: [...history.past, history.present], present: next, future };
    }
    case 'load':
      return { past: [], present: action.edits, future: [] };
    default: {
      const present = applyEdit(history.present, action);
      if (present === history.present) return history;
      return { past: [...history.past, history.present].slice(-MAX_UNDO), present, future: [] };
    }
  }
}

export function isEmptyEdits(edits: ScenarioEdits): boolean {
  return edits.addFacilities.length + edits.removeFacilities.length + edits.addLinks.length + edits.removeLinks.length === 0;
}

/** Edits counted one by one (a move counts twice: a closure and a new site). */
export function editCount(edits: ScenarioEdits): number {
  return edits.addFacilities.length + edits.removeFacilities.length + edits.addLinks.length + edits.removeLinks.length;
}

/** plan.evaluate's input for the edits of one kind and walking time inside `within`. */
export function evaluateInputOf<K extends string>(edits: ScenarioEdits, kind: K, maxMinutes: number, within: string) {
  return {
    kind,
    maxMinutes,
    within,
    add: edits.addFacilities.map((site) => site.lngLat),
    remove: edits.removeFacilities,
    addLinks: edits.addLinks,
    removeLinks: edits.removeLinks,
  };
}

/** Coordinates kept to 6 decimals (about 0.1 m): what is stored is what is shown. */
export function roundLngLat([lng, lat]: LngLat): LngLat {
  return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

function siteOf(lngLat: LngLat, source: ScenarioSite['source'], name?: string): ScenarioSite {
  return name ? { lngLat: roundLngLat(lngLat), name, source } : { lngLat: roundLngLat(lngLat), source };
}

/** Great-circle length of a link in metres (haversine, mean Earth radius 6,371,008.8 m). */
export function linkLengthMeters([from, to]: [LngLat, LngLat]): number {
  const rad = Math.PI / 180;
  const dLat = (to[1] - from[1]) * rad;
  const dLng = (to[0] - from[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(from[1] * rad) * Math.cos(to[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
