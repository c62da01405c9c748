// The desk's view in the URL, written back: filters (the view itself is read in server/domain/desk-view.ts,
// shared with the server's Link header) and the review sample instead of the queue (?view=review, ?rate=).
// Unknown values are dropped, so a hand-edited link never sends the server something it refuses.

import type { DeskFilters } from '../../../../server/domain/desk-view';

export { DESK_PAGE_SIZE, deskViewFrom, queueInputOf, type DeskFilters, type DeskView } from '../../../../server/domain/desk-view';

const FILTER_PARAMS = ['type', 'source', 'level', 'grid', 'line'] as const;

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
