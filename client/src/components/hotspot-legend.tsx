// Legend of hot spot classes with their confidence (Gi* z-scores: 99 / 95 / 90 %), optionally with the
// number of cells per class, and of boundary-line risk levels.

import type { Rgba } from '../layers/color-scales';
import { BOUNDARY_RISK_COLORS, HOTSPOT_CLASSES, hotspotClassColor } from '../layers/hotspot-colors';
import { useI18n, type Lang } from '../i18n';

const LABELS: Record<Lang, { title: string; fdr: string; hot: string; cold: string; none: string; risk: string; high: string; elevated: string; normal: string }> = {
  zh: {
    title: '矛盾纠纷热点（Gi*）',
    fdr: '已控制错误发现率',
    hot: '热点',
    cold: '冷点',
    none: '不显著',
    risk: '边界线风险',
    high: '高',
    elevated: '较高',
    normal: '一般',
  },
  en: {
    title: 'Dispute hot spots (Gi*)',
    fdr: 'false-discovery-rate controlled',
    hot: 'Hot spot',
    cold: 'Cold spot',
    none: 'Not significant',
    risk: 'Boundary-line risk',
    high: 'High',
    elevated: 'Elevated',
    normal: 'Normal',
  },
};

const CONFIDENCE: Record<number, string> = { 3: '99%', 2: '95%', 1: '90%' };

const swatch = ([r, g, b, a]: Rgba) => ({ background: `rgba(${r}, ${g}, ${b}, ${Math.max(a, 60) / 255})` });

export function HotspotLegend({
  theme,
  classCounts,
  fdr = false,
  showBoundaryRisk = false,
}: {
  theme: 'dark' | 'light';
  /** Cells per class ('-3' … '3'), as hotspots.cells answers. */
  classCounts?: Record<string, number>;
  fdr?: boolean;
  showBoundaryRisk?: boolean;
}) {
  const { lang } = useI18n();
  const text = LABELS[lang];
  return (
    <figure className="legend hotspot-legend" aria-label={text.title}>
      <figcaption>
        {text.title}
        {fdr ? <small> · {text.fdr}</small> : null}
      </figcaption>
      <ul>
        {HOTSPOT_CLASSES.map((cls) => (
          <li key={cls}>
            <span className="swatch" style={swatch(hotspotClassColor(theme, cls))} />
            {cls === 0 ? text.none : `${cls > 0 ? text.hot : text.cold} ${CONFIDENCE[Math.abs(cls)]}`}
            {classCounts ? <span className="legend-count"> {classCounts[String(cls)] ?? 0}</span> : null}
          </li>
        ))}
      </ul>
      {showBoundaryRisk ? (
        <>
          <figcaption>{text.risk}</figcaption>
          <ul>
            {(['high', 'elevated', 'normal'] as const).map((level) => (
              <li key={level}>
                <span className="swatch line" style={swatch(BOUNDARY_RISK_COLORS[level])} />
                {text[level]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </figure>
  );
}
