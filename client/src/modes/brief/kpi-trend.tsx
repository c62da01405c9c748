// The selected KPI over its slices as an ECharts chart (loaded after the first view, with ECharts).

import { useMemo } from 'react';
import type { BriefKpiCard } from '../../api-types';
import { chartStyle } from '../../charts/chart-theme';
import { kpiTrendChartOption } from '../../charts/kpi-trend-chart';
import { EChart } from '../../components/echart';
import { useI18n } from '../../i18n';
import { BRIEF_TEXT, fill } from './brief-text';
import { seriesText, targetText } from './kpi-cards';

/** Chart type at tablet size (the wall's 1920-px design scaled down). */
const TABLET_DISPLAY_WIDTH = 1700;

export default function KpiTrend({ card }: { card: BriefKpiCard }) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const option = useMemo(
    () =>
      kpiTrendChartOption(card.series, chartStyle('light', TABLET_DISPLAY_WIDTH), {
        unit: card.unit,
        target: card.target,
        label: card.label[lang],
        targetLabel: targetText(card, lang),
        lang,
      }),
    [card, lang],
  );
  const title = fill(text.trendOf, { kpi: card.label[lang] });
  return (
    <figure className="brief-trend" data-kpi={card.id}>
      <figcaption>
        {title}
        {card.series.some((slice) => slice.partial) && <small> · {text.partialSlice}</small>}
      </figcaption>
      <EChart option={option} label={seriesText(card, lang)} className="echart brief-trend-chart" />
    </figure>
  );
}
