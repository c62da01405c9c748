// A desk's loaded queue pages brought up to date from live entries at once, before the throttled re-read
// (use-desk.ts): a step moves its case — new status, handling level, version and last action — and a case
// that left the page's column (or closed) leaves the page; a new report that the page's filters take is
// put in its place in the deadline order when that place lies inside the loaded pages (its summary, free
// text the live stream does not carry, comes with the re-read); with no filter the column counts follow
// the steps the page does not include yet (after its asOfSeq).

import { DESK_COLUMN_STATUSES, type DeskColumn } from '../../../../server/domain/desk-columns';
import type { DisputeStatus } from '../../../../server/domain/dispute-workflow';
import type { DeskQueueInput, DeskQueuePage, LiveLogEntry } from '../../api-types';

type StatusColumn = keyof typeof DESK_COLUMN_STATUSES;

const COLUMN_OF_STATUS = new Map<DisputeStatus, StatusColumn>(
  (Object.entries(DESK_COLUMN_STATUSES) as [StatusColumn, readonly DisputeStatus[]][]).flatMap(([column, statuses]) => statuses.map((status) => [status, column] as const)),
);

/** Whether a case in `status` belongs on a page of `column` (undefined: every open case). */
function shownIn(column: DeskColumn | undefined, status: DisputeStatus): boolean {
  const statusColumn = COLUMN_OF_STATUS.get(status);
  if (statusColumn === undefined) return false; // closed
  return column === undefined || column === 'overdue' || column === statusColumn;
}

/** A queue row made from a live report, until the re-read brings the server's (with the summary). */
export type LiveQueueRow = DeskQueuePage['cases'][number] & { fromLive: true };

/** Whether a row was made from a live report (its summary is still to come). */
export function isFromLive(row: DeskQueuePage['cases'][number]): boolean {
  return (row as Partial<LiveQueueRow>).fromLive === true;
}

/** Whether a new report belongs on a page of `input` (a line filter needs the server: never). */
function reportTaken(input: DeskQueueInput, entry: LiveLogEntry, nowMs: number): boolean {
  if (input.line !== undefined) return false;
  if (input.column !== undefined && input.column !== 'new' && !(input.column === 'overdue' && entry.dueAt < nowMs)) return false;
  if (input.types?.length && !input.types.includes(entry.type)) return false;
  if (input.sources?.length && !input.sources.includes(entry.source)) return false;
  if (input.levels?.length && !input.levels.includes(entry.handlingLevel)) return false;
  return !(input.grid && !entry.placeCode.startsWith(input.grid));
}

function rowOfReport(entry: LiveLogEntry, nowMs: number): LiveQueueRow {
  return {
    id: entry.disputeId,
    type: entry.type,
    severity: entry.severity,
    level: entry.handlingLevel,
    state: entry.toStatus,
    placeCode: entry.placeCode,
    otherSideCode: entry.otherSideCode,
    handlerUnit: null,
    jointUnit: null,
    version: entry.step + 1,
    summary: null,
    source: entry.source,
    placeName: entry.placeName,
    reportedAt: entry.at,
    deadlineAt: entry.dueAt,
    msLeft: entry.dueAt - nowMs,
    overdue: entry.dueAt < nowMs,
    lastAction: 'report',
    fromLive: true,
  };
}

/** The queue's order: deadline, then id. */
const before = (a: { deadlineAt: number; id: number }, b: { deadlineAt: number; id: number }): boolean =>
  a.deadlineAt < b.deadlineAt || (a.deadlineAt === b.deadlineAt && a.id < b.id);

/**
 * `pages` with each new report of `reports` put in its place, when that place lies inside the loaded
 * pages (before the last loaded row, or anywhere when no page follows). Mutates the page copies in `next`.
 */
function insertReports(next: DeskQueuePage[], reports: readonly LiveQueueRow[]): boolean {
  if (next.length === 0 || reports.length === 0) return false;
  const shown = new Set<number>();
  for (const page of next) for (const row of page.cases) shown.add(row.id);
  const lastPage = next[next.length - 1]!;
  const lastRow = lastPage.cases[lastPage.cases.length - 1];
  let changed = false;
  for (const row of reports) {
    if (shown.has(row.id)) continue;
    if (lastPage.nextCursor !== null && (!lastRow || !before(row, lastRow))) continue;
    let target = next.findIndex((page) => page.cases.some((other) => before(row, other)));
    if (target === -1) target = next.length - 1;
    const cases = [...next[target]!.cases];
    const at = cases.findIndex((other) => before(row, other));
    cases.splice(at === -1 ? cases.length : at, 0, row);
    next[target] = { ...next[target]!, cases };
    shown.add(row.id);
    changed = true;
  }
  return changed;
}

