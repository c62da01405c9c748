// The review sample (治理复查抽样) of a unit beside the desk's queue: desk.reviewSample for the last 30 days
// at the chosen share, with the period, how many of the cases that reached feedback were drawn, and each
// drawn case's state; a case opens in the desk's case panel, where review and reopen are its actions.

import { DISPUTE_TYPES, categoryLabel } from '../../../../server/domain/dispute-categories';
import { DISPUTE_SEVERITY_LABELS, DISPUTE_STATUS_LABELS } from '../../../../server/domain/dispute-workflow';
import type { ReviewSample } from '../../api-types';
import { formatPercent } from '../../format';
import { useI18n } from '../../i18n';
import { formatCaseTime } from './desk-format';
import { DESK_TEXT } from './desk-text';
import { REVIEW_RATES } from './desk-url';
import { LoadError } from '../../components/load-error';

export interface ReviewSampleViewProps {
  sample: ReviewSample | undefined;
  error: { message: string } | null;
  onRetry: () => void;
  /** The share chosen in the URL (null: the server's default, shown from the answer). */
  rate: number | null;
  onRate: (rate: number) => void;
  openId: number | null;
  onOpen: (id: number) => void;
}

export function ReviewSampleView({ sample, error, onRetry, rate, onRate, openId, onOpen }: ReviewSampleViewProps) {
  const { t, lang } = useI18n();
  const text = DESK_TEXT[lang];
  const shownRate = rate ?? sample?.rate ?? null;
  return (
    <section className="desk-queue review-sample" aria-labelledby="review-title" data-state={error ? 'error' : sample ? 'ready' : 'loading'}>
      <header className="review-header">
        <h2 id="review-title">{text.reviewTitle}</h2>
        <label className="filter review-rate">
          <span>{text.reviewRate}</span>
          <select name="rate" value={shownRate === null ? '' : String(shownRate)} onChange={(event) => onRate(Number(event.target.value))}>
            {shownRate === null && <option value="">—</option>}
            {REVIEW_RATES.map((option) => (
              <option key={option} value={String(option)}>
                {formatPercent(option, 0)}
              </option>
            ))}
          </select>
        </label>
      </header>
      {sample && (
        <p className="review-facts" data-population={sample.population} data-from={sample.period.from} data-to={sample.period.to}>
          {text.reviewPeriod}
          {t.colon}
          {formatCaseTime(sample.period.from, lang)} – {formatCaseTime(sample.period.to, lang)} · {text.reviewPopulation(sample.cases.length, sample.population)}
        </p>
      )}
      {error && (
        <LoadError what={t.loadFailed} error={error} onRetry={onRetry} />
      )}
      {!sample && !error && <p className="empty">{t.loading}</p>}
      {sample && sample.cases.length === 0 && <p className="empty">{text.reviewEmpty}</p>}
      <ol className="queue-list">
        {sample?.cases.map((row) => {
          const type = categoryLabel(DISPUTE_TYPES, row.type, lang);
          return (
            <li key={row.id} className="queue-row review-row" data-case={row.id} data-state={row.state} data-actions={row.legalActions.join(',')}>
              <button type="button" aria-current={row.id === openId ? 'true' : undefined} aria-label={text.rowLabel(row.id, type, row.placeName ?? row.placeCode)} onClick={() => onOpen(row.id)}>
                <span className="row-id">#{row.id}</span>
                <span className="row-type">{type}</span>
                <span className={`severity severity-${row.severity}`}>{DISPUTE_SEVERITY_LABELS[row.severity][lang]}</span>
                <span className="row-state">{DISPUTE_STATUS_LABELS[row.state][lang]}</span>
                <span className="row-left">
                  {row.feedbackAt === null ? '' : `${text.feedbackAt} ${formatCaseTime(row.feedbackAt, lang)}`}
                </span>
                <span className="row-place">
                  {row.placeName ?? row.placeCode}
                  {row.otherSideCode && <span className="tag boundary-tag">{text.boundaryCase}</span>}
                </span>
                <span className="row-summary">{row.summary ?? text.noSummary}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
