// /desk/boundaries: the 平安边界 register of an officer's jurisdiction (or ?region= inside it) — a sortable
// table of its boundary lines (due lines first) with the cases near each over the last 90 days, a small
// offline map of the lines by patrol status (row ↔ line highlight), and per line the forms that record a
// joint patrol or the agreement's signing, showing the server's refusals as they come.

import { Suspense, lazy, useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { TRPCClientError } from '@trpc/client';
import type { BoundaryRegisterRow } from '../../api-types';
import { ModeHeader } from '../../components/mode-header';
import { useBoundaryRegister, useRecordAgreement, useRecordPatrol } from '../../hooks/use-boundary-register';
import { useMe } from '../../hooks/use-me';
import { useI18n, type Lang } from '../../i18n';
import { REGISTER_LINE_COLORS, chinaToday, formatLength, formatRegisterDay, patrolStatusOf, sortRegisterRows, type RegisterSortKey, type SortDirection } from './boundary-register';
import { BOUNDARY_REGISTER_TEXT } from './boundary-register-text';
import './boundary-register.css';

const BoundaryRegisterMap = lazy(() => import('./boundary-register-map'));

type Text = (typeof BOUNDARY_REGISTER_TEXT)[Lang];

const SORT_KEYS: readonly RegisterSortKey[] = ['due', 'level', 'length', 'agreement', 'mediation', 'patrol', 'cases'];

/** The server's refusal in the page's words where it has them (FORBIDDEN), else its own message. */
function errorMessageOf(error: unknown, text: Text): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code === 'FORBIDDEN') return `${text.forbidden}（${error.message}）`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function rgb(color: readonly number[]): string {
  return `rgb(${color.slice(0, 3).join(', ')})`;
}

