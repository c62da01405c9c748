// A desk's loaded queue pages brought up to date from live entries at once, before the throttled re-read
// (use-desk.ts): a step moves its case — new status, handling level, version and last action — and a case that left the
// page's column (or closed) leaves the page; with no filter the column counts follow the steps the page
// does not include yet (after its asOfSeq). New reports are not inserted (their place in the deadline
// order is the server's): the re-read adds them.

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

/** Whether the input filters the unit's cases (then counts wait for the re-read). */
function filtered(input: DeskQueueInput): boolean {
  return Boolean(input.types?.length || input.sources?.length || input.levels?.length || input.grid || input.line);
}

/**
 * Pages of `input`'s queue after `entries` (in log order). Answers the same array when nothing changed,
 * so a cache holding it does not re-render.
 */
export function applyLiveEntries(pages: readonly DeskQueuePage[], input: DeskQueueInput, entries: readonly LiveLogEntry[]): readonly DeskQueuePage[] {
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
