// Legend of the coverage layers: rate classes of the coloured units, service areas by method and the
// uncovered residents (grid polygons, or circles for a whole city).

import { GAP_COLORS, RATE_BREAKS, RATE_PALETTES, SERVICE_AREA_COLORS } from '../../layers/coverage-colors';
import type { Rgba } from '../../layers/color-scales';
import { useI18n } from '../../i18n';

const css = ([r, g, b, a]: Rgba): string => `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;

export function CoverageLegend({ gapsAsPoints, showAreas }: { gapsAsPoints: boolean; showAreas: boolean }) {
  const { t } = useI18n();
  const palette = RATE_PALETTES.light;
  return (
    <figure className="legend coverage-legend" aria-label={t.rateLegend}>
      <figcaption>{t.rateLegend}</figcaption>
      <ul>
        {RATE_BREAKS.map((limit, k) => {
          const lower = k === 0 ? null : RATE_BREAKS[k - 1]!;
          const text = lower === null ? `< ${limit * 100}%` : k === RATE_BREAKS.length - 1 ? `≥ ${lower * 100}%` : `${lower * 100}% – ${limit * 100}%`;
          return (
            <li key={limit}>
              <span className="swatch" style={{ background: css(palette[k]!) }} />
              {text}
            </li>
          );
        })}
        {showAreas && (
          <>
            <li>
              <span className="swatch" style={{ background: css(SERVICE_AREA_COLORS.network.fill), outline: `1px solid ${css(SERVICE_AREA_COLORS.network.line)}` }} />
              {t.serviceAreaNetwork}
            </li>
            <li>
              <span className="swatch" style={{ background: css(SERVICE_AREA_COLORS['straight-line'].fill), outline: `1px solid ${css(SERVICE_AREA_COLORS['straight-line'].line)}` }} />
              {t.serviceAreaStraightLine}
            </li>
            <li>
              <span className={gapsAsPoints ? 'swatch swatch-dot' : 'swatch'} style={{ background: css(GAP_COLORS.fill) }} />
              {gapsAsPoints ? t.uncoveredPoints : t.uncoveredGrids}
            </li>
          </>
        )}
      </ul>
    </figure>
  );
}
