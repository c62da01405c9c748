// Choropleth legend: one swatch per class with its upper limit.

import type { Rgba } from '../layers/color-scales';
import { classColor } from '../layers/color-scales';
import { formatPopulation, useI18n } from '../i18n';

export function Legend({ title, breaks, palette }: { title: string; breaks: number[]; palette: Rgba[] }) {
  const { lang } = useI18n();
  if (breaks.length === 0) return null;
  return (
    <figure className="legend" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ul>
        {breaks.map((limit, index) => {
          const [r, g, b] = classColor(palette, index, breaks.length);
          const lower = index === 0 ? null : breaks[index - 1]!;
          return (
            <li key={limit}>
              <span className="swatch" style={{ background: `rgb(${r}, ${g}, ${b})` }} />
              {lower === null ? `≤ ${formatPopulation(limit, lang)}` : `${formatPopulation(lower, lang)} – ${formatPopulation(limit, lang)}`}
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
