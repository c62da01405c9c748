// Planning scenarios: named what-if edits kept with the user data (the accounts file), so they survive
// rebuilds of the atlas data. Facility and edge ids belong to the data version a scenario was saved on.

import type { FacilityKind } from '../domain/facility-kinds';
import type { ScenarioEdits } from '../domain/scenario';

/** What is written for a scenario (by a save). */
export interface ScenarioFields {
  /** 1–80 characters, trimmed. */
  name: string;
  /** Admin code of the unit the scenario is about (its jurisdiction test is a code prefix). */
  within: string;
  kind: FacilityKind;
  /** Walking minutes counted as served. */
  maxMinutes: number;
  edits: ScenarioEdits;
  /** The atlas data version the ids in `edits` refer to. */
  dataVersion: string;
}

export interface ScenarioRecord extends ScenarioFields {
  id: number;
  /** Who created it, as the audit log names callers ("user:alice", "token:7"). */
  owner: string;
  /** ms since epoch. */
  createdAt: number;
  updatedAt: number;
}

/** Number of edits of each sort. */
export type ScenarioEditCounts = Record<keyof ScenarioEdits, number>;

/** A scenario in a list: without its edits, with their counts. */
export interface ScenarioSummary extends Omit<ScenarioRecord, 'edits'> {
  editCounts: ScenarioEditCounts;
}

export interface ScenarioQuery {
  /** Scenarios whose `within` starts with this code. */
  withinCode: string;
  limit: number;
}

export interface ScenarioStore {
  /** Most recently saved first. */
  listScenarios(query: ScenarioQuery): ScenarioSummary[];
  scenario(id: number): ScenarioRecord | null;
  addScenario(fields: ScenarioFields, owner: string, at: number): ScenarioRecord;
  /** Rewrites a scenario's fields (owner and creation kept); null when it does not exist. */
  updateScenario(id: number, fields: ScenarioFields, at: number): ScenarioRecord | null;
  /** false when it did not exist. */
  removeScenario(id: number): boolean;
}
