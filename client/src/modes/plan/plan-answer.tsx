// The answer figures of the question on the map: the coverage rate, the uncovered residents, the
// proposals' place, or how many communities (grids) have every life-circle kind within reach.

import type { CoverageTotals } from '../../hooks/use-coverage';
import type { CompletenessRow } from '../../hooks/use-plan-tables';
import { formatInteger, formatPopulation } from '../../format';
import { useI18n } from '../../i18n';
import { percent } from './coverage-panel';
import type { PlanQuestion } from './plan-url';

export interface PlanAnswerProps {
  question: PlanQuestion;
  totals: CoverageTotals | undefined;
  completeness: readonly CompletenessRow[] | undefined;
  /** The completeness unit's name ("社区", "communities"). */
  completenessUnit: string;
  /** False where completeness is not offered (province, city). */
  completenessAvailable: boolean;
}

export function PlanAnswer({ question, totals, completeness, completenessUnit, completenessAvailable }: PlanAnswerProps) {
  const { t, lang } = useI18n();
  if (question === 'completeness') {
    if (!completenessAvailable) return <p className="coverage-summary">{t.planWs.completenessCity}</p>;
    if (!completeness) return <p className="coverage-summary">{t.coverageLoading}</p>;
    const total = completeness[0]?.kindsTotal ?? 0;
    const complete = completeness.filter((row) => row.kindsTotal > 0 && row.kindsWithin === row.kindsTotal).length;
    const residents = completeness.reduce((sum, row) => sum + row.completeResidents, 0);
    return (
      <div className="coverage-summary plan-completeness-answer">
        <p className="coverage-rate">
          <strong>
            {formatInteger(complete, lang)} / {formatInteger(completeness.length, lang)}
          </strong>
        </p>
        <p>
          {t.planWs.completenessAnswer
            .replace('{complete}', formatInteger(complete, lang))
            .replace('{units}', formatInteger(completeness.length, lang))
            .replace('{unit}', completenessUnit)
            .replace('{total}', String(total))}
        </p>
        <p>{t.planWs.completenessResidents.replace('{residents}', formatPopulation(residents, lang))}</p>
      </div>
    );
  }
  if (totals === undefined) return <p className="coverage-summary">{t.coverageLoading}</p>;
  const rate = totals.population > 0 ? totals.coveredPopulation / totals.population : null;
  if (rate === null) return <p className="coverage-summary">{t.noResidents}</p>;
  const uncovered = totals.population - totals.coveredPopulation;
  const rateLine = (
    <p className="coverage-rate">
      {t.coverageRate} <strong>{percent(rate, lang)}</strong>
    </p>
  );
  const coveredLine = (
    <p>
      {t.coveredOfResidents.replace('{covered}', formatPopulation(totals.coveredPopulation, lang)).replace('{residents}', formatPopulation(totals.population, lang))}
    </p>
  );
  if (question === 'gaps') {
    return (
      <div className="coverage-summary">
        <p className="coverage-rate">
          {t.planWs.uncovered} <strong>{formatPopulation(uncovered, lang)}</strong>
        </p>
        <p>{t.planWs.uncoveredResidents.replace('{uncovered}', formatPopulation(uncovered, lang)).replace('{share}', percent(1 - rate, lang))}</p>
        {rateLine}
      </div>
    );
  }
  return (
    <div className="coverage-summary">
      {rateLine}
      {coveredLine}
      {question === 'proposals' && <p className="coverage-method">{t.planWs.proposalsHint}</p>}
    </div>
  );
}
