// What only the printed briefing (A4, @media print) shows: a cover with the place, the period and the date,
// every KPI in one table with its target, rating, comparisons and sparkline, and their definitions. The
// rest of the page prints as it is, as text (the map as the picture taken when it last settled).

import type { ReactNode } from 'react';
import type { BriefKpiCard } from '../../api-types';
import { formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { formatDayRange, formatKpiChange, formatKpiValue } from './brief-format';
import type { DayKey, DayRange } from './brief-period';
import { BRIEF_TEXT } from './brief-text';
import { seriesText, statusText, targetValueText } from './kpi-cards';
import { Sparkline } from './sparkline';

export interface BriefPrintProps {
  /** The place with its ancestors, "辽宁省 · 沈阳市". */
  placePath: string;
  place: string;
  periodName: string;
  range: DayRange;
  today: DayKey;
  cards: readonly BriefKpiCard[] | undefined;
}

export function BriefPrint({ placePath, place, periodName, range, today, cards }: BriefPrintProps) {
  const { lang, t } = useI18n();
  const text = BRIEF_TEXT[lang];
  const comparison = (card: BriefKpiCard, reference: number | null): ReactNode => {
    if (reference === null) return '—';
    const change = formatKpiChange(card.value, reference, card.unit, card.direction, lang);
    return (
      <>
        {formatKpiValue(reference, card.unit, lang)}
        {change && <small className={`change-${change.tone}`}>{change.text}</small>}
      </>
    );
  };
  return (
    <div className="brief-print">
      <section className="print-cover">
        <p className="print-app">{t.appTitle}</p>
        <h1 className="print-place">{place}</h1>
        <p className="print-title">{text.printTitle}</p>
        <p className="print-period">
          {periodName} · {formatDayRange(range, lang)}
        </p>
        <p className="print-path">{placePath}</p>
        <p className="print-generated">
          {text.printGenerated}
          {t.colon}
          {formatDayRange({ from: today, to: today }, lang)}
        </p>
      </section>
      {cards && (
        <section className="print-kpis">
          <h2>
            {text.printKpiTable} · {place} · {formatDayRange(range, lang)}
          </h2>
          <table className="kpi-table">
            <thead>
              <tr>
                <th scope="col">{text.printColumns.kpi}</th>
                <th scope="col">{text.printColumns.value}</th>
                <th scope="col">{text.printColumns.target}</th>
                <th scope="col">{text.printColumns.status}</th>
                <th scope="col">{text.printColumns.previous}</th>
                <th scope="col">{text.printColumns.lastYear}</th>
                <th scope="col">{text.printTrend}</th>
              </tr>
            </thead>
            <tbody>
              {cards.map((card) => (
                <tr key={card.id} data-kpi={card.id} className={`status-${card.status ?? 'none'}`}>
                  <th scope="row">{card.label[lang]}</th>
                  <td className="kpi-table-value">
                    {formatKpiValue(card.value, card.unit, lang)}
                    {card.numerator !== null && card.denominator !== null && (
                      <small>
                        {formatInteger(card.numerator, lang)}/{formatInteger(card.denominator, lang)}
                      </small>
                    )}
                  </td>
                  <td>{targetValueText(card, lang)}</td>
                  <td>
                    <span className="status-chip">{statusText(card.status, lang)}</span>
                  </td>
                  <td>{comparison(card, card.previous)}</td>
                  <td>{comparison(card, card.lastYear)}</td>
                  <td>
                    <Sparkline points={card.series} target={card.unit === 'share' ? card.target : null} zeroBased={card.unit === 'cases'} label={seriesText(card, lang)} width={90} height={24} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{text.printDefinitions}</h3>
          <dl className="kpi-definitions">
            {cards.map((card) => (
              <div key={card.id}>
                <dt>{card.label[lang]}</dt>
                <dd>{card.definition[lang]}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}
