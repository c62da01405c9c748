// Legend of hot spot classes with their confidence (Gi* z-scores: 99 / 95 / 90 %), optionally with the
// number of cells per class, and of boundary-line risk levels.

import type { Rgba } from '../layers/color-scales';
import { BOUNDARY_RISK_COLORS, HOTSPOT_CLASSES, hotspotClassColor } from '../layers/hotspot-colors';
import { useI18n } from '../i18n';

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
  const { t } = useI18n();
  const text = t.hotspotLegend;
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
          <figcaption>{t.boundaryRisk}</figcaption>
          <ul>
            {(['high', 'elevated', 'normal'] as const).map((level) => (
              <li key={level}>
                <span className="swatch line" style={swatch(BOUNDARY_RISK_COLORS[level])} />
                {t.riskLevels[level]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </figure>
  );
}
