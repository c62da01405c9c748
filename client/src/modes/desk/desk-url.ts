// The desk's view in the URL: the queue column (?column=), filters (?type=, ?source=, ?level= as
// comma lists, ?grid= a 15-digit grid code), the open case (?case=) and the review sample instead of the
// queue (?view=review, ?rate=). Unknown values are dropped, so a
// hand-edited link never sends the server something it refuses.

import { DESK_COLUMNS, type DeskColumn } from '../../../../server/domain/desk-columns';
import { DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeSource, type DisputeType } from '../../../../server/domain/dispute-categories';
import { HANDLING_LEVELS, type HandlingLevel } from '../../../../server/domain/dispute-workflow';

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

const FILTER_PARAMS = ['type', 'source', 'level', 'grid', 'line'] as const;

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

/** `params` with the filters replaced (empty lists and null removed); other parameters kept. */
export function withFilters(params: URLSearchParams, filters: DeskFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of FILTER_PARAMS) next.delete(name);
  if (filters.types.length) next.set('type', filters.types.join(','));
  if (filters.sources.length) next.set('source', filters.sources.join(','));
  if (filters.levels.length) next.set('level', filters.levels.join(','));
  if (filters.grid) next.set('grid', filters.grid);
  if (filters.line) next.set('line', filters.line);
  return next;
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

/** Whether any filter is set. */
export function hasFilters(filters: DeskFilters): boolean {
  return filters.types.length > 0 || filters.sources.length > 0 || filters.levels.length > 0 || filters.grid !== null || filters.line !== null;
}

/** Shares of the review sample the desk offers (?rate=); others in a link are dropped. */
export const REVIEW_RATES = [0.05, 0.1, 0.2, 0.5, 1] as const;

export interface ReviewView {
  /** Whether the review sample (?view=review) is shown instead of the queue. */
  shown: boolean;
  /** The share drawn (?rate=), or null for the server's default. */
  rate: number | null;
}

/** The review sample's view a search string asks for. */
export function reviewViewFrom(params: URLSearchParams): ReviewView {
  const rate = Number(params.get('rate') ?? NaN);
  return { shown: params.get('view') === 'review', rate: (REVIEW_RATES as readonly number[]).includes(rate) ? rate : null };
}

/** `params` showing the review sample or the queue (?view=), other parameters kept; the rate goes with the sample. */
export function withReviewView(params: URLSearchParams, shown: boolean): URLSearchParams {
  const next = new URLSearchParams(params);
  if (shown) next.set('view', 'review');
  else {
    next.delete('view');
    next.delete('rate');
  }
  return next;
}

/** The desk.reviewSample input of a unit: the default period (the last 30 days), the rate when chosen. */
export function reviewInputOf(within: string, view: ReviewView) {
  return { within, ...(view.rate === null ? {} : { rate: view.rate }) };
}
