// A department's grid layer in the import report: its reconciliation with the unified grids (unified grids
// by match quality, mean best IoU, border crossings, slivers, gaps) in the 多格合一 room's words, and once
// committed the link to that room showing the department on the unit its grids lie in.

import { Link } from 'react-router';
import type { DepartmentImportReport, ReconcileSummary } from '../../../api-types';
import { withLang } from '../../../auth/auth-paths';
import { formatDecimal, formatInteger } from '../../../format';
import type { MatchQuality } from '../../../api-types';
import type { Lang } from '../../../i18n';
import { GRIDS_TEXT } from '../grids/grids-text';
import { gridsPathOf, unitHoldingGrids } from './data-import';
import type { DATA_TEXT } from './data-text';

/** Match qualities, best first (the order of the room's legend). */
const QUALITIES: readonly MatchQuality[] = ['good', 'fair', 'poor', 'none'];

function SummaryFigures({ summary, lang }: { summary: ReconcileSummary; lang: Lang }) {
  const words = GRIDS_TEXT[lang];
  const figures: [key: string, label: string, value: string][] = [
    ['unified', words.summary.unified, formatInteger(summary.unifiedGrids, lang)],
    ['department', words.summary.department, formatInteger(summary.departmentGrids, lang)],
    ...QUALITIES.map((quality): [string, string, string] => [quality, words.quality[quality], formatInteger(summary.byQuality[quality], lang)]),
    ['meanIou', words.summary.meanIou, formatDecimal(summary.meanBestIou, lang, 2)],
    ['crossings', words.summary.crossings, formatInteger(summary.crossings, lang)],
    ['slivers', words.summary.slivers, formatInteger(summary.slivers, lang)],
    ['gaps', words.summary.gaps, formatInteger(summary.gaps, lang)],
    ['uncovered', words.summary.uncovered, formatInteger(summary.uncovered, lang)],
  ];
  return (
    <dl className="report-facts report-reconcile">
      {figures.map(([key, label, value]) => (
        <div key={key} className="report-figure" data-figure={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DepartmentSummary({ report, text, lang }: { report: DepartmentImportReport; text: (typeof DATA_TEXT)[Lang]; lang: Lang }) {
  // The room opens on the unit holding the unified grids the layer overlaps (a province's grids are too many to draw).
  const within = unitHoldingGrids((report.reconciliation?.unified ?? []).filter((match) => match.overlaps.length > 0).map((match) => match.code));
  return (
    <section className="report-department" data-department={report.department}>
      <h4>
        {text.reconcileTitle} · {report.department}
      </h4>
      {report.reconciliation && <SummaryFigures summary={report.reconciliation.summary} lang={lang} />}
      {report.committed && (
        <Link className="report-grids-link" to={withLang(gridsPathOf(report.department, within), lang)}>
          {text.openGrids(report.department)}
        </Link>
      )}
    </section>
  );
}
