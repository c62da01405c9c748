// Workflow KPIs of one period from its raw figures: resolution rate, in-grid and within-street
// resolution ("小事不出格、大事不出网"), mean and 90th-percentile handling time, overdue cases.

/** Raw figures of the cases reported in a period, from which the KPIs are computed. */
export interface DisputePeriodFigures {
  reported: number;
  closed: number;
  resolvedInGrid: number;
  resolvedWithinStreet: number;
  /** Report-to-close durations of the closed cases, ms, ascending. */
  handlingMs: Float64Array;
  /** Closed late, or open past the deadline at the as-of time. */
  overdue: number;
}

export interface DisputeKpis {
  /** Cases reported in the period. */
  reported: number;
  /** Of those, closed by the period's as-of time. */
  closed: number;
  /** closed / reported; null when nothing was reported. */
  resolutionRate: number | null;
  /** Closed cases resolved in the grid / closed cases. */
  inGridRate: number | null;
  /** Closed cases resolved in the grid, the community or the street / closed cases. */
  withinStreetRate: number | null;
  /** Report to close, hours (closed cases). */
  meanHandlingHours: number | null;
  /** 90th percentile (nearest rank) of report to close, hours. */
  p90HandlingHours: number | null;
  /** Closed after the deadline, or open past it at the as-of time. */
  overdue: number;
}

const HOUR_MS = 3_600_000;
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** KPIs from figures; `handlingMs` must be sorted ascending. */
export function summarisePeriod(figures: DisputePeriodFigures): DisputeKpis {
  const durations = figures.handlingMs;
  let total = 0;
  for (const ms of durations) total += ms;
  const p90Index = durations.length === 0 ? -1 : Math.ceil(0.9 * durations.length) - 1;
  return {
    reported: figures.reported,
    closed: figures.closed,
    resolutionRate: ratio(figures.closed, figures.reported),
    inGridRate: ratio(figures.resolvedInGrid, figures.closed),
    withinStreetRate: ratio(figures.resolvedWithinStreet, figures.closed),
    meanHandlingHours: durations.length === 0 ? null : total / durations.length / HOUR_MS,
    p90HandlingHours: p90Index < 0 ? null : durations[p90Index]! / HOUR_MS,
    overdue: figures.overdue,
  };
}
