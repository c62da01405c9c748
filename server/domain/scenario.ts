// A planning scenario: a named set of what-if edits to one kind of facility at one walking time inside
// one unit, kept on the server so it can be listed, shared by URL and compared. The edits are the
// same vocabulary plan.evaluate takes, so a scenario is evaluated by replaying them on the prepared
// state (existing facilities and walking network), never by rebuilding it.
//
// Order of application: closures (removeFacilities), network cuts (removeLinks), new links (addLinks),
// then new facilities (addFacilities). A move is a closure of the existing facility plus an added one.

import type { Label } from './labels';

/** [lng, lat], WGS84 degrees. */
export type LngLat = [number, number];

/** Where an added facility came from. */
export const SCENARIO_SITE_SOURCES = ['manual', 'proposal'] as const;
export type ScenarioSiteSource = (typeof SCENARIO_SITE_SOURCES)[number];

export interface ScenarioSite {
  lngLat: LngLat;
  /** Optional planner's name for the site ("新站 1", a proposal's label). */
  name?: string;
  source: ScenarioSiteSource;
}

export interface ScenarioEdits {
  /** New facilities of the scenario's kind. */
  addFacilities: ScenarioSite[];
  /** Existing facility ids closed (or moved away). */
  removeFacilities: number[];
  /** New walking links (a footbridge, a gate through a compound wall): straight segments from → to. */
  addLinks: [LngLat, LngLat][];
  /** Walking-network edge ids cut. */
  removeLinks: number[];
}

export const EMPTY_SCENARIO_EDITS: ScenarioEdits = { addFacilities: [], removeFacilities: [], addLinks: [], removeLinks: [] };

/** Most edits of each sort one scenario may hold (also plan.evaluate's limits per request). */
export const SCENARIO_LIMITS = { maxSites: 200, maxLinks: 100, maxNameLength: 80 } as const;

/** Levels a scenario comparison can group its delta table by. */
export const SCENARIO_GROUP_BY = ['county', 'street', 'community', 'grid'] as const;
export type ScenarioGroupBy = (typeof SCENARIO_GROUP_BY)[number];

export const SCENARIO_LABELS: Readonly<Record<'base' | 'scenario', Label>> = {
  base: { zh: '现状', en: 'Current' },
  scenario: { zh: '方案', en: 'Scenario' },
};
