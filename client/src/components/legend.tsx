// Choropleth legend: one swatch per class with its upper limit.

import type { ReactNode } from 'react';
import type { Rgba } from '../layers/color-scales';
import { classColor } from '../layers/color-scales';
import { formatPopulation } from '../format';
import { useI18n } from '../i18n';

export function Legend({
  title,
  breaks,
  palette,
  format,
  children,
}: {
  title: string;
  breaks: number[];
  palette: Rgba[];
  /** How a class limit is written (default: a population as the UI language writes it). */
  format?: (value: number) => string;
  /** Further entries below the classes (e.g. a point symbol). */
  children?: ReactNode;
}) {
  const { lang } = useI18n();
  if (breaks.length === 0) return null;
  const text = format ?? ((value: number) => formatPopulation(value, lang));
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
              {lower === null ? `≤ ${text(limit)}` : `${text(lower)} – ${text(limit)}`}
            </li>
          );
        })}
      </ul>
      {children}
    </figure>
  );
}
