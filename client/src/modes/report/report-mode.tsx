// /report: a grid worker's phone form to report a dispute from the street — type, source, severity, the
// place (a tap on a small map of the jurisdiction, or the device's position), parties and a summary —
// checked before sending, then sent through an outbox that survives a flaky network and a reload: every
// report keeps one idempotency key through its retries, so the server registers it once. Phone first
// (390 px up to a tablet, targets ≥ 44 px); Chinese by default, ?lang=en for English.

import { Suspense, lazy, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { DISPUTE_PARTY_ROLES, DISPUTE_SOURCES, DISPUTE_TYPES, categoryLabel, type DisputeSource, type DisputeType } from '../../../../server/domain/dispute-categories';
import { DISPUTE_SEVERITIES, DISPUTE_SEVERITY_LABELS } from '../../../../server/domain/dispute-workflow';
import { CAPABILITIES } from '../../../../server/domain/access';
import { loginPathFor } from '../../auth/auth-paths';
import { CreditsFooter } from '../../components/credits-footer';
import { ModeHeader } from '../../components/mode-header';
import { formatChinaTime, formatDecimal } from '../../format';
import { useMe } from '../../hooks/use-me';
import { regionScopeOf } from '../../hooks/use-region';
import { useI18n, type Lang } from '../../i18n';
import { locateDevice } from './device-position';
import { REPORT_LIMITS, checkReportForm, defaultSourceFor, emptyReportForm, formOfBody, reportBodyOf, type FormProblem, type PartyField, type ReportForm } from './report-form';
import type { OutboxItem, ReportOutbox } from './report-outbox';
import { outboxOwnerOf } from '../../pwa/offline-data';
import { REPORT_TEXT, fill } from './report-text';
import { useReportOutbox } from './use-report-outbox';
import './report.css';

const ReportMap = lazy(() => import('./report-map'));

type Text = (typeof REPORT_TEXT)[Lang];

/** What the form says after its last submission. */
type Notice =
  | { kind: 'sent'; id: number; formCleared: boolean }
  | { kind: 'queued' }
  | { kind: 'refused'; code: string | null; message: string }
  | { kind: 'location'; message: string };

let nextRowId = 1;
const newRowId = (): number => nextRowId++;

/** The message of one problem, in the form's language. */
function problemText(problem: FormProblem, text: Text, form: ReportForm): string {
  const p = text.problems;
  if (problem.field === 'place') return p.placeMissing;
  if (problem.field === 'summary') return fill(p.summaryTooLong, { max: REPORT_LIMITS.summaryMaxLength, n: form.summary.trim().length });
  if (problem.field === 'parties') return fill(p.tooManyParties, { max: REPORT_LIMITS.maxParties });
  if (problem.problem === 'missing') return p.nameMissing;
  if (problem.problem === 'badPhone') return p.badPhone;
  if (problem.part === 'name') return fill(p.nameTooLong, { max: REPORT_LIMITS.partyNameMaxLength });
  if (problem.part === 'phone') return fill(p.phoneTooLong, { max: REPORT_LIMITS.partyPhoneMaxLength });
  return fill(p.roleTooLong, { max: REPORT_LIMITS.partyRoleMaxLength });
}

/** The id of the input a problem belongs to (focused when the form is refused). */
function fieldIdOf(problem: FormProblem, form: ReportForm): string {
  if (problem.field === 'party') return `party-${form.parties[problem.row]!.id}-${problem.part}`;
  if (problem.field === 'parties') return 'report-add-party';
  return `report-${problem.field}`;
}

function refusalHeadline(code: string | null, text: Text): string {
  return code === 'FORBIDDEN' || code === 'BAD_REQUEST' || code === 'CONFLICT' ? text.refused[code] : text.refused.other;
}

export default function ReportMode() {
  const { t, lang } = useI18n();
  const text = REPORT_TEXT[lang];
  const me = useMe().data;
  const mayReport = me ? CAPABILITIES[me.role].report && me.kind !== 'anonymous' : false;
  // Only an account that may report opens the outbox (another would delete the owner's).
  const { outbox, items } = useReportOutbox(me && mayReport ? outboxOwnerOf(me) : null);
  const scope = regionScopeOf(me?.jurisdiction);
  const ownSource = defaultSourceFor(me?.role);

  const [form, setForm] = useState<ReportForm>(() => emptyReportForm(ownSource));
  const [showProblems, setShowProblems] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  /**
   * The report last submitted: the form is locked until its first answer; after that (it waits in the
   * outbox) the form is free, and its success or refusal is still told here when it comes.
   */
  const [watched, setWatched] = useState<{ key: string; locked: boolean } | null>(null);
  const [locating, setLocating] = useState(false);
  const [focusKey, setFocusKey] = useState(0);
  const noticeRef = useRef<HTMLDivElement>(null);

  // The account's own source once auth.me is known (the form was made before).
  useEffect(() => {
    setForm((current) => (current.source === ownSource || current.lngLat || current.summary ? current : { ...current, source: ownSource }));
  }, [ownSource]);

  const problems = checkReportForm(form);
  const shownProblems = showProblems ? problems : [];

  // The answers to the report just submitted: sent (the form is cleared), refused (the form keeps it to be
  // corrected), or the server out of reach (it waits in the outbox; the form is free for the next report).
  useEffect(() => {
    if (watched === null) return;
    if (!outbox) {
      // The outbox ended (another tab logged out): nothing more will be told.
      setWatched(null);
      return;
    }
    const item = items.find((candidate) => candidate.key === watched.key);
    if (!item) return;
    const clearForm = (): void => {
      setForm((current) => emptyReportForm(ownSource, current));
      setShowProblems(false);
    };
    if (item.state === 'sent' && item.result) {
      setNotice({ kind: 'sent', id: item.result.id, formCleared: watched.locked });
      if (watched.locked) clearForm();
      setWatched(null);
    } else if (item.state === 'failed') {
      // The form still holds a report refused at once: it is corrected there, not kept in the outbox too.
      if (watched.locked) outbox.remove(item.key);
      setNotice({ kind: 'refused', code: item.errorCode, message: item.error ?? '' });
      setWatched(null);
    } else if (watched.locked && item.attempts >= 1 && !outbox.isSending(item.key)) {
      setNotice({ kind: 'queued' });
      clearForm();
      setWatched({ key: item.key, locked: false });
    }
  }, [items, watched, outbox, ownSource]);

  useEffect(() => {
    if (notice && notice.kind !== 'location') noticeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [notice]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!outbox || watched?.locked) return;
    setShowProblems(true);
    if (problems.length > 0) {
      setNotice(null);
      document.getElementById(fieldIdOf(problems[0]!, form))?.focus();
      return;
    }
    setNotice(null);
    setWatched({ key: outbox.submit(reportBodyOf(form)), locked: true });
  };

  const setPlace = useCallback((lngLat: [number, number] | null) => {
    setForm((current) => ({ ...current, lngLat }));
    setNotice((current) => (current?.kind === 'location' ? null : current));
  }, []);

  const locateMe = async (): Promise<void> => {
    setLocating(true);
    const position = await locateDevice(typeof navigator === 'undefined' ? undefined : navigator.geolocation);
    setLocating(false);
    if (position.ok) {
      setPlace(position.lngLat);
      setFocusKey((key) => key + 1);
    } else {
      setNotice({ kind: 'location', message: text.locationErrors[position.reason] });
    }
  };

  const updateParty = (id: number, part: PartyField, value: string): void =>
    setForm((current) => ({ ...current, parties: current.parties.map((row) => (row.id === id ? { ...row, [part]: value } : row)) }));

  const takeBack = (item: OutboxItem): void => {
    if (!outbox || !item.body) return;
    const removed = outbox.remove(item.key);
    if (!removed?.body) return;
    setForm(formOfBody(removed.body, newRowId));
    setShowProblems(true);
    setNotice({ kind: 'refused', code: item.errorCode, message: item.error ?? '' });
    window.scrollTo({ top: 0 });
  };

  if (me && !mayReport) {
    return (
      <div className="mode-report theme-light">
        <ModeHeader title={text.modeTitle} showNav={false} />
        <main className="report-main">
          <p className="report-notice report-refused" role="alert">
            {fill(text.noRight, { role: me.roleLabel[lang] })}
          </p>
        </main>
      </div>
    );
  }

  const sending = watched?.locked ?? false;
  const problemOf = (id: string): string | null => {
    const found = shownProblems.find((problem) => fieldIdOf(problem, form) === id);
    return found ? problemText(found, text, form) : null;
  };
  const summaryLength = form.summary.trim().length;

  return (
    <div className="mode-report theme-light" data-outbox-ready={outbox ? '' : undefined}>
      <ModeHeader title={text.modeTitle} showNav={false} />
      <main className="report-main">
        <h2 className="report-heading">{text.heading}</h2>
        {me && (
          <p className="report-area">
            {text.area}
            {t.colon}
            {me.jurisdictionName ?? me.jurisdiction}
          </p>
        )}
        <OutboxCounts items={items} text={text} />
        <div ref={noticeRef} aria-live="polite">
          {notice && <NoticeView notice={notice} text={text} />}
        </div>

        <form className="report-form" noValidate onSubmit={submit} aria-busy={sending}>
          <fieldset disabled={sending}>
            <div className="report-field">
              <label htmlFor="report-type">{text.type}</label>
              <select id="report-type" value={form.type} onChange={(event) => setForm({ ...form, type: event.target.value as DisputeType })}>
                {DISPUTE_TYPES.map((type) => (
                  <option key={type.key} value={type.key}>
                    {type.label[lang]}
                  </option>
                ))}
              </select>
            </div>
            <div className="report-field">
              <label htmlFor="report-source">{text.source}</label>
              <select id="report-source" value={form.source} onChange={(event) => setForm({ ...form, source: event.target.value as DisputeSource })}>
                {DISPUTE_SOURCES.map((source) => (
                  <option key={source.key} value={source.key}>
                    {source.label[lang]}
                  </option>
                ))}
              </select>
            </div>
            <div className="report-field" role="group" aria-labelledby="report-severity-label">
              <span id="report-severity-label" className="report-label">
                {text.severity}
              </span>
              <div className="report-severity">
                {DISPUTE_SEVERITIES.map((severity) => (
                  <button key={severity} type="button" aria-pressed={form.severity === severity} onClick={() => setForm({ ...form, severity })}>
                    {DISPUTE_SEVERITY_LABELS[severity][lang]}
                  </button>
                ))}
              </div>
            </div>

            <section className="report-field report-place" aria-labelledby="report-place-label">
              <span id="report-place-label" className="report-label">
                {text.place}
              </span>
              <p className="report-hint">{text.placeHint}</p>
              <div className="report-map-frame" role="group" aria-label={text.map}>
                <Suspense fallback={<div className="report-map-placeholder">{t.loading}</div>}>
                  {me && <ReportMap scope={scope} outlineCode={me.jurisdiction} lngLat={form.lngLat} onPick={setPlace} focusKey={focusKey} />}
                </Suspense>
              </div>
              <div className="report-place-row">
                <button type="button" className="report-locate" onClick={() => void locateMe()} disabled={locating}>
                  {locating ? text.locating : text.useLocation}
                </button>
                {form.lngLat && (
                  <button type="button" className="report-secondary" onClick={() => setPlace(null)}>
                    {text.clearPlace}
                  </button>
                )}
              </div>
              <p
                id="report-place"
                tabIndex={-1}
                className={`report-place-value${problemOf('report-place') ? ' report-invalid' : ''}`}
                data-lng-lat={form.lngLat ? form.lngLat.join(',') : undefined}
              >
                {form.lngLat ? `${text.placeChosen}${t.colon}${formatDecimal(form.lngLat[0], 'en', 5)}, ${formatDecimal(form.lngLat[1], 'en', 5)}` : '—'}
              </p>
              <FieldProblem message={problemOf('report-place')} />
            </section>

            <section className="report-field report-parties" aria-labelledby="report-parties-label">
              <span id="report-parties-label" className="report-label">
                {text.parties}
              </span>
              <ol className="party-list">
                {form.parties.map((row, index) => (
                  <li key={row.id} className="party-row" data-row={index}>
                    <div className="party-row-head">
                      <span>{fill(text.partyN, { n: index + 1 })}</span>
                      <button
                        type="button"
                        className="report-secondary"
                        onClick={() => setForm({ ...form, parties: form.parties.filter((other) => other.id !== row.id) })}
                      >
                        {text.removeParty}
                      </button>
                    </div>
                    {(['name', 'phone', 'role'] as const).map((part) => {
                      const id = `party-${row.id}-${part}`;
                      const message = problemOf(id);
                      const roleDefault = DISPUTE_PARTY_ROLES[Math.min(index, DISPUTE_PARTY_ROLES.length - 1)]!.label[lang];
                      return (
                        <div key={part} className="party-input">
                          <label htmlFor={id}>{part === 'name' ? text.partyName : part === 'phone' ? text.partyPhone : text.partyRole}</label>
                          <input
                            id={id}
                            type={part === 'phone' ? 'tel' : 'text'}
                            inputMode={part === 'phone' ? 'tel' : undefined}
                            autoComplete="off"
                            value={row[part]}
                            placeholder={part === 'role' ? roleDefault : undefined}
                            list={part === 'role' ? 'party-roles' : undefined}
                            aria-invalid={message ? true : undefined}
                            aria-describedby={message ? `${id}-problem` : undefined}
                            onChange={(event) => updateParty(row.id, part, event.target.value)}
                          />
                          <FieldProblem id={`${id}-problem`} message={message} />
                        </div>
                      );
                    })}
                  </li>
                ))}
              </ol>
              <datalist id="party-roles">
                {DISPUTE_PARTY_ROLES.map((role) => (
                  <option key={role.key} value={role.label.zh} />
                ))}
              </datalist>
              <button
                id="report-add-party"
                type="button"
                className="report-secondary"
                disabled={form.parties.length >= REPORT_LIMITS.maxParties}
                onClick={() => setForm({ ...form, parties: [...form.parties, { id: newRowId(), name: '', phone: '', role: '' }] })}
              >
                {text.addParty}
              </button>
              <FieldProblem message={problemOf('report-add-party')} />
            </section>

            <div className="report-field">
              <label htmlFor="report-summary">{text.summary}</label>
              <textarea
                id="report-summary"
                rows={4}
                value={form.summary}
                placeholder={text.summaryPlaceholder}
                aria-invalid={problemOf('report-summary') ? true : undefined}
                aria-describedby="report-summary-count"
                onChange={(event) => setForm({ ...form, summary: event.target.value })}
              />
              <span id="report-summary-count" className={`report-count${summaryLength > REPORT_LIMITS.summaryMaxLength ? ' report-invalid' : ''}`}>
                {summaryLength}/{REPORT_LIMITS.summaryMaxLength}
              </span>
              <FieldProblem message={problemOf('report-summary')} />
            </div>

            {shownProblems.length > 0 && (
              <p className="report-problems" role="alert">
                {fill(text.problems.checkFields, { n: shownProblems.length })}
              </p>
            )}
            <button type="submit" className="report-submit" disabled={!outbox}>
              {sending ? text.submitting : text.submit}
            </button>
          </fieldset>
        </form>

        <OutboxList items={items} outbox={outbox} text={text} lang={lang} onTakeBack={takeBack} hidden={sending ? watched!.key : null} />
      </main>
      <CreditsFooter />
    </div>
  );
}

function FieldProblem({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <span id={id} className="report-problem">
      {message}
    </span>
  );
}

function NoticeView({ notice, text }: { notice: Notice; text: Text }) {
  if (notice.kind === 'sent') {
    return (
      <div className="report-notice report-sent" role="status" data-case-id={notice.id}>
        <strong>{fill(text.success, { id: notice.id })}</strong>
        {notice.formCleared && <span>{text.successNote}</span>}
      </div>
    );
  }
  if (notice.kind === 'queued') {
    return (
      <div className="report-notice report-queued" role="status">
        {text.savedForLater}
      </div>
    );
  }
  if (notice.kind === 'location') {
    return (
      <div className="report-notice report-refused report-location-error" role="alert">
        {notice.message}
      </div>
    );
  }
  return (
    <div className="report-notice report-refused" role="alert" data-code={notice.code ?? undefined}>
      <strong>{refusalHeadline(notice.code, text)}</strong>
      <span className="report-server-message">
        {text.serverSays}{notice.message}
      </span>
    </div>
  );
}

function OutboxCounts({ items, text }: { items: readonly OutboxItem[]; text: Text }) {
  const pending = items.filter((item) => item.state === 'pending').length;
  const failed = items.filter((item) => item.state === 'failed').length;
  return (
    <p className="report-counts" data-pending={pending} data-failed={failed}>
      <span className={pending > 0 ? 'report-count-pending' : undefined}>{fill(text.pendingCount, { n: pending })}</span>
      {failed > 0 && <span className="report-count-failed">{fill(text.failedCount, { n: failed })}</span>}
    </p>
  );
}

function OutboxList({
  items,
  outbox,
  text,
  lang,
  onTakeBack,
  hidden,
}: {
  items: readonly OutboxItem[];
  outbox: ReportOutbox | null;
  text: Text;
  lang: Lang;
  onTakeBack: (item: OutboxItem) => void;
  /** The report the form still waits for: told by the form, not listed yet. */
  hidden: string | null;
}) {
  const location = useLocation();
  const shown = items.filter((item) => item.key !== hidden).reverse();
  return (
    <section className="report-outbox" aria-labelledby="report-outbox-title">
      <h2 id="report-outbox-title">{text.outbox}</h2>
      {shown.length === 0 ? (
        <p className="report-hint">{text.noReports}</p>
      ) : (
        <ul>
          {shown.map((item) => {
            const sendingNow = outbox?.isSending(item.key) ?? false;
            return (
              <li key={item.key} className={`outbox-item outbox-${item.state}`} data-state={sendingNow ? 'sending' : item.state} data-key={item.key}>
                <span className="outbox-type">{categoryLabel(DISPUTE_TYPES, item.type, lang)}</span>
                <span className="outbox-time">{fill(text.reportedAt, { time: formatChinaTime(item.createdAt) })}</span>
                {item.state === 'sent' && item.result && <strong className="outbox-status">{fill(text.sentAs, { id: item.result.id })}</strong>}
                {item.state === 'pending' && (
                  <>
                    <strong className="outbox-status">
                      {sendingNow ? text.sending : fill(text.waiting, { n: item.attempts })}
                      {!sendingNow && item.attempts > 0 && ` · ${fill(text.nextRetry, { time: formatChinaTime(item.nextAttemptAt) })}`}
                    </strong>
                    {item.errorCode === 'UNAUTHORIZED' ? (
                      <span className="outbox-error outbox-login">
                        {text.loginAgain}{' '}
                        <Link className="report-secondary report-login" to={loginPathFor(location, lang)}>
                          {text.login}
                        </Link>
                      </span>
                    ) : (
                      item.error && (
                        <span className="outbox-error">
                          {text.lastError}{item.error}
                        </span>
                      )
                    )}
                    <button type="button" className="report-secondary" disabled={sendingNow} onClick={() => outbox?.retryNow()}>
                      {text.retryNow}
                    </button>
                  </>
                )}
                {item.state === 'failed' && (
                  <>
                    <strong className="outbox-status">{refusalHeadline(item.errorCode, text)}</strong>
                    <span className="outbox-error">
                      {text.serverSays}{item.error}
                    </span>
                    <span className="outbox-actions">
                      <button type="button" className="report-secondary" onClick={() => onTakeBack(item)}>
                        {text.edit}
                      </button>
                      <button type="button" className="report-secondary" onClick={() => outbox?.remove(item.key)}>
                        {text.discard}
                      </button>
                    </span>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
