// Which KPIs can rank a place's children: every KPI down to communities; inside a community only those
// measured per grid (facility KPIs are counted per community: a community's grids have no value of them).

import { KPI_DEFINITIONS, type KpiId } from '../../../../server/domain/kpis';
import type { SubUnitLevel } from '../../map/admin-style';

/** Whether `kpi` has a value for each child unit at `childLevel`, so brief.ranking can rank them on it. */
export function kpiRanksChildren(kpi: KpiId, childLevel: SubUnitLevel): boolean {
  return childLevel !== 'grid' || KPI_DEFINITIONS[kpi].finestLevel === 'grid';
}

/** The KPI `delta` steps from `current` among `ids` (wrapping around); the first one when `current` is not among them. */
export function stepKpi<Id extends string>(ids: readonly Id[], current: Id, delta: number): Id | null {
  if (ids.length === 0) return null;
  const index = ids.indexOf(current);
  if (index < 0) return ids[0]!;
  return ids[(((index + delta) % ids.length) + ids.length) % ids.length]!;
}
