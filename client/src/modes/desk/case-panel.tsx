// The open case: deadline and time left, the facts, the parties as the API gives them (masked by the
// server for roles that may not see them), the place on a small map, the timeline of steps, and the
// actions the caller may take now (the workflow's legal actions their role has) with a note and, to
// close, an outcome; to reopen, optionally the unit to hand it to. A step the system took by rule reads as
// an automatic escalation with the rule's note. A stale version (someone else acted first) is told with a reload that keeps the note.

import { Suspense, lazy, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { TRPCClientError } from '@trpc/client';
import { DISPUTE_ACTOR_ROLES, DISPUTE_OUTCOMES, DISPUTE_PARTY_ROLES, DISPUTE_SOURCES, DISPUTE_TYPES, categoryLabel, type DisputeOutcome } from '../../../../server/domain/dispute-categories';
import { DISPUTE_ACTION_LABELS, DISPUTE_SEVERITY_LABELS, DISPUTE_STATUS_LABELS, HANDLING_LEVEL_LABELS, STEP_ACTION_LABELS, type DisputeAction } from '../../../../server/domain/dispute-workflow';
import type { CaseTransitionInput, DeskCase, HandlerSuggestion } from '../../api-types';
import { useCaseTransition, useDeskCase, useHandlerSuggestions, useStreetLines } from '../../hooks/use-desk';
import { useMe } from '../../hooks/use-me';
import { useI18n, type Lang } from '../../i18n';
import { formatCaseTime, formatTimeLeft, noteInLanguage } from './desk-format';
import { DESK_TEXT } from './desk-text';
import { DispatchPanel } from './dispatch-panel';

const CaseMap = lazy(() => import('./case-map'));

/** What the desk's shortcuts do in the open case. */
export interface CaseCommands {
  /** Accept an assigned case, or dispatch a reported one to the first suggested handler. */
  quick: () => void;
  focusNote: () => void;
  reload: () => void;
}

export interface CasePanelProps {
  caseId: number;
  /** The place's name from the queue row, when the case is listed. */
  placeName: string | null;
  /** The latest step the live stream told of for this case (-1: none). */
  liveStep: number;
  onClose: () => void;
  commandsRef: Ref<CaseCommands | null>;
}

function isConflict(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'CONFLICT';
}

/** A party's role in the UI language (stored in Chinese). */
function partyRoleLabel(role: string, lang: Lang): string {
  return DISPUTE_PARTY_ROLES.find((known) => known.label.zh === role)?.label[lang] ?? role;
}

export function CasePanel({ caseId, placeName, liveStep, onClose, commandsRef }: CasePanelProps) {
  const { t, lang } = useI18n();
  const text = DESK_TEXT[lang];
  const query = useDeskCase(caseId);
  const data = query.data;
  const transition = useCaseTransition();
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<DisputeOutcome | ''>('');
  const [conflict, setConflict] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  /** The version this desk's own last action made: its live echo is not news from elsewhere. */
  const [ownVersion, setOwnVersion] = useState(0);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const dispatchable = Boolean(data && data.status === 'reported' && data.legalActions.includes('assign'));
  // A boundary case's line and the street across by name, from the register of the side the caller sees.
  const jurisdiction = useMe().data?.jurisdiction ?? null;
  const street = data ? data.placeCode.slice(0, 9) : null;
  const across = data?.otherSideCode ?? null;
  const registerStreet = across && jurisdiction !== null ? ([street, across].find((code) => code !== null && code.startsWith(jurisdiction)) ?? null) : null;
  const boundaryLine = useStreetLines(registerStreet).find(
    (line) => (line.leftCode === street && line.rightCode === across) || (line.leftCode === across && line.rightCode === street),
  );
  const acrossName = boundaryLine ? (boundaryLine.leftCode === across ? boundaryLine.leftName : boundaryLine.rightName) : null;
  const reopenable = Boolean(data && data.legalActions.includes('reopen'));
  const suggestions = useHandlerSuggestions(caseId, dispatchable || reopenable);
  /** For reopen: the unit chosen to hand the case to ('' keeps its level and unit). */
  const [reopenUnit, setReopenUnit] = useState('');
  /** Joint handling by both sides of the boundary line, for the dispatch (button or key `a`). */
  const [joint, setJoint] = useState(false);

  // Another case: a clean form.
  useEffect(() => {
    setNote('');
    setOutcome('');
    setConflict(false);
    setDone(null);
    setOwnVersion(0);
    setReopenUnit('');
  }, [caseId]);

  const run = (input: Omit<CaseTransitionInput, 'id' | 'version' | 'note'>): void => {
    if (!data || transition.isPending) return;
    const trimmed = note.trim();
    const body: CaseTransitionInput = { ...input, id: data.id, version: data.version, ...(trimmed ? { note: trimmed } : {}) };
    setDone(null);
    transition.mutate(body, {
      onSuccess: (answer) => {
        setOwnVersion(answer.version);
        setNote('');
        setOutcome('');
        setReopenUnit('');
        setConflict(false);
        setDone(text.done(DISPUTE_ACTION_LABELS[input.action][lang]));
      },
      onError: (error) => setConflict(isConflict(error)),
    });
  };
  const act = (action: DisputeAction): void => {
    if (action === 'close') {
      if (outcome) run({ action, outcome });
      return;
    }
    if (action === 'reopen' && reopenUnit) {
      run({ action, handlerUnit: reopenUnit });
      return;
    }
    run({ action });
  };
  const assignTo = (handler: HandlerSuggestion, joint: boolean): void => run({ action: 'assign', handlerUnit: handler.unitCode, ...(joint ? { joint: true } : {}) });
  const reload = (): void => {
    setConflict(false);
    transition.reset();
    void query.refetch();
  };

  useImperativeHandle(
    commandsRef,
    () => ({
      quick: () => {
        if (!data) return;
        const first = suggestions.data?.find((handler) => handler.assignable);
        if (dispatchable && first) assignTo(first, data.otherSideCode !== null && joint);
        else if (data.legalActions.includes('accept')) act('accept');
      },
      focusNote: () => noteRef.current?.focus(),
      reload,
    }),
  );

  if (query.error && !data) {
    return (
      <section className="case-panel" aria-label={text.caseTitle(caseId)} data-case={caseId} data-state="error">
        <p className="section-error" role="alert">
          {t.loadFailed}
          {t.colon}
          {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>
            {t.retry}
          </button>
          <button type="button" onClick={onClose}>
            {text.closeCase}
          </button>
        </p>
      </section>
    );
  }
  if (!data) {
    return (
      <section className="case-panel" aria-label={text.caseTitle(caseId)} data-case={caseId} data-state="loading" aria-busy="true">
        <p className="empty">{t.loading}</p>
      </section>
    );
  }

  // A unit by name where the page knows it (the case's own grid, a suggested handler), else by code.
  const unitName = (code: string): string =>
    code === data.placeCode && placeName ? placeName : (suggestions.data?.find((handler) => handler.unitCode === code)?.name ?? code);
  const changedElsewhere = liveStep + 1 > Math.max(data.version, ownVersion) && !transition.isPending;
  const failure = transition.error && !conflict ? transition.error.message : null;
  return (
    <section className="case-panel" aria-labelledby="case-title" data-case={data.id} data-version={data.version} data-status={data.status} data-state="ready">
      <header className="case-header">
        <h2 id="case-title">
          {text.caseTitle(data.id)} · {categoryLabel(DISPUTE_TYPES, data.type, lang)}
        </h2>
        <span className={`severity severity-${data.severity}`}>{DISPUTE_SEVERITY_LABELS[data.severity][lang]}</span>
        <button type="button" className="close-case" onClick={onClose} aria-keyshortcuts="Escape">
          {text.closeCase}
        </button>
      </header>
      <p className={`case-deadline${data.overdue ? ' overdue' : ''}`} data-overdue={data.overdue}>
        <strong>{formatTimeLeft(data.dueAt - Date.now(), lang)}</strong>
        <span>
          {text.deadline}
          {t.colon}
          {formatCaseTime(data.dueAt, lang)}
        </span>
        <span className="case-stage" data-stage-days={data.stage.days}>
          {text.stage(data.stage.days.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'), HANDLING_LEVEL_LABELS[data.handlingLevel][lang], formatCaseTime(data.stage.since, lang))}
        </span>
      </p>

      {conflict && (
        <div className="case-conflict" role="alert">
          <span>{text.conflict}</span>
          <button type="button" onClick={reload}>
            {text.reload}
          </button>
        </div>
      )}
      {!conflict && changedElsewhere && (
        <div className="case-changed" role="status">
          <span>{text.changedElsewhere}</span>
          <button type="button" onClick={reload}>
            {text.reload}
          </button>
        </div>
      )}

      <div className="case-body">
        <div className="case-facts">
          <dl>
            <dt>{text.status}</dt>
            <dd className="case-status">{DISPUTE_STATUS_LABELS[data.status][lang]}</dd>
            <dt>{text.level}</dt>
            <dd>{HANDLING_LEVEL_LABELS[data.handlingLevel][lang]}</dd>
            <dt>{text.source}</dt>
            <dd>{categoryLabel(DISPUTE_SOURCES, data.source, lang)}</dd>
            <dt>{text.place}</dt>
            <dd>{placeName ?? data.placeCode}</dd>
            {data.otherSideCode && (
              <>
                <dt>{text.otherSide}</dt>
                <dd>
                  <span className="tag boundary-tag">{text.boundaryCase}</span>{' '}
                  <span className="other-side" data-unit={data.otherSideCode}>
                    {acrossName ?? data.otherSideCode}
                  </span>
                  {boundaryLine && (
                    <span className="boundary-line-name" data-line={boundaryLine.id}>
                      {' '}
                      · {text.line}
                      {t.colon}
                      {boundaryLine.leftName} — {boundaryLine.rightName}
                    </span>
                  )}
                </dd>
              </>
            )}
            {data.handlerUnit && (
              <>
                <dt>{text.handler}</dt>
                <dd className="case-handler" data-unit={data.handlerUnit}>
                  {unitName(data.handlerUnit)}
                </dd>
              </>
            )}
            {data.jointUnit && (
              <>
                <dt>{text.jointWith}</dt>
                <dd className="case-joint" data-unit={data.jointUnit}>
                  {unitName(data.jointUnit)}
                </dd>
              </>
            )}
            <dt>{text.reportedAt}</dt>
            <dd>{formatCaseTime(data.reportedAt, lang)}</dd>
          </dl>
          <h3>{text.summary}</h3>
          <p className="case-summary">{data.summary ?? text.noSummary}</p>
          <h3>{text.parties}</h3>
          {data.parties.length === 0 ? (
            <p className="empty">{text.noParties}</p>
          ) : (
            <ul className="case-parties">
              {data.parties.map((party, index) => (
                <li key={index}>
                  <span className="party-role">{partyRoleLabel(party.role, lang)}</span>
                  <span className="party-name">{party.name}</span>
                  {party.phone && <span className="party-phone">{party.phone}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="case-map-box">
          <Suspense fallback={<div className="map-placeholder">{t.loading}</div>}>
            <CaseMap caseId={data.id} lngLat={data.lngLat} placeCode={data.placeCode} severity={data.severity} label={`${text.map} · ${placeName ?? data.placeCode}`} />
          </Suspense>
        </div>
      </div>

      {dispatchable && (
        <DispatchPanel
          suggestions={suggestions.data}
          error={suggestions.error}
          pending={suggestions.isLoading}
          onRetry={() => void suggestions.refetch()}
          boundary={data.otherSideCode !== null}
          joint={joint}
          onJointChange={setJoint}
          busy={transition.isPending}
          onAssign={assignTo}
        />
      )}

      <ActionsSection
        data={data}
        note={note}
        onNote={setNote}
        noteRef={noteRef}
        outcome={outcome}
        onOutcome={setOutcome}
        busy={transition.isPending}
        onAct={act}
        failure={failure}
        done={done}
        reopenUnits={(suggestions.data ?? []).filter((handler) => handler.assignable && handler.side === 'own')}
        reopenUnit={reopenUnit}
        onReopenUnit={setReopenUnit}
      />

      <section className="desk-section case-timeline" aria-labelledby="timeline-title">
        <h3 id="timeline-title">{text.timeline}</h3>
        <ol>
          {data.history.map((step) => (
            <li key={step.step} data-action={step.action} data-actor={step.actorRole}>
              <span className="step-action">
                {step.actorRole === 'system' && step.action === 'escalate'
                  ? `${text.autoEscalated}${step.note ? ` · ${noteInLanguage(step.note, lang)}` : ''}`
                  : STEP_ACTION_LABELS[step.action][lang]}
              </span>
              <time dateTime={new Date(step.at).toISOString()}>{formatCaseTime(step.at, lang)}</time>
              <span className="step-actor">
                {categoryLabel(DISPUTE_ACTOR_ROLES, step.actorRole, lang)} · {HANDLING_LEVEL_LABELS[step.handlingLevel][lang]}
              </span>
              {step.note && step.actorRole !== 'system' && <p className="step-note">{step.note}</p>}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

interface ActionsSectionProps {
  data: DeskCase;
  note: string;
  onNote: (note: string) => void;
  noteRef: Ref<HTMLTextAreaElement>;
  outcome: DisputeOutcome | '';
  onOutcome: (outcome: DisputeOutcome | '') => void;
  busy: boolean;
  onAct: (action: DisputeAction) => void;
  failure: string | null;
  done: string | null;
  /** Units the case may be reopened to (own side, inside the caller's jurisdiction). */
  reopenUnits: HandlerSuggestion[];
  reopenUnit: string;
  onReopenUnit: (unit: string) => void;
}

function ActionsSection({ data, note, onNote, noteRef, outcome, onOutcome, busy, onAct, failure, done, reopenUnits, reopenUnit, onReopenUnit }: ActionsSectionProps) {
  const { t, lang } = useI18n();
  const text = DESK_TEXT[lang];
  const actions = data.legalActions;
  return (
    <section className="desk-section case-actions" aria-labelledby="actions-title">
      <h3 id="actions-title">{text.actions}</h3>
      {actions.length === 0 ? (
        <p className="empty">{text.noActions}</p>
      ) : (
        <>
          <label className="note-field">
            <span>{text.note}</span>
            <textarea ref={noteRef} value={note} maxLength={2000} rows={3} placeholder={text.notePlaceholder} onChange={(event) => onNote(event.target.value)} aria-keyshortcuts="n" />
          </label>
          {actions.includes('close') && (
            <label className="outcome-field">
              <span>{text.outcome}</span>
              <select value={outcome} onChange={(event) => onOutcome(event.target.value as DisputeOutcome | '')}>
                <option value="">{text.chooseOutcome}</option>
                {DISPUTE_OUTCOMES.map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.label[lang]}
                  </option>
                ))}
              </select>
            </label>
          )}
          {actions.includes('reopen') && (
            <label className="reopen-field">
              <span>{text.reopenTo}</span>
              <select name="reopenUnit" value={reopenUnit} onChange={(event) => onReopenUnit(event.target.value)}>
                <option value="">{text.reopenSame}</option>
                {reopenUnits.map((handler) => (
                  <option key={handler.unitCode} value={handler.unitCode}>
                    {text.kinds[handler.kind]} · {handler.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="action-buttons">
            {actions.map((action) => (
              <button
                key={action}
                type="button"
                data-action={action}
                className={action === actions[0] ? 'primary' : undefined}
                disabled={busy || (action === 'close' && !outcome)}
                onClick={() => onAct(action)}
              >
                {DISPUTE_ACTION_LABELS[action][lang]}
              </button>
            ))}
          </div>
        </>
      )}
      {failure && (
        <p className="section-error" role="alert">
          {text.actionFailed}
          {t.colon}
          {failure}
        </p>
      )}
      {done && (
        <p className="action-done" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
