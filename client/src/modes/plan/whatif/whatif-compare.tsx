// Two scenarios compared (?compare=a,b; either may be "base", today's facilities): the focus's units
// coloured by the difference in covered residents B − A on a diverging blue/orange ramp (colour-blind
// safe), and the per-unit table from scenario.compare, sortable by any column, with the totals.

import { useMemo, useState } from 'react';
import { SCENARIO_GROUP_BY, type ScenarioGroupBy } from '../../../../../server/domain/scenario';
import { RegionMap, type UnitFillOverride } from '../../../map/region-map';
import type { Rgba } from '../../../layers/color-scales';
import { formatInteger, formatPercent } from '../../../format';
import { useScenarioComparison, type CompareSide, type ScenarioComparison } from '../../../hooks/use-scenarios';
import { useI18n } from '../../../i18n';
import { isOneOf } from '../../../is-one-of';
import { formatSignedInteger } from './whatif-format';

/** The focus fits between the delta table (34 rem from the left, whatif.css) and the side column (26 rem). */
const COMPARE_FIT_PADDING = { top: 72, right: 27 * 16 + 24, bottom: 32, left: 35 * 16 + 16 };

export interface WhatIfCompareProps {
  pair: [CompareSide, CompareSide];
  region: string;
  onClose: () => void;
}

/** The level a unit's children are at (a grid's community shows its grids). */
export function childGroupBy(region: string): ScenarioGroupBy {
  if (region.length <= 4) return 'county';
  if (region.length <= 6) return 'street';
  if (region.length <= 9) return 'community';
  return 'grid';
}

const MORE: Rgba = [33, 102, 172, 255];
const FEWER: Rgba = [230, 97, 1, 255];

/** Fill for a change of `delta` residents when the largest change is `largest`: blue more, orange fewer, stronger with size. */
export function deltaFill(delta: number, largest: number): Rgba | null {
  if (delta === 0 || !(largest > 0)) return null;
  const [r, g, b] = delta > 0 ? MORE : FEWER;
  return [r, g, b, Math.round(60 + 170 * Math.min(1, Math.abs(delta) / largest))];
}

type Column = 'name' | 'population' | 'coveredA' | 'coveredB' | 'delta';
type Unit = ScenarioComparison['units'][number];

/** Units sorted by a column (names by zh-CN collation), ties by code. */
export function sortUnits(units: readonly Unit[], column: Column, descending: boolean): Unit[] {
  const collator = new Intl.Collator('zh-CN');
  const sign = descending ? -1 : 1;
  return [...units].sort((x, y) => {
    const order = column === 'name' ? collator.compare(x.name, y.name) : x[column] - y[column];
    return sign * order || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
  });
}

export function WhatIfCompare({ pair, region, onClose }: WhatIfCompareProps) {
  const { t, lang } = useI18n();
  const w = t.whatif;
  const [groupBy, setGroupBy] = useState<ScenarioGroupBy>(() => childGroupBy(region));
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'delta', descending: true });
  const comparison = useScenarioComparison(pair, groupBy);
  const data = comparison.data;

  const unitFill = useMemo((): UnitFillOverride | undefined => {
    if (!data) return undefined;
    let largest = 0;
    const byCode = new Map<string, number>();
    for (const unit of data.units) {
      byCode.set(unit.code, unit.delta);
      largest = Math.max(largest, Math.abs(unit.delta));
    }
    return { fillOf: (code) => (byCode.has(code) ? (deltaFill(byCode.get(code)!, largest) ?? [235, 235, 235, 200]) : null), key: `compare-${pair.join(',')}-${groupBy}-${data.units.length}` };
  }, [data, pair, groupBy]);

  const rows = useMemo(() => (data ? sortUnits(data.units, sort.column, sort.descending) : []), [data, sort]);
  const groupLabel: Record<ScenarioGroupBy, string> = { county: w.groupCounty, street: w.groupStreet, community: w.groupCommunity, grid: w.groupGrid };
  const header = (column: Column, label: string) => (
    <th aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort((s) => ({ column, descending: s.column === column ? !s.descending : column !== 'name' }))}>
        {label}
        {sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  const legend = (
    <div className="whatif-compare-legend legend">
      <strong>{w.deltaLegend}</strong>
      <span>
        <span className="whatif-swatch" style={{ background: `rgb(${MORE.slice(0, 3).join(',')})` }} /> {w.more}
      </span>
      <span>
        <span className="whatif-swatch" style={{ background: `rgb(${FEWER.slice(0, 3).join(',')})` }} /> {w.fewer}
      </span>
    </div>
  );

  return (
    <div className="whatif-compare" data-compare={pair.join(',')}>
      <RegionMap theme="light" unitFill={unitFill} legend={legend} extraLayersReady={!comparison.isPending} fitPadding={COMPARE_FIT_PADDING} />
      <section className="whatif-compare-table" aria-label={w.compare}>
        <div className="whatif-compare-head">
          <strong>
            A{t.colon}
            {data?.a.name ?? '…'} · B{t.colon}
            {data?.b.name ?? '…'}
          </strong>
          <label>
            {w.groupBy}
            <select value={groupBy} onChange={(e) => isOneOf(SCENARIO_GROUP_BY, e.target.value) && setGroupBy(e.target.value)}>
              {SCENARIO_GROUP_BY.map((g) => (
                <option key={g} value={g}>
                  {groupLabel[g]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={onClose}>
            {w.compareClose}
          </button>
        </div>
        {comparison.error ? (
          <p role="alert" className="whatif-error">
            {w.compareFailed}
            {t.colon}
            {comparison.error.message}
          </p>
        ) : !data ? (
          <p>{t.loading}</p>
        ) : (
          <div className="whatif-compare-scroll">
            <table>
              <thead>
                <tr>
                  {header('name', w.unit)}
                  {header('population', w.residents)}
                  {header('coveredA', w.coveredA)}
                  {header('coveredB', w.coveredB)}
                  {header('delta', w.delta)}
                </tr>
              </thead>
              <tfoot>
                <tr data-row="total">
                  <th scope="row">{w.total}</th>
                  <td data-col="population">{formatInteger(data.population, lang)}</td>
                  <td data-col="coveredA">
                    {formatInteger(data.a.coveredPopulation, lang)} <small>{formatPercent(data.a.coverageRate)}</small>
                  </td>
                  <td data-col="coveredB">
                    {formatInteger(data.b.coveredPopulation, lang)} <small>{formatPercent(data.b.coverageRate)}</small>
                  </td>
                  <td data-col="delta">{formatSignedInteger(data.b.coveredPopulation - data.a.coveredPopulation, lang)}</td>
                </tr>
              </tfoot>
              <tbody>
                {rows.map((unit) => (
                  <tr key={unit.code} data-code={unit.code}>
                    <th scope="row">{unit.name}</th>
                    <td>{formatInteger(unit.population, lang)}</td>
                    <td>{formatInteger(unit.coveredA, lang)}</td>
                    <td>{formatInteger(unit.coveredB, lang)}</td>
                    <td className={unit.delta > 0 ? 'whatif-more' : unit.delta < 0 ? 'whatif-fewer' : undefined}>{formatSignedInteger(unit.delta, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
