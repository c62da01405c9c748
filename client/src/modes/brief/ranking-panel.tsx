// The place's children ranked on one KPI, worst first (or best first), each with its value, rating and
// the counts behind it; tap a row to open that unit. Swipe left or right (or the arrows, or the list
// box) for another KPI. Inside a community only the KPIs measured per grid are offered.

import { useState } from 'react';
import type { BriefKpiCard, BriefKpiId, BriefRankingRow } from '../../api-types';
import type { SubUnitLevel } from '../../map/admin-style';
import { formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { formatKpiValue } from './brief-format';
import { kpiRanksChildren, stepKpi } from './brief-ranking';
import { BRIEF_TEXT, fill } from './brief-text';
import { statusText } from './kpi-cards';
import { SectionState } from './section-state';
import { useSwipe } from './use-swipe';

export interface RankingPanelProps {
  cards: readonly BriefKpiCard[];
  kpi: BriefKpiId;
  onKpi: (id: BriefKpiId) => void;
  childLevel: SubUnitLevel;
  rows: readonly BriefRankingRow[] | undefined;
  error: { message: string } | null;
  onRetry: () => void;
  /** Opens a child; absent for grids, the smallest units. */
  onOpen?: (code: string) => void;
}

export function RankingPanel({ cards, kpi, onKpi, childLevel, rows, error, onRetry, onOpen }: RankingPanelProps) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const [bestFirst, setBestFirst] = useState(false);
  const offered = cards.filter((option) => kpiRanksChildren(option.id, childLevel));
  const card = cards.find((option) => option.id === kpi) ?? cards[0]!;
  const rankable = kpiRanksChildren(card.id, childLevel);
  const step = (delta: number): void => {
    const next = stepKpi(
      offered.map((option) => option.id),
      card.id,
      delta,
    );
    if (next) onKpi(next);
  };
  const swipe = useSwipe(step);

  // Best first reverses the units with a value; those without one stay last.
  const ordered = rows && bestFirst ? [...rows.filter((row) => row.value !== null).reverse(), ...rows.filter((row) => row.value === null)] : rows;
  const values = (rows ?? []).map((row) => row.value).filter((value): value is number => value !== null);
  const scaleMax = card.unit === 'share' ? 1 : Math.max(1, ...values);
  const headingId = `ranking-${childLevel}`;
  return (
    <section
      className="brief-ranking"
      aria-labelledby={headingId}
      data-kpi={kpi}
      data-state={!rankable ? 'unranked' : rows ? 'ready' : error ? 'error' : 'loading'}
      {...swipe}
    >
      <header className="panel-header">
        <h2 id={headingId}>
          {text.childLevels[childLevel]} · {card.label[lang]}
        </h2>
        <div className="kpi-stepper">
          <button type="button" className="icon-button" aria-label={text.previousKpi} onClick={() => step(-1)}>
            ‹
          </button>
          <select aria-label={text.kpiSelect} value={rankable ? card.id : ''} onChange={(event) => onKpi(event.target.value as BriefKpiId)}>
            {!rankable && (
              <option value="" disabled>
                {card.label[lang]}
              </option>
            )}
            {offered.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label[lang]}
              </option>
            ))}
          </select>
          <button type="button" className="icon-button" aria-label={text.nextKpi} onClick={() => step(1)}>
            ›
          </button>
        </div>
        <div className="segmented segmented-small" role="group" aria-label={text.order}>
          <button type="button" aria-pressed={!bestFirst} onClick={() => setBestFirst(false)}>
            {text.worstFirst}
          </button>
          <button type="button" aria-pressed={bestFirst} onClick={() => setBestFirst(true)}>
            {text.bestFirst}
          </button>
        </div>
      </header>
      <p className="panel-note swipe-hint">{text.swipeHint}</p>
      {!rankable ? (
        <p className="empty ranking-unranked" role="status">
          {fill(text.notPerGrid, { kpi: card.label[lang] })}
        </p>
      ) : (
        <SectionState rows={ordered} error={error} onRetry={onRetry} empty={text.noRows}>
          {(shown) => (
            <ol className="ranking-list">
              {shown.map((row, i) => {
                const share = row.value === null ? 0 : Math.max(0, Math.min(1, row.value / scaleMax));
                const value = formatKpiValue(row.value, card.unit, lang);
                const content = (
                  <>
                    <span className="rank">{i + 1}</span>
                    <span className="ranking-name">{row.name}</span>
                    <span className="ranking-bar" aria-hidden="true">
                      <span style={{ width: `${share * 100}%` }} />
                    </span>
                    <span className="ranking-value">{value}</span>
                    <span className="status-chip">{statusText(row.status, lang)}</span>
                    {row.numerator !== null && row.denominator !== null && (
                      <span className="ranking-fraction">
                        {formatInteger(row.numerator, lang)}/{formatInteger(row.denominator, lang)}
                      </span>
                    )}
                  </>
                );
                return (
                  <li key={row.code} data-code={row.code} className={`status-${row.status ?? 'none'}`}>
                    {onOpen ? (
                      <button type="button" className="ranking-row" onClick={() => onOpen(row.code)}>
                        {content}
                        <span className="chevron" aria-hidden="true">
                          ›
                        </span>
                      </button>
                    ) : (
                      <div className="ranking-row">{content}</div>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </SectionState>
      )}
    </section>
  );
}
