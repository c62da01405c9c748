// The KPI cards: each KPI's value against its target with its red/amber/green rating in words, a
// sparkline of its recent slices and its change against the previous period and the same period last
// year. Tapping a card ranks the place's children on that KPI.

import type { BriefKpiCard, BriefKpiId } from '../../api-types';
import { formatInteger } from '../../format';
import { useI18n, type Lang } from '../../i18n';
import { formatKpiChange, formatKpiValue } from './brief-format';
import { BRIEF_TEXT, fill } from './brief-text';
import { Sparkline } from './sparkline';

/** "≥ 82.0%" / "≤ 0件": the target and which side of it is good ("无目标值" without one). */
export function targetValueText(card: Pick<BriefKpiCard, 'target' | 'direction' | 'unit'>, lang: Lang): string {
  if (card.target === null) return BRIEF_TEXT[lang].noTarget;
  return `${card.direction === 'higher' ? '≥' : '≤'} ${formatKpiValue(card.target, card.unit, lang)}`;
}

/** "目标 ≥ 82.0%" / "target ≤ 0". */
export function targetText(card: Pick<BriefKpiCard, 'target' | 'direction' | 'unit'>, lang: Lang): string {
  return card.target === null ? BRIEF_TEXT[lang].noTarget : `${BRIEF_TEXT[lang].target} ${targetValueText(card, lang)}`;
}

export function statusText(status: BriefKpiCard['status'], lang: Lang): string {
  const text = BRIEF_TEXT[lang];
  return status === null ? text.noStatus : text.status[status];
}

/** The sparkline's values in words, for screen readers and print. */
export function seriesText(card: BriefKpiCard, lang: Lang): string {
  const text = BRIEF_TEXT[lang];
  const values = card.series.map((slice) => formatKpiValue(slice.value, card.unit, lang)).join(lang === 'zh' ? '、' : ', ');
  return `${fill(text.trendOf, { kpi: card.label[lang] })}${lang === 'zh' ? '：' : ': '}${values}`;
}

function Change({ card, reference, label }: { card: BriefKpiCard; reference: number | null; label: string }) {
  const { lang } = useI18n();
  const change = formatKpiChange(card.value, reference, card.unit, card.direction, lang);
  return (
    <span className={`kpi-change change-${change?.tone ?? 'none'}`}>
      <span className="kpi-change-label">{label}</span> {change ? change.text : BRIEF_TEXT[lang].noComparison}
    </span>
  );
}

export function KpiCard({ card, selected, onSelect }: { card: BriefKpiCard; selected: boolean; onSelect: (id: BriefKpiId) => void }) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const status = card.status ?? 'none';
  return (
    <li className={`kpi-card status-${status}`} data-kpi={card.id} data-status={status}>
      <button type="button" aria-pressed={selected} onClick={() => onSelect(card.id)}>
        <span className="kpi-label">{card.label[lang]}</span>
        <span className="kpi-value-row">
          <span className="kpi-value">{formatKpiValue(card.value, card.unit, lang)}</span>
          <span className="status-chip">{statusText(card.status, lang)}</span>
        </span>
        <span className="kpi-target">
          {targetText(card, lang)}
          {card.numerator !== null && card.denominator !== null && (
            <span className="kpi-fraction">
              {formatInteger(card.numerator, lang)}/{formatInteger(card.denominator, lang)}
            </span>
          )}
        </span>
        <Sparkline
          points={card.series}
          target={card.unit === 'share' ? card.target : null}
          zeroBased={card.unit === 'cases'}
          label={seriesText(card, lang)}
        />
        <Change card={card} reference={card.previous} label={text.vsPrevious} />
        <Change card={card} reference={card.lastYear} label={text.vsLastYear} />
      </button>
    </li>
  );
}

export function KpiCards({
  cards,
  selected,
  onSelect,
  pending,
}: {
  cards: readonly BriefKpiCard[] | undefined;
  selected: BriefKpiId | null;
  onSelect: (id: BriefKpiId) => void;
  /** Placeholders to show while the first answer comes. */
  pending: number;
}) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  return (
    <section className="brief-kpis" aria-label={text.kpis}>
      <ul className="kpi-grid" data-state={cards ? 'ready' : 'loading'}>
        {cards
          ? cards.map((card) => <KpiCard key={card.id} card={card} selected={card.id === selected} onSelect={onSelect} />)
          : Array.from({ length: pending }, (_, i) => <li key={i} className="kpi-card kpi-placeholder" aria-hidden="true" />)}
      </ul>
    </section>
  );
}
