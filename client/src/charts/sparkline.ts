// A sparkline's geometry for an inline SVG (no chart library): the series as SVG path data in a
// width × height box, a gap where a value is missing, partial slices (a period still running) drawn apart,
// and the target as a horizontal line, all on one vertical scale.

export interface SparklinePoint {
  value: number | null;
  /** The slice is not over yet (drawn apart: its value will still change). */
  partial: boolean;
}

export interface SparklineOptions {
  width: number;
  height: number;
  /** Kept free at the top and bottom, px (the line's width and the end dot). */
  padding?: number;
  /** Drawn as a horizontal line and included in the scale. */
  target?: number | null;
  /** Start the scale at zero (counts), else at the lowest value (shares). */
  zeroBased?: boolean;
}

export interface SparklineGeometry {
  /** Path data of the complete slices ('' when there are none). */
  line: string;
  /** Path data from the last complete point through the partial slices ('' when none). */
  partialLine: string;
  /** y of the target line, or null. */
  targetY: number | null;
  /** The last point with a value, for the end dot. */
  last: { x: number; y: number } | null;
  /** The scale's ends. */
  min: number;
  max: number;
}

const round = (value: number): number => Math.round(value * 100) / 100;

export function sparklineGeometry(points: readonly SparklinePoint[], options: SparklineOptions): SparklineGeometry {
  const { width, height, padding = 3, target = null, zeroBased = false } = options;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (target !== null) values.push(target);
  let min = values.length ? Math.min(...values) : 0;
  let max = values.length ? Math.max(...values) : 1;
  if (zeroBased) min = Math.min(0, min);
  if (max === min) {
    // A flat series sits in the middle.
    max += max === 0 ? 1 : Math.abs(max) * 0.1;
    min -= min === 0 ? 0 : Math.abs(min) * 0.1;
  }
  const xOf = (i: number): number => (points.length <= 1 ? width / 2 : (i / (points.length - 1)) * width);
  const yOf = (v: number): number => padding + (1 - (v - min) / (max - min)) * (height - 2 * padding);

  let line = '';
  let partialLine = '';
  // The point before, and which path it ended (so a path continues only from its own last point).
  let previous: { x: number; y: number; partial: boolean } | null = null;
  let last: { x: number; y: number } | null = null;
  points.forEach((point, i) => {
    if (point.value === null || !Number.isFinite(point.value)) {
      previous = null;
      return;
    }
    const xy = { x: round(xOf(i)), y: round(yOf(point.value)) };
    if (point.partial) {
      // A partial slice continues from the point before, whichever kind it was.
      partialLine += previous ? `${previous.partial ? '' : `M${previous.x} ${previous.y}`}L${xy.x} ${xy.y}` : `M${xy.x} ${xy.y}`;
    } else {
      line += previous && !previous.partial ? `L${xy.x} ${xy.y}` : `M${xy.x} ${xy.y}`;
    }
    previous = { ...xy, partial: point.partial };
    last = xy;
  });
  return { line, partialLine, targetY: target === null ? null : round(yOf(target)), last, min, max };
}
