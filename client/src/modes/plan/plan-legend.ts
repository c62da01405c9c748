// What the /plan legend says for each question, as data: the HTML legend and the exported PNG draw the
// same entries (swatch colour and shape, text), so the picture's legend is the screen's.

import { FACILITY_KIND_LABELS } from '../../../../server/domain/facility-kinds';
import { LIFE_CIRCLE_KINDS, lifeCircleMeters } from '../../../../server/domain/life-circle';
import type { Lang } from '../../i18n';
import type { Messages } from '../../i18n';
import type { Rgba } from '../../layers/color-scales';
import { COMPLETENESS_BREAKS, COMPLETENESS_PALETTE } from '../../layers/completeness-colors';
import { GAP_COLORS, RATE_BREAKS, RATE_PALETTES, SERVICE_AREA_COLORS } from '../../layers/coverage-colors';
import { DEFAULT_PROPOSAL_COLOR } from '../../layers/siting-proposals-layer';
import type { PlanQuestion } from './plan-url';

export interface LegendEntry {
  color: Rgba;
  shape: 'fill' | 'outline' | 'dot';
  text: string;
}

export interface PlanLegendModel {
  title: string;
  entries: LegendEntry[];
  /** A line under the entries (the completeness kinds and their distances). */
  note?: string;
}

export interface PlanLegendContext {
  t: Messages;
  lang: Lang;
  /** Uncovered residents drawn as circles (a whole city) rather than grid polygons. */
  gapsAsPoints: boolean;
  /** Service areas are drawn (not for a whole province). */
  showAreas: boolean;
  /** Completeness: null for each kind's GB 50180-2018 distance, else one walking time for all kinds. */
  completenessMinutes: number | null;
  /** Completeness: the number of kinds counted. */
  kindsTotal: number;
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** Rate classes as "< 50%", "50% – 70%", …, "≥ 95%". */
export function rateClassTexts(): string[] {
  return RATE_BREAKS.map((limit, k) => {
    if (k === 0) return `< ${pct(limit)}`;
    const lower = RATE_BREAKS[k - 1]!;
    return k === RATE_BREAKS.length - 1 ? `≥ ${pct(lower)}` : `${pct(lower)} – ${pct(limit)}`;
  });
}

/** Completeness classes as kinds counts ("0–3 类" …, "全部 8 类") for `total` kinds. */
export function completenessClassTexts(total: number, t: Messages, lang: Lang): string[] {
  const unit = lang === 'zh' ? ' 类' : ' kinds';
  const texts: string[] = [];
  for (let k = 0; k < COMPLETENESS_BREAKS.length - 1; k++) {
    const from = Math.ceil(COMPLETENESS_BREAKS[k]! * total - 1e-9);
    const to = Math.min(total - 1, Math.ceil(COMPLETENESS_BREAKS[k + 1]! * total - 1e-9) - 1);
    texts.push(to < from ? '—' : from === to ? `${from}${unit}` : `${from}–${to}${unit}`);
  }
  texts.push(t.planWs.completenessAll.replace('{total}', String(total)));
  return texts;
}

export function planLegendModel(question: PlanQuestion, context: PlanLegendContext): PlanLegendModel {
  const { t, lang } = context;
  const areas = (quiet: boolean): LegendEntry[] =>
    context.showAreas
      ? [
          { color: quiet ? withAlpha(SERVICE_AREA_COLORS.network.line, 110) : SERVICE_AREA_COLORS.network.line, shape: 'outline', text: t.serviceAreaNetwork },
          { color: quiet ? withAlpha(SERVICE_AREA_COLORS['straight-line'].line, 110) : SERVICE_AREA_COLORS['straight-line'].line, shape: 'outline', text: t.serviceAreaStraightLine },
        ]
      : [];
  if (question === 'completeness') {
    const texts = completenessClassTexts(context.kindsTotal, t, lang);
    const note =
      context.completenessMinutes === null
        ? t.planWs.completenessGb +
          LIFE_CIRCLE_KINDS.map((entry) => `${FACILITY_KIND_LABELS[entry.kind][lang]} ${lifeCircleMeters(entry.kind)} ${t.planWs.meters}`).join(lang === 'zh' ? '、' : ', ')
        : t.planWs.completenessOneLimit.replace('{minutes}', String(context.completenessMinutes));
    return { title: t.planWs.completenessLegend, entries: COMPLETENESS_PALETTE.map((color, k) => ({ color, shape: 'fill', text: texts[k]! })), note };
  }
  if (question === 'gaps') {
    return {
      title: t.planWs.question.gaps,
      entries: [{ color: GAP_COLORS.fill, shape: context.gapsAsPoints ? 'dot' : 'fill', text: context.gapsAsPoints ? t.uncoveredPoints : t.uncoveredGrids }, ...areas(true)],
    };
  }
  if (question === 'proposals') {
    return { title: t.planWs.question.proposals, entries: [{ color: DEFAULT_PROPOSAL_COLOR, shape: 'dot', text: t.planWs.question.proposals }, ...areas(true)] };
  }
  const texts = rateClassTexts();
  return {
    title: t.rateLegend,
    entries: [...RATE_PALETTES.light.map((color, k): LegendEntry => ({ color, shape: 'fill', text: texts[k]! })), ...areas(false)],
  };
}

function withAlpha([r, g, b]: Rgba, alpha: number): Rgba {
  return [r, g, b, alpha];
}

/** CSS colour of an RGBA. */
export function cssColor([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}
