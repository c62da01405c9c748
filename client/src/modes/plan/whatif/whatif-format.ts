// The what-if delta in words and figures: residents newly covered and newly uncovered (exact, signed),
// the coverage rate before → after with its change in percentage points, a link's length.

import type { Lang } from '../../../../../server/domain/labels';
import { formatInteger, formatPercent } from '../../../format';

const MINUS = '−';

/** A signed whole number: "+1,234", "−56", "0". */
export function formatSignedInteger(value: number, lang: Lang): string {
  const rounded = Math.round(value);
  if (rounded === 0) return '0';
  return `${rounded > 0 ? '+' : MINUS}${formatInteger(Math.abs(rounded), lang)}`;
}

/** Before → after as percentages: "62.3% → 64.1%". */
export function formatRateChange(before: number, after: number): string {
  return `${formatPercent(before)} → ${formatPercent(after)}`;
}

/** A change of a share in percentage points: "+1.8 个百分点" / "+1.8 pp" ("0" when under 0.05 pp). */
export function formatPointChange(delta: number, lang: Lang): string {
  const points = Math.round(delta * 1000) / 10;
  if (points === 0) return lang === 'zh' ? '0 个百分点' : '0 pp';
  const text = `${points > 0 ? '+' : MINUS}${Math.abs(points).toFixed(1)}`;
  return lang === 'zh' ? `${text} 个百分点` : `${text} pp`;
}

/** A length in metres: "86 米" / "86 m"; "1.24 公里" / "1.24 km" from 1 km. */
export function formatLengthMeters(meters: number, lang: Lang): string {
  if (meters >= 1000) return lang === 'zh' ? `${(meters / 1000).toFixed(2)} 公里` : `${(meters / 1000).toFixed(2)} km`;
  return lang === 'zh' ? `${Math.round(meters)} 米` : `${Math.round(meters)} m`;
}
