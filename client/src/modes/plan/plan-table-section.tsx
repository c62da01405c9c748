// The /plan table of units with its level switch and CSV export: coverage per unit (residents, covered,
// rate, uncovered) for coverage, gaps and proposals, or for completeness each community's (grid's) kinds
// within reach and the kinds it lacks.

import { useCallback, useMemo } from 'react';
import { FACILITY_KIND_LABELS } from '../../../../server/domain/facility-kinds';
import type { CoverageRateRow } from '../../api-types';
import type { CompletenessRow } from '../../hooks/use-plan-tables';
import { LOCALES, formatDecimal, formatInteger } from '../../format';
import { useI18n, type Lang, type Messages } from '../../i18n';
import { isOneOf } from '../../is-one-of';
import { PlanTable, type PlanTableColumn } from './plan-table';
import { buildCsv, downloadBlob } from './plan-export';
import { nameRanks, numericKeys } from './table-sort';
import type { TableLevel } from './plan-url';

export type PlanTableRows = { kind: 'coverage'; rows: readonly CoverageRateRow[] } | { kind: 'completeness'; rows: readonly CompletenessRow[] };

export interface PlanTableSectionProps {
  table: PlanTableRows | undefined;
  levels: readonly TableLevel[];
  level: TableLevel;
  onLevel: (level: TableLevel) => void;
  highlight: { code: string; from: 'map' | 'table' } | null;
  onHighlight: (code: string | null) => void;
  onOpen: (code: string) => void;
  /** File name without extension for the CSV. */
  fileName: string;
  fetching: boolean;
}

const percentText = (rate: number | null, lang: Lang): string => (rate === null ? '—' : `${formatDecimal(rate * 100, lang)}%`);

/** The table's header and rows as plain values (the CSV's content; rates in per cent, one decimal). */
export function planTableValues(table: PlanTableRows, t: Messages, lang: Lang): { header: string[]; rows: (string | number | null)[][] } {
  if (table.kind === 'completeness') {
    return {
      header: [lang === 'zh' ? '代码' : 'Code', t.planWs.name, t.planWs.residents, t.planWs.kindsWithin, lang === 'zh' ? '类型总数' : 'Kinds counted', t.planWs.missing],
      rows: table.rows.map((row) => [
        row.code,
        row.name,
        row.population,
        row.kindsWithin,
        row.kindsTotal,
        row.missing.map((kind) => FACILITY_KIND_LABELS[kind][lang]).join(lang === 'zh' ? '、' : '; '),
      ]),
    };
  }
  return {
    header: [lang === 'zh' ? '代码' : 'Code', t.planWs.name, t.planWs.residents, t.planWs.covered, `${t.planWs.rate} (%)`, t.planWs.uncovered],
    rows: table.rows.map((row) => [
      row.code,
      row.name,
      row.population,
      row.coveredPopulation,
      row.rate === null ? null : Math.round(row.rate * 1000) / 10,
      row.population - row.coveredPopulation,
    ]),
  };
}

export function PlanTableSection({ table, levels, level, onLevel, highlight, onHighlight, onOpen, fileName, fetching }: PlanTableSectionProps) {
  const { t, lang } = useI18n();
  const rows = table?.rows;
  const codeOf = useCallback((i: number) => rows![i]!.code, [rows]);
  const columns = useMemo((): PlanTableColumn[] => {
    if (!table) return [];
    const names = nameRanks(
      table.rows.map((row) => row.name),
      LOCALES[lang],
    );
    const name: PlanTableColumn = { id: 'name', label: t.planWs.name, keys: names, cell: (i) => table.rows[i]!.name };
    if (table.kind === 'completeness') {
      const r = table.rows;
      return [
        name,
        { id: 'population', label: t.planWs.residents, numeric: true, keys: numericKeys(r, (row) => row.population), cell: (i) => formatInteger(r[i]!.population, lang) },
        {
          id: 'kinds',
          label: t.planWs.kindsWithin,
          numeric: true,
          keys: numericKeys(r, (row) => (row.kindsTotal > 0 ? row.kindsWithin / row.kindsTotal : null)),
          cell: (i) => `${r[i]!.kindsWithin}/${r[i]!.kindsTotal}`,
        },
        {
          id: 'missing',
          label: t.planWs.missing,
          cell: (i) => (r[i]!.missing.length === 0 ? t.planWs.none : r[i]!.missing.map((kind) => FACILITY_KIND_LABELS[kind][lang]).join(t.listSeparator)),
        },
      ];
    }
    const r = table.rows;
    return [
      name,
      { id: 'population', label: t.planWs.residents, numeric: true, keys: numericKeys(r, (row) => row.population), cell: (i) => formatInteger(r[i]!.population, lang) },
      { id: 'covered', label: t.planWs.covered, numeric: true, keys: numericKeys(r, (row) => row.coveredPopulation), cell: (i) => formatInteger(r[i]!.coveredPopulation, lang) },
      { id: 'rate', label: t.planWs.rate, numeric: true, keys: numericKeys(r, (row) => row.rate), cell: (i) => percentText(r[i]!.rate, lang) },
      {
        id: 'uncovered',
        label: t.planWs.uncovered,
        numeric: true,
        keys: numericKeys(r, (row) => row.population - row.coveredPopulation),
        cell: (i) => formatInteger(r[i]!.population - r[i]!.coveredPopulation, lang),
      },
    ];
  }, [table, t, lang]);

  const exportCsv = () => {
    if (!table) return;
    const { header, rows: values } = planTableValues(table, t, lang);
    downloadBlob(new Blob([buildCsv(header, values)], { type: 'text/csv;charset=utf-8' }), `${fileName}.csv`);
  };

  return (
    <section className="plan-table-section" aria-label={t.planWs.table} aria-busy={fetching}>
      <div className="plan-table-bar">
        <h2>{t.planWs.table}</h2>
        {table?.kind === 'coverage' && levels.length > 1 && (
          <label>
            {t.planWs.tableLevel}
            <select value={level} onChange={(event) => isOneOf(levels, event.target.value) && onLevel(event.target.value)}>
              {levels.map((option) => (
                <option key={option} value={option}>
                  {t.planWs.levels[option]}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="plan-table-count">{rows ? t.planWs.rowsCount.replace('{count}', formatInteger(rows.length, lang)) : t.loading}</span>
        <button type="button" className="plan-export-csv" onClick={exportCsv} disabled={!table}>
          {t.planWs.exportCsv}
        </button>
      </div>
      {table && rows && (
        <PlanTable
          key={`${table.kind}-${level}`}
          caption={t.planWs.table}
          columns={columns}
          rowCount={rows.length}
          codeOf={codeOf}
          highlight={highlight}
          onHighlight={onHighlight}
          onOpen={onOpen}
          initialSort={table.kind === 'completeness' ? { column: 'kinds', direction: 'asc' } : { column: 'rate', direction: 'asc' }}
          sortLabels={{ asc: t.planWs.sortAsc, desc: t.planWs.sortDesc }}
        />
      )}
    </section>
  );
}
