// What-if editing for /plan: add, move and close facilities, draw or cut walking links, see the
// coverage delta from plan.evaluate; scenarios kept on the server (scenario.*), compared side by side.

import type { ReactNode } from 'react';
import type { LayersList } from '@deck.gl/core';
import type { FacilityKind } from '../../../../../server/domain/facility-kinds';
import type { MapInteraction } from '../../../map/map-interaction';

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

export function usePlanWhatIf(_options: PlanWhatIfOptions): PlanWhatIf {
  return { layers: [], panel: null, interaction: undefined, compareView: null };
}
