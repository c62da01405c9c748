// The planner's answer and coverage controls: the answer to the question on the map first (given by the
// caller, so it is never below the fold), then facility kind, 5/10/15 minutes, walking pace or the
// GB 50180 distances, and how the answer was measured.

import type { ReactNode } from 'react';
import { FACILITY_KINDS, FACILITY_KIND_LABELS } from '../../../../server/domain/facility-kinds';
import { COVERAGE_MINUTES, type CoverageSettings } from '../../hooks/use-coverage-settings';
import type { CoverageTotals } from '../../hooks/use-coverage';
import { formatDecimal } from '../../format';
import { useI18n, type Lang } from '../../i18n';
import { isOneOf } from '../../is-one-of';
import { LoadError } from '../../components/load-error';

export interface CoveragePanelProps {
  settings: CoverageSettings;
  onChange: (change: Partial<CoverageSettings>) => void;
  totals: CoverageTotals | undefined;
  /** How the answer was measured, in the current language. */
  methodLabel: string | undefined;
  fetching: boolean;
  error: { message: string } | null;
  onRetry: () => void;
  /** The answer to the question on the map (figures), shown right under the title. */
  answer: ReactNode;
  /** The heading: the question asked. */
  title: string;
}

export function percent(value: number, lang: Lang): string {
  return `${formatDecimal(value * 100, lang)}%`;
}

export function CoveragePanel({ settings, onChange, totals, methodLabel, fetching, error, onRetry, answer, title }: CoveragePanelProps) {
  const { t, lang } = useI18n();
  if (!settings.enabled) {
    return (
      <section className="coverage-panel coverage-panel-off">
        <button type="button" onClick={() => onChange({ enabled: true })}>
          {t.coverageShow}
        </button>
      </section>
    );
  }
  const rate = totals && totals.population > 0 ? totals.coveredPopulation / totals.population : null;
  return (
    <section className="coverage-panel" aria-label={title} aria-busy={fetching}>
      <h2>{title}</h2>
      {error ? (
        <LoadError what={t.loadFailed} error={error} onRetry={onRetry} className="coverage-error" />
      ) : (
        <div className="plan-answer" aria-live="polite">
          {answer}
        </div>
      )}
      <label>
        {t.coverageKind}
        <select value={settings.kind} onChange={(event) => isOneOf(FACILITY_KINDS, event.target.value) && onChange({ kind: event.target.value })}>
          {FACILITY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {FACILITY_KIND_LABELS[kind][lang]}
            </option>
          ))}
        </select>
      </label>
      <div className="coverage-minutes" role="group" aria-label={t.coverageMinutes}>
        {COVERAGE_MINUTES.map((minutes) => (
          <button key={minutes} type="button" aria-pressed={settings.maxMinutes === minutes} onClick={() => onChange({ maxMinutes: minutes })}>
            {minutes} {t.minutesUnit}
          </button>
        ))}
      </div>
      <div className="coverage-walker" role="group">
        {(['standard', 'elderly'] as const).map((walker) => (
          <label key={walker}>
            <input
              type="radio"
              name="walker"
              checked={settings.walker === walker}
              disabled={settings.standard === 'gb50180'}
              onChange={() => onChange({ walker })}
            />
            {walker === 'standard' ? t.walkerStandard : t.walkerElderly}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={settings.standard === 'gb50180'} onChange={(event) => onChange({ standard: event.target.checked ? 'gb50180' : 'time' })} />
          {t.gb50180}
        </label>
      </div>
      {totals !== undefined && rate !== null && (
        <div className="coverage-summary">
          <p className="coverage-method">{t.networkShare.replace('{share}', percent(totals.networkPopulation / totals.population, lang))}</p>
          {methodLabel && <p className="coverage-method">{methodLabel}</p>}
        </div>
      )}
      <button type="button" className="coverage-hide" onClick={() => onChange({ enabled: false })}>
        {t.coverageHide}
      </button>
    </section>
  );
}
