// /desk: the governance centre officer's command desk. The open cases of a unit (the jurisdiction or a
// unit inside it, ?region=) in six workflow columns with counts, filtered by type, source, handling level
// and grid (all in the URL), most urgent first with time left, paged by "more"; refreshed live from
// events.live (at most once a second). A row opens the case beside the queue (?case=): facts, parties,
// map, timeline, the caller's actions and, for a new case, the suggested handlers. Beside the queue, the
// review sample of the unit (?view=review) for roles that review; its cases open in the same panel.
// Escalated cases are marked in the queue. Keyboard first: j/k
// or arrows move, Enter opens, a accepts or dispatches, ? lists the keys.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { DESK_COLUMNS, type DeskColumn } from '../../../../server/domain/desk-columns';
import { DISPUTE_SOURCES, DISPUTE_TYPES, categoryLabel } from '../../../../server/domain/dispute-categories';
import { DISPUTE_SEVERITY_LABELS, DISPUTE_STATUS_LABELS, HANDLING_LEVELS, HANDLING_LEVEL_LABELS } from '../../../../server/domain/dispute-workflow';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { ModeHeader } from '../../components/mode-header';
import type { DeskQueuePage, DeskQueueRow } from '../../api-types';
import { useCommunityGrids, useDeskLive, useDeskQueue, useReviewSample, useStreetLines } from '../../hooks/use-desk';
import { useMe } from '../../hooks/use-me';
import { useRegion, useRegionScope } from '../../hooks/use-region';
import { formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { trpc } from '../../trpc';
import { CasePanel, type CaseCommands } from './case-panel';
import { formatTimeLeft } from './desk-format';
import { deskCommandOf, stepSelection } from './desk-keys';
import { DESK_TEXT } from './desk-text';
import { DESK_PAGE_SIZE, deskViewFrom, hasFilters, queueInputOf, reviewInputOf, reviewViewFrom, withFilters, withReviewView, type DeskFilters } from './desk-url';
import { isFromLive } from './desk-live';
import { ReviewSampleView } from './review-sample';
import './desk.css';
import { LoadError } from '../../components/load-error';

/** Cases per page of the queue. */
const COLUMN_TABS: readonly (DeskColumn | null)[] = [null, ...DESK_COLUMNS];

export default function DeskMode() {
  const { t, lang } = useI18n();
  const text = DESK_TEXT[lang];
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => deskViewFrom(params), [params]);
  const review = useMemo(() => reviewViewFrom(params), [params]);
  const me = useMe();
  const mayReview = Boolean(me.data?.capabilities.actions.includes('review'));
  const [region, setRegion] = useRegion();
  const regionScope = useRegionScope();
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const grids = useCommunityGrids(region.length === 12 ? region : undefined);
  const streetLines = useStreetLines(region);

  const input = useMemo(() => queueInputOf(region, view, DESK_PAGE_SIZE), [region, view]);
  const queue = useDeskQueue(input);
  const pages = queue.data?.pages;
  const counts: DeskQueuePage['counts'] | undefined = pages?.[0]?.counts;
  const rows = useMemo((): DeskQueueRow[] => pages?.flatMap((page) => page.cases) ?? [], [pages]);
  const sample = useReviewSample(reviewInputOf(region, review), review.shown && mayReview);
  const reviewShown = review.shown && mayReview;
  const ids = useMemo(() => (reviewShown ? (sample.data?.cases.map((row) => row.id) ?? []) : rows.map((row) => row.id)), [reviewShown, sample.data, rows]);
  const live = useDeskLive(region, view.caseId);

  const [selected, setSelected] = useState<number | null>(null);
  const [help, setHelp] = useState(false);
  const commandsRef = useRef<CaseCommands | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const update = useCallback(
    (change: (next: URLSearchParams) => void, replace = true) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          change(next);
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  const setColumn = useCallback((column: DeskColumn | null) => update((next) => (column ? next.set('column', column) : next.delete('column'))), [update]);
  const setReviewShown = useCallback((shown: boolean) => setParams((previous) => withReviewView(previous, shown), { replace: true }), [setParams]);
  const setRate = useCallback((rate: number) => update((next) => next.set('rate', String(rate))), [update]);
  const setFilters = useCallback((filters: DeskFilters) => setParams((previous) => withFilters(previous, filters), { replace: true }), [setParams]);
  const openCase = useCallback(
    (id: number | null) => {
      if (id !== null) setSelected(id);
      update((next) => (id === null ? next.delete('case') : next.set('case', String(id))), false);
    },
    [update],
  );

  const focusRow = useCallback((id: number) => {
    listRef.current?.querySelector<HTMLButtonElement>(`[data-case="${id}"] button`)?.focus();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      const command = deskCommandOf({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        targetTag: target?.tagName ?? '',
        targetEditable: Boolean(target?.isContentEditable),
      });
      if (!command) return;
      switch (command.kind) {
        case 'move': {
          const next = stepSelection(ids, selected ?? view.caseId, command.delta);
          if (next === null) return;
          event.preventDefault();
          setSelected(next);
          focusRow(next);
          return;
        }
        case 'open': {
          const id = selected ?? ids[0];
          if (id === undefined) return;
          event.preventDefault();
          openCase(id);
          return;
        }
        case 'escape':
          if (help) setHelp(false);
          else if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) target.blur();
          else if (view.caseId !== null) {
            openCase(null);
            if (view.caseId !== null) focusRow(view.caseId);
          }
          return;
        case 'quick':
          commandsRef.current?.quick();
          return;
        case 'note':
          event.preventDefault();
          commandsRef.current?.focusNote();
          return;
        case 'reload':
          if (commandsRef.current) commandsRef.current.reload();
          else void queue.refetch();
          return;
        case 'help':
          setHelp((shown) => !shown);
          return;
        case 'column':
          setColumn(command.column);
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ids, selected, view.caseId, help, openCase, focusRow, setColumn, queue]);

  const openRow = rows.find((row) => row.id === view.caseId) ?? null;
  const filters = view.filters;
  const ready = Boolean(queue.data || queue.error);

  return (
    <div className="mode-desk theme-light" data-region={region} data-column={view.column ?? 'all'} data-view={reviewShown ? 'review' : 'queue'} data-desk-ready={ready ? '' : undefined} data-live={live.connection}>
      <ModeHeader title={text.title} showNav />
      <div className="desk-toolbar">
        <Breadcrumbs
          current={tree.data ? { code: tree.data.code, name: tree.data.name } : null}
          ancestors={tree.data?.ancestors ?? []}
          scope={regionScope}
          onSelect={setRegion}
          interactive
        />
        {tree.data && tree.data.children.length > 0 && (
          <label className="subunit-picker">
            <span className="visually-hidden">{text.subunit}</span>
            <select value="" onChange={(event) => event.target.value && setRegion(event.target.value)}>
              <option value="">{text.chooseSubunit}</option>
              {tree.data.children.map((child) => (
                <option key={child.code} value={child.code}>
                  {child.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className={`live-state live-${live.connection}`} role="status">
          {text.live[live.connection]}
        </span>
        <button type="button" className="help-button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          {text.shortcuts} <kbd>?</kbd>
        </button>
      </div>

      {mayReview && (
        <nav className="desk-views" aria-label={`${text.views.queue} / ${text.views.review}`}>
          {(['queue', 'review'] as const).map((name) => (
            <button key={name} type="button" className="view-tab" data-view={name} aria-pressed={reviewShown === (name === 'review')} onClick={() => setReviewShown(name === 'review')}>
              {text.views[name]}
            </button>
          ))}
        </nav>
      )}

      {!reviewShown && (
        <nav className="desk-columns" aria-label={text.queue}>
          {COLUMN_TABS.map((column, index) => {
            const key = column ?? 'all';
            const count = column === null ? (counts ? Object.entries(counts).reduce((sum, [name, value]) => (name === 'overdue' ? sum : sum + value), 0) : null) : (counts?.[column] ?? null);
            return (
              <button
                key={key}
                type="button"
                className={`column-tab column-${key}`}
                data-column={key}
                aria-pressed={view.column === column}
                aria-keyshortcuts={String(index + 1)}
                onClick={() => setColumn(column)}
              >
                <span className="column-name">{text.columns[key]}</span>
                <span className="column-count" data-count={count ?? ''}>
                  {count === null ? '—' : formatInteger(count, lang)}
                </span>
              </button>
            );
          })}
        </nav>
      )}

      {!reviewShown && (
        <form className="desk-filters" aria-label={text.filters} onSubmit={(event) => event.preventDefault()}>
          <FilterSelect
            label={text.type}
            value={filters.types[0] ?? ''}
            options={DISPUTE_TYPES.map((type) => ({ value: type.key, label: type.label[lang] }))}
            onChange={(value) => setFilters({ ...filters, types: value ? [value as DeskFilters['types'][number]] : [] })}
            name="type"
          />
          <FilterSelect
            label={text.source}
            value={filters.sources[0] ?? ''}
            options={DISPUTE_SOURCES.map((source) => ({ value: source.key, label: source.label[lang] }))}
            onChange={(value) => setFilters({ ...filters, sources: value ? [value as DeskFilters['sources'][number]] : [] })}
            name="source"
          />
          <FilterSelect
            label={text.level}
            value={filters.levels[0] ?? ''}
            options={HANDLING_LEVELS.map((level) => ({ value: level, label: HANDLING_LEVEL_LABELS[level][lang] }))}
            onChange={(value) => setFilters({ ...filters, levels: value ? [value as DeskFilters['levels'][number]] : [] })}
            name="level"
          />
          {region.length === 12 ? (
            <FilterSelect
              label={text.grid}
              value={filters.grid ?? ''}
              options={(grids.data?.features ?? []).map((grid) => ({ value: grid.properties.code, label: grid.properties.name }))}
              onChange={(value) => setFilters({ ...filters, grid: value || null })}
              name="grid"
            />
          ) : (
            <span className="filter-hint">{text.gridNeedsCommunity}</span>
          )}
          <FilterSelect
            label={text.line}
            value={filters.line ?? ''}
            options={streetLines.map((line) => ({ value: line.id, label: `${line.leftName} — ${line.rightName}` }))}
            onChange={(value) => setFilters({ ...filters, line: value || null })}
            name="line"
          />
          {hasFilters(filters) && (
            <button type="button" onClick={() => setFilters({ types: [], sources: [], levels: [], grid: null, line: null })}>
              {text.clearFilters}
            </button>
          )}
        </form>
      )}

      <main className="desk-main">
        {reviewShown ? (
          <ReviewSampleView
            sample={sample.data}
            error={sample.error}
            onRetry={() => void sample.refetch()}
            rate={review.rate}
            onRate={setRate}
            openId={view.caseId}
            onOpen={openCase}
          />
        ) : (
          <section className="desk-queue" aria-labelledby="queue-title" data-state={queue.error ? 'error' : queue.data ? 'ready' : 'loading'}>
            <h2 id="queue-title" className="visually-hidden">
              {text.queue} · {text.columns[view.column ?? 'all']}
            </h2>
            {queue.error && (
              <LoadError what={t.loadFailed} error={queue.error} onRetry={() => void queue.refetch()} />
            )}
            {!queue.data && !queue.error && <p className="empty">{t.loading}</p>}
            {queue.data && rows.length === 0 && <p className="empty">{text.emptyQueue}</p>}
            <ol className="queue-list" ref={listRef}>
              {rows.map((row) => (
                <QueueRow key={row.id} row={row} selected={row.id === selected} open={row.id === view.caseId} onOpen={openCase} />
              ))}
            </ol>
            {queue.hasNextPage && (
              <button type="button" className="more-button" disabled={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
                {queue.isFetchingNextPage ? text.loadingMore : text.more}
              </button>
            )}
          </section>
        )}
        <div className="desk-case">
          {view.caseId === null ? (
            <p className="empty case-empty">{text.noCase}</p>
          ) : (
            <CasePanel
              key={view.caseId}
              caseId={view.caseId}
              placeName={openRow?.placeName ?? null}
              liveStep={live.watchedStep}
              onClose={() => openCase(null)}
              commandsRef={commandsRef}
            />
          )}
        </div>
      </main>

      {help && <ShortcutHelp text={text} onClose={() => setHelp(false)} />}
    </div>
  );
}

function FilterSelect({ label, value, options, onChange, name }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void; name: string }) {
  const { lang } = useI18n();
  return (
    <label className="filter">
      <span>{label}</span>
      <select name={name} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{DESK_TEXT[lang].any}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function QueueRow({ row, selected, open, onOpen }: { row: DeskQueueRow; selected: boolean; open: boolean; onOpen: (id: number) => void }) {
  const { lang } = useI18n();
  const text = DESK_TEXT[lang];
  const type = categoryLabel(DISPUTE_TYPES, row.type, lang);
  // Sent up (by hand or by rule) and not yet taken on at its new level.
  const escalated = row.lastAction === 'escalate';
  return (
    <li
      className="queue-row"
      data-case={row.id}
      data-deadline={row.deadlineAt}
      data-state={row.state}
      data-level={row.level}
      data-escalated={escalated}
      data-overdue={row.overdue}
      data-selected={selected || undefined}
    >
      <button type="button" aria-current={open ? 'true' : undefined} aria-label={text.rowLabel(row.id, type, row.placeName ?? row.placeCode)} onClick={() => onOpen(row.id)}>
        <span className="row-id">#{row.id}</span>
        <span className="row-type">{type}</span>
        <span className={`severity severity-${row.severity}`}>{DISPUTE_SEVERITY_LABELS[row.severity][lang]}</span>
        <span className="row-state">
          {DISPUTE_STATUS_LABELS[row.state][lang]}
          {escalated && (
            <span className="tag escalated-tag" title={HANDLING_LEVEL_LABELS[row.level][lang]}>
              {text.escalated} · {HANDLING_LEVEL_LABELS[row.level][lang]}
            </span>
          )}
        </span>
        <span className={`row-left${row.overdue ? ' overdue' : ''}`}>{formatTimeLeft(row.msLeft, lang)}</span>
        <span className="row-place">
          {row.placeName ?? row.placeCode}
          {row.otherSideCode && <span className="tag boundary-tag">{text.boundaryCase}</span>}
        </span>
        <span className="row-summary">{row.summary ?? (isFromLive(row) ? '…' : text.noSummary)}</span>
        <span className="row-source">{categoryLabel(DISPUTE_SOURCES, row.source, lang)}</span>
      </button>
    </li>
  );
}

/**
 * The keyboard help as a modal <dialog>: the browser keeps focus inside it (the page behind is inert),
 * closes it on Escape and gives focus back to where it was.
 */
function ShortcutHelp({ text, onClose }: { text: (typeof DESK_TEXT)[keyof typeof DESK_TEXT]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} className="help-overlay" aria-labelledby="help-title" onClose={onClose}>
      <div className="help-box">
        <h2 id="help-title">{text.shortcutsTitle}</h2>
        <dl>
          {text.shortcutList.map(([keys, meaning]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
        <button type="button" autoFocus onClick={onClose}>
          {text.closeHelp}
        </button>
      </div>
    </dialog>
  );
}
