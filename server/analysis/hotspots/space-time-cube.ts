// Time slices in China time (UTC+8, no daylight saving) and a space-time cube of event counts:
// cells × slices, slice-major, for emerging hot spots and boundary trends.

import { MS_PER_DAY, addChinaMonths, chinaMonthStart } from '../../domain/china-time';

const WEEK_MS = 7 * MS_PER_DAY;

export type SliceUnit = 'week' | 'month';

/** Slice boundaries: slice s is [startsMs[s], startsMs[s + 1]); length = slices + 1. */
export interface TimeSlices {
  unit: SliceUnit;
  startsMs: Float64Array;
}

/**
 * Slices covering as much of [fromMs, toMs) as whole slices can, aligned to the end (the last slice
 * ends at toMs for weeks; months are calendar months in China time, the last one ending at or before
 * toMs): weekly slices are 7 days ending at `toMs`; a remainder at the start is left out, as ArcGIS's
 * space-time cube does with end-time alignment.
 */
export function buildTimeSlices(fromMs: number, toMs: number, unit: SliceUnit): TimeSlices {
  const starts: number[] = [];
  if (unit === 'week') {
    for (let end = toMs; end - WEEK_MS >= fromMs; end -= WEEK_MS) starts.push(end);
    if (starts.length > 0) starts.push(starts[starts.length - 1]! - WEEK_MS);
  } else {
    // Calendar months: the first month start at or after fromMs, to the last at or before toMs.
    let cursor = monthStartAtOrAfter(fromMs);
    const bounds: number[] = [];
    while (cursor <= toMs) {
      bounds.push(cursor);
      cursor = addChinaMonths(cursor, 1);
    }
    return { unit, startsMs: Float64Array.from(bounds.length >= 2 ? bounds : []) };
  }
  return { unit, startsMs: Float64Array.from(starts.reverse()) };
}

/** Number of slices. */
export const sliceCount = (slices: TimeSlices): number => Math.max(0, slices.startsMs.length - 1);

/** 00:00 China time on the first of the month holding `ms` (or `ms` itself when it is one). */
function monthStartAtOrAfter(ms: number): number {
  const start = chinaMonthStart(ms);
  return start === ms ? ms : addChinaMonths(start, 1);
}

/** The slice holding `ms`, or −1 outside every slice (binary search). */
export function findSlice(slices: TimeSlices, ms: number): number {
  const starts = slices.startsMs;
  if (starts.length < 2 || ms < starts[0]! || ms >= starts[starts.length - 1]!) return -1;
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Counts by slice and unit, slice-major: cube[s * unitCount + u]. `unitByEvent[e]` is the event's
 * unit (cell, line …) or −1 to skip it; `timeMsByEvent[e]` its time.
 */
export function buildSpaceTimeCube(
  slices: TimeSlices,
  unitCount: number,
  unitByEvent: ArrayLike<number>,
  timeMsByEvent: ArrayLike<number>,
): Float64Array {
  const cube = new Float64Array(sliceCount(slices) * unitCount);
  for (let e = 0; e < unitByEvent.length; e++) {
    const unit = unitByEvent[e]!;
    if (unit < 0) continue;
    const s = findSlice(slices, timeMsByEvent[e]!);
    if (s >= 0) cube[s * unitCount + unit]! += 1;
  }
  return cube;
}
