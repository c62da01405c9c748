// Boundary lines that need attention: at elevated or high dispute risk, without a signed safe-boundary
// agreement (平安边界协议), or without a joint patrol in the 90 days to the period's end; each with its
// reasons in words, its disputes and its last joint patrol.

import { useState } from 'react';
import type { BoundaryRow } from '../../hooks/use-brief';
import { formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { formatDay, formatDayRange } from './brief-format';
import type { DayRange } from './brief-period';
import { BRIEF_TEXT, fill } from './brief-text';
import { SectionState } from './section-state';

/** Lines shown before "show all". */
const SHOWN = 6;

export function BoundaryPanel({ rows, window, error, onRetry }: { rows: BoundaryRow[] | undefined; window: DayRange; error: { message: string } | null; onRetry: () => void }) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const [all, setAll] = useState(false);
  const shown = rows && !all ? rows.slice(0, SHOWN) : rows;
  return (
    <section className="brief-panel brief-boundary" aria-labelledby="brief-boundary-title" data-state={rows ? 'ready' : error ? 'error' : 'loading'}>
      <header className="panel-header">
        <h2 id="brief-boundary-title">{text.boundary}</h2>
        {rows && rows.length > 0 && <span className="panel-count">{fill(text.linesMore, { count: formatInteger(rows.length, lang) })}</span>}
      </header>
      <p className="panel-note">{fill(text.boundaryWindow, { range: formatDayRange(window, lang) })}</p>
      <SectionState rows={shown} error={error} onRetry={onRetry} empty={text.noLines}>
        {(list) => (
          <ol className="item-list boundary-list">
            {list.map((row) => (
              <li key={row.id} data-id={row.id} className={`risk-${row.risk}`}>
                <span className="item-name">
                  {row.leftName} — {row.rightName ?? '—'}
                </span>
                <span className="item-figures">
                  <strong>{lang === 'zh' ? `${formatInteger(row.count, lang)}${text.cases}` : `${formatInteger(row.count, lang)} ${text.cases}`}</strong>
                  {' · '}
                  {text.lastPatrol} {row.lastJointPatrol ? formatDay(row.lastJointPatrol, lang, window.to) : text.noPatrol}
                </span>
                <span className="chips">
                  {row.risk !== 'normal' && <span className={`chip chip-risk-${row.risk}`}>{text.riskLevel[row.risk]}</span>}
                  {row.agreementSigned === false && <span className="chip chip-warn">{text.agreementMissing}</span>}
                  {row.patrolOverdue && <span className="chip chip-warn">{text.patrolMissing}</span>}
                </span>
              </li>
            ))}
          </ol>
        )}
      </SectionState>
      {rows && rows.length > SHOWN && (
        <button type="button" className="show-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? text.showFewer : text.showAll}
        </button>
      )}
    </section>
  );
}
