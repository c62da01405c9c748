// Colour scales for choropleths: quantile class breaks and sequential palettes per theme.

export type Rgba = [number, number, number, number];

/** Sequential palettes, light to dark (ColorBrewer YlGnBu for light maps, a blue-cyan ramp for dark walls). */
export const SEQUENTIAL_PALETTES: Record<'dark' | 'light', Rgba[]> = {
  light: [
    [237, 248, 177, 230],
    [199, 233, 180, 230],
    [127, 205, 187, 230],
    [65, 182, 196, 230],
    [29, 145, 192, 230],
    [34, 94, 168, 230],
    [12, 44, 132, 230],
  ],
  dark: [
    [22, 52, 96, 235],
    [20, 76, 130, 235],
    [18, 104, 160, 235],
    [16, 134, 184, 235],
    [36, 166, 204, 235],
    [86, 198, 222, 235],
    [150, 228, 240, 235],
  ],
};

export const MUTED_FILL: Record<'dark' | 'light', Rgba> = {
  dark: [30, 41, 59, 200],
  light: [214, 220, 228, 220],
};

/** Upper class limits splitting `values` into `classes` groups of about equal size (last = max). */
export function quantileBreaks(values: readonly number[], classes: number): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let k = 1; k <= classes; k++) {
    const value = sorted[Math.min(sorted.length - 1, Math.ceil((k * sorted.length) / classes) - 1)]!;
    if (breaks.length === 0 || value > breaks[breaks.length - 1]!) breaks.push(value);
  }
  return breaks;
}

/** Index of the class holding `value` (the first break ≥ value). */
export function classOf(value: number, breaks: readonly number[]): number {
  for (let i = 0; i < breaks.length; i++) if (value <= breaks[i]!) return i;
  return breaks.length - 1;
}

/** The palette colour of a class when there are `classCount` classes (spread over the whole ramp). */
export function classColor(palette: readonly Rgba[], classIndex: number, classCount: number): Rgba {
  if (classCount <= 1) return palette[Math.floor(palette.length / 2)]!;
  return palette[Math.round((classIndex / (classCount - 1)) * (palette.length - 1))]!;
}
