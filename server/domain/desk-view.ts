// The desk's view as its URL says it — the queue column (?column=), filters (?type=, ?source=, ?level= as
// comma lists, ?grid=, ?line=) and the open case (?case=) — and the desk.queue input of its first page,
// shared by the page and the server, which names that answer in the page's Link header.

import { DESK_COLUMNS, type DeskColumn } from './desk-columns';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from './dispute-categories';
import { HANDLING_LEVELS, type HandlingLevel } from './dispute-workflow';

/** Cases per desk queue page. */
export const DESK_PAGE_SIZE = 50;

export interface DeskFilters {
  types: DisputeType[];
  sources: DisputeSource[];
  levels: HandlingLevel[];
  /** A grid code (15 digits), or null for every grid. */
  grid: string | null;
  /** A street boundary line's id (cases by it, on either side), or null. */
  line: string | null;
}

export interface DeskView {
  /** null: every open case. */
  column: DeskColumn | null;
  filters: DeskFilters;
  /** The case opened, or null. */
  caseId: number | null;
}

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const seen = new Set<T>();
  for (const item of raw.split(',')) if ((allowed as readonly string[]).includes(item)) seen.add(item as T);
  return [...seen];
}

/** The view a search string asks for. */
export function deskViewFrom(params: URLSearchParams): DeskView {
  const column = params.get('column');
  const grid = params.get('grid');
  const line = params.get('line');
  const caseRaw = params.get('case');
  return {
    column: column !== null && (DESK_COLUMNS as readonly string[]).includes(column) ? (column as DeskColumn) : null,
    filters: {
      types: listOf(params.get('type'), DISPUTE_TYPE_KEYS),
      sources: listOf(params.get('source'), DISPUTE_SOURCE_KEYS),
      levels: listOf(params.get('level'), HANDLING_LEVELS),
      grid: grid !== null && /^\d{15}$/.test(grid) ? grid : null,
      line: line !== null && line.trim() !== '' && line.length <= 80 ? line : null,
    },
    caseId: caseRaw !== null && /^[1-9]\d{0,14}$/.test(caseRaw) ? Number(caseRaw) : null,
  };
}

/** The desk.queue input of a view in a unit (lists only when non-empty: the API refuses empty ones). */
export function queueInputOf(within: string, view: Pick<DeskView, 'column' | 'filters'>, limit: number) {
  const { types, sources, levels, grid, line } = view.filters;
  return {
    within,
    limit,
    ...(view.column ? { column: view.column } : {}),
    ...(types.length ? { types } : {}),
    ...(sources.length ? { sources } : {}),
    ...(levels.length ? { levels } : {}),
    // A grid outside the unit would match nothing: it applies only inside its own community.
    ...(grid && grid.startsWith(within) ? { grid } : {}),
    ...(line ? { line } : {}),
  };
}