export default function BoundaryRegisterMode() {
  const { lang } = useI18n();
  const text = BOUNDARY_REGISTER_TEXT[lang];
  const [params] = useSearchParams();
  const me = useMe();
  const within = params.get('region') ?? me.data?.jurisdiction ?? null;
  const { register, risk } = useBoundaryRegister(within);
  const [sort, setSort] = useState<{ key: RegisterSortKey; direction: SortDirection }>({ key: 'due', direction: 'asc' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openForm, setOpenForm] = useState<{ id: string; kind: 'patrol' | 'agreement' } | null>(null);

  const casesById = useMemo(() => new Map((risk.data?.features ?? []).map((f) => [f.properties.id, f.properties.count])), [risk.data]);
  const lines = register.data?.lines;
  const rows = useMemo(() => (lines ? sortRegisterRows(lines, sort.key, sort.direction, (id) => casesById.get(id) ?? 0) : []), [lines, sort, casesById]);
  const dueById = useMemo(() => new Map((lines ?? []).map((row) => [row.id, row.patrolDue])), [lines]);
  const dueCount = rows.filter((row) => row.patrolDue).length;

  const onSort = (key: RegisterSortKey) => setSort((old) => ({ key, direction: old.key === key && old.direction === 'asc' ? 'desc' : 'asc' }));
  const onSelectFromMap = useCallback((id: string) => {
    setSelectedId(id);
    document.querySelector(`.register-row[data-line="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, []);

  return (
    <div className="mode-register theme-light" data-ready={register.data && (risk.data || risk.error) ? 'true' : undefined} data-within={within ?? undefined}>
      <ModeHeader title={text.title} showNav />
      <main className="register-main">
        <section className="register-table-section" aria-labelledby="register-title">
          <h2 id="register-title">{text.table}</h2>
          {register.data && <p className="register-summary">{text.summary(rows.length, dueCount, formatRegisterDay(register.data.asOf, lang))}</p>}
          {register.error && (
            <p className="register-error" role="alert">
              {text.loadFailed}
              {register.error.message}
            </p>
          )}
          {!register.data && !register.error && <p className="register-loading">{text.loading}</p>}
          {register.data && rows.length === 0 && <p>{text.empty}</p>}
          {rows.length > 0 && (
            <table className="register-table">
              <thead>
                <tr>
                  {(['due', 'level'] as const).map((key) => (
                    <SortHeader key={key} column={key} label={text.columns[key]} sort={sort} onSort={onSort} text={text} />
                  ))}
                  <th scope="col">{text.columns.sides}</th>
                  {SORT_KEYS.slice(2).map((key) => (
                    <SortHeader key={key} column={key} label={text.columns[key]} sort={sort} onSort={onSort} text={text} />
                  ))}
                  <th scope="col">{text.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <RegisterRow
                    key={row.id}
                    row={row}
                    cases={casesById.get(row.id)}
                    casesFailed={Boolean(risk.error)}
                    selected={row.id === selectedId}
                    onSelect={() => setSelectedId(row.id)}
                    openForm={openForm?.id === row.id ? openForm.kind : null}
                    onOpenForm={(kind) => setOpenForm(kind ? { id: row.id, kind } : null)}
                    within={within}
                    today={register.data?.asOf ?? chinaToday()}
                    text={text}
                    lang={lang}
                  />
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="register-map-section" aria-label={text.map}>
          <Suspense fallback={<div className="register-map" />}>
            <BoundaryRegisterMap lines={risk.data} dueById={dueById} selectedId={selectedId} onSelect={onSelectFromMap} dataReady={Boolean(register.data && (risk.data || risk.error))} />
          </Suspense>
          <ul className="register-legend" aria-label={text.map}>
            <li>
              <span className="swatch line" style={{ background: rgb(REGISTER_LINE_COLORS.due) }} />
              {text.legendDue}
            </li>
            <li>
              <span className="swatch line" style={{ background: rgb(REGISTER_LINE_COLORS.patrolled) }} />
              {text.legendPatrolled}
            </li>
            <li>
              <span className="swatch line" style={{ background: rgb(REGISTER_LINE_COLORS.selected) }} />
              {text.legendSelected}
            </li>
          </ul>
        </section>
      </main>
    </div>
  );
}

function SortHeader(props: { column: RegisterSortKey; label: string; sort: { key: RegisterSortKey; direction: SortDirection }; onSort: (key: RegisterSortKey) => void; text: Text }) {
  const active = props.sort.key === props.column;
  return (
    <th scope="col" aria-sort={active ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" data-sort={props.column} onClick={() => props.onSort(props.column)} title={props.text.sortBy(props.label)}>
        {props.label}
        <span aria-hidden="true">{active ? (props.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

interface RegisterRowProps {
  row: BoundaryRegisterRow;
  cases: number | undefined;
  casesFailed: boolean;
  selected: boolean;
  onSelect: () => void;
  openForm: 'patrol' | 'agreement' | null;
  onOpenForm: (kind: 'patrol' | 'agreement' | null) => void;
  within: string | null;
  today: string;
  text: Text;
  lang: Lang;
}

function RegisterRow({ row, cases, casesFailed, selected, onSelect, openForm, onOpenForm, within, today, text, lang }: RegisterRowProps) {
  const patrol = patrolStatusOf(row, text);
  const flag = (value: boolean | null) => (value === null ? text.unknown : value ? text.yes : text.no);
  const agreement = row.agreementSigned ? (row.agreementSignedOn ? text.signedOn(formatRegisterDay(row.agreementSignedOn, lang)) : text.signed) : row.agreementSigned === false ? text.notSigned : text.unknown;
  return (
    <>
      <tr
        className={`register-row${row.patrolDue ? ' is-due' : ''}${selected ? ' is-selected' : ''}`}
        data-line={row.id}
        data-due={row.patrolDue ? 'true' : 'false'}
        data-days={row.daysSincePatrol ?? undefined}
        data-length-meters={row.lengthMeters}
        data-last-patrol={row.lastJointPatrol ?? undefined}
        data-selected={selected ? 'true' : undefined}
        onClick={onSelect}
        onFocus={onSelect}
      >
        <td className="cell-status">
          <span className={`patrol-status ${row.patrolDue ? 'due' : 'ok'}`} title={row.patrolDue ? text.dueTitle : undefined}>
            {patrol.status}
          </span>
        </td>
        <td>{text.levels[row.level]}</td>
        <th scope="row" className="cell-sides">
          {row.leftName} ↔ {row.rightName ?? text.unknown}
        </th>
        <td className="cell-number">{formatLength(row.lengthMeters, lang)}</td>
        <td className="cell-agreement">{agreement}</td>
        <td>{flag(row.jointMediation)}</td>
        <td className={`cell-patrol${row.patrolDue ? ' due' : ''}`}>
          {row.lastJointPatrol ? `${formatRegisterDay(row.lastJointPatrol, lang)} · ` : ''}
          <span className="patrol-since">{patrol.since}</span>
        </td>
        <td className="cell-number cell-cases" data-cases={cases ?? undefined}>
          {cases ?? (casesFailed ? text.unknown : text.casesPending)}
        </td>
        <td className="cell-actions">
          <button type="button" aria-expanded={openForm === 'patrol'} onClick={() => onOpenForm(openForm === 'patrol' ? null : 'patrol')} data-action="patrol">
            {text.recordPatrol}
          </button>
          <button type="button" aria-expanded={openForm === 'agreement'} onClick={() => onOpenForm(openForm === 'agreement' ? null : 'agreement')} data-action="agreement">
            {text.recordAgreement}
          </button>
        </td>
      </tr>
      {openForm && (
        <tr className="register-form-row" data-form-for={row.id}>
          <td colSpan={9}>
            <RecordForm kind={openForm} lineId={row.id} within={within} today={today} text={text} onDone={() => onOpenForm(null)} />
          </td>
        </tr>
      )}
    </>
  );
}

function RecordForm({ kind, lineId, within, today, text, onDone }: { kind: 'patrol' | 'agreement'; lineId: string; within: string | null; today: string; text: Text; onDone: () => void }) {
  const id = useId();
  // No `max`: a day after today is the server's to refuse, and its answer is shown.
  const [day, setDay] = useState(today);
  const [note, setNote] = useState('');
  const patrol = useRecordPatrol(within);
  const agreement = useRecordAgreement(within);
  const mutation = kind === 'patrol' ? patrol : agreement;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const done = { onSuccess: onDone };
    if (kind === 'patrol') patrol.mutate({ lineId, date: day, ...(note.trim() ? { note: note.trim() } : {}) }, done);
    else agreement.mutate({ lineId, signedOn: day }, done);
  };
  return (
    <form className="record-form" data-kind={kind} onSubmit={onSubmit} aria-label={kind === 'patrol' ? text.recordPatrol : text.recordAgreement}>
      <label htmlFor={`${id}-day`}>{kind === 'patrol' ? text.patrolDate : text.signedOnDate}</label>
      <input id={`${id}-day`} name="day" type="date" value={day} required onChange={(event) => setDay(event.target.value)} />
      {kind === 'patrol' && (
        <>
          <label htmlFor={`${id}-note`}>{text.note}</label>
          <input id={`${id}-note`} name="note" type="text" maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
        </>
      )}
      <button type="submit" className="primary" disabled={mutation.isPending}>
        {mutation.isPending ? text.saving : text.save}
      </button>
      <button type="button" onClick={onDone}>
        {text.cancel}
      </button>
      {mutation.error && (
        <p className="record-error" role="alert" data-code={mutation.error instanceof TRPCClientError ? ((mutation.error.data as { code?: string } | undefined)?.code ?? undefined) : undefined}>
          {text.failed}
          {errorMessageOf(mutation.error, text)}
        </p>
      )}
    </form>
  );
}
