// A KPI's recent slices as an inline SVG sparkline (no chart library in the first view): the line, the
// slices still running dashed, the target as a dotted rule and a dot on the latest value; it stretches
// to its box (strokes keep their width).

import { sparklineGeometry, type SparklinePoint } from '../../charts/sparkline';

export interface SparklineProps {
  points: readonly SparklinePoint[];
  target: number | null;
  zeroBased: boolean;
  /** What the line shows, for screen readers (the values in words). */
  label: string;
  width?: number;
  height?: number;
}

export function Sparkline({ points, target, zeroBased, label, width = 120, height = 32 }: SparklineProps) {
  const geometry = sparklineGeometry(points, { width, height, target, zeroBased });
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label} preserveAspectRatio="none">
      {geometry.targetY !== null && <line className="sparkline-target" x1={0} x2={width} y1={geometry.targetY} y2={geometry.targetY} />}
      {geometry.line && <path className="sparkline-line" d={geometry.line} />}
      {geometry.partialLine && <path className="sparkline-partial" d={geometry.partialLine} />}
      {/* A dot as a round-capped zero-length stroke: it stays round however the box is stretched. */}
      {geometry.last && <path className="sparkline-dot" d={`M${geometry.last.x} ${geometry.last.y}h0`} />}
    </svg>
  );
}
