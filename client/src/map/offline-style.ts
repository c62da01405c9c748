// The offline MapLibre style: a background and the project's own layers only, no sources outside this
// server and no `glyphs` entry, so MapLibre draws every label locally with the system's CJK font.

import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';

export type MapTheme = 'dark' | 'light';

export const THEME_COLORS = {
  dark: { background: '#07101f', label: '#e8f1ff', labelHalo: '#07101f' },
  light: { background: '#eef2f6', label: '#1d2733', labelHalo: '#ffffff' },
} as const;

export const LABEL_SOURCE = 'atlas-labels';
export const LABEL_LAYER = 'atlas-labels';

/** Label size by zoom, times `scale` (walls read from metres away use larger type). */
export function labelTextSize(scale: number): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 5, 12 * scale, 9, 16 * scale];
}

export function createOfflineStyle(theme: MapTheme): StyleSpecification {
  const colors = THEME_COLORS[theme];
  return {
    version: 8,
    name: `pingan-atlas-${theme}`,
    sources: {
      [LABEL_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': colors.background } },
      {
        id: LABEL_LAYER,
        type: 'symbol',
        source: LABEL_SOURCE,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': ['Noto Sans CJK SC', 'sans-serif'],
          'text-size': labelTextSize(1),
          'text-max-width': 8,
          'text-allow-overlap': false,
          'text-padding': 4,
        },
        paint: {
          'text-color': colors.label,
          'text-halo-color': colors.labelHalo,
          'text-halo-width': 1.5,
        },
      },
    ],
  };
}