/** Whether the input filters the unit's cases (then counts wait for the re-read). */
function filtered(input: DeskQueueInput): boolean {
  return Boolean(input.types?.length || input.sources?.length || input.levels?.length || input.grid || input.line);
}

/**
 * Pages of `input`'s queue after `entries` (in log order). Answers the same array when nothing changed,
 * so a cache holding it does not re-render.
 */
export function applyLiveEntries(
  pages: readonly DeskQueuePage[],
  input: DeskQueueInput,
  entries: readonly LiveLogEntry[],
  nowMs: number = Date.now(),
): readonly DeskQueuePage[] {
  if (entries.length === 0) return pages;
  // The latest step per case (a version is its step + 1).
  const latest = new Map<number, LiveLogEntry>();
  for (const entry of entries) {
    const known = latest.get(entry.disputeId);
    if (!known || entry.step > known.step) latest.set(entry.disputeId, entry);
  }
  let changed = false;
  const next = pages.map((page) => {
    let pageChanged = false;
    const cases: DeskQueuePage['cases'] = [];
    for (const row of page.cases) {
      const entry = latest.get(row.id);
      if (!entry || entry.step + 1 <= row.version) {
        cases.push(row);
        continue;
      }
      pageChanged = true;
      if (shownIn(input.column, entry.toStatus) && !(input.levels?.length && !input.levels.includes(entry.handlingLevel))) {
        cases.push({ ...row, state: entry.toStatus, level: entry.handlingLevel, version: entry.step + 1, lastAction: entry.action });
      }
    }
    if (!pageChanged) return page;
    changed = true;
    return { ...page, cases };
  });
  // New reports the page does not include yet, still new (no later step of theirs in this batch).
  const reports = entries
    .filter((entry) => entry.action === 'report' && entry.seq > (pages[0]?.asOfSeq ?? Infinity) && latest.get(entry.disputeId) === entry && reportTaken(input, entry, nowMs))
    .map((entry) => rowOfReport(entry, nowMs));
  if (insertReports(next, reports)) changed = true;
  // Counts of an unfiltered queue: each step moves one case between columns (a report adds one to `new`).
  if (!filtered(input) && next.length > 0) {
    const counts = { ...next[0]!.counts };
    let moved = false;
    for (const entry of entries) {
      if (entry.seq <= next[0]!.asOfSeq) continue;
      const from = entry.fromStatus === null ? undefined : COLUMN_OF_STATUS.get(entry.fromStatus);
      const to = COLUMN_OF_STATUS.get(entry.toStatus);
      if (from === to) continue;
      if (from !== undefined) counts[from] = Math.max(0, counts[from] - 1);
      if (to !== undefined) counts[to] += 1;
      moved = true;
    }
    if (moved) {
      const last = entries[entries.length - 1]!;
      changed = true;
      // The counts now include the entries: a later batch holding them again is not counted twice.
      next[0] = { ...next[0]!, counts, asOfSeq: Math.max(next[0]!.asOfSeq, last.seq) };
    }
  }
  return changed ? next : pages;
}

/**
 * A queue page just read from the server, brought up to date with the live entries the page read did not
 * include (after its asOfSeq) — entries that arrived while it was on its way, which it would otherwise undo
 * until the next re-read. New reports are put only on a first page (a later page cannot tell that an earlier
 * one does not show them).
 */
export function withLaterEntries(page: DeskQueuePage, input: DeskQueueInput, entries: readonly LiveLogEntry[], firstPage: boolean, nowMs: number = Date.now()): DeskQueuePage {
  const later = entries.filter((entry) => entry.seq > page.asOfSeq && (firstPage || entry.action !== 'report'));
  if (later.length === 0) return page;
  return applyLiveEntries([page], input, later, nowMs)[0]!;
}

/** The live entries of one unit's stream from the last `keepMs`, for pages read while they arrived. */
export class RecentLiveEntries {
  private within: string | null = null;
  private entries: { entry: LiveLogEntry; at: number }[] = [];

  constructor(private readonly keepMs = 30_000) {}

  /** Keeps `entries` of `within`'s stream (a stream of another unit starts afresh). */
  add(within: string, entries: readonly LiveLogEntry[], nowMs: number = Date.now()): void {
    if (within !== this.within) {
      this.within = within;
      this.entries = [];
    }
    for (const entry of entries) this.entries.push({ entry, at: nowMs });
    const keepFrom = this.entries.findIndex((kept) => kept.at >= nowMs - this.keepMs);
    if (keepFrom > 0) this.entries = this.entries.slice(keepFrom);
  }

  /** The kept entries of `within`'s stream (none for another unit). */
  of(within: string): LiveLogEntry[] {
    return within === this.within ? this.entries.map((kept) => kept.entry) : [];
  }
}
