// Colours of hot spot classes (diverging red–blue, ArcGIS's Gi_Bin convention), emerging hot spot
// categories and boundary-line risk levels, for dark video walls and light screens.

import type { BoundaryRiskLevel, EmergingCellProperties } from '../api-types';
import type { Rgba } from './color-scales';

/** Hot spot class (−3 … +3) → colour; class 0 is drawn transparent unless asked for. */
export const HOTSPOT_CLASS_COLORS: Record<'dark' | 'light', Record<number, Rgba>> = {
  light: {
    3: [215, 48, 39, 220],
    2: [252, 141, 89, 210],
    1: [254, 224, 144, 200],
    0: [200, 200, 200, 60],
    [-1]: [224, 243, 248, 200],
    [-2]: [145, 191, 219, 210],
    [-3]: [69, 117, 180, 220],
  },
  dark: {
    3: [255, 59, 48, 230],
    2: [255, 138, 76, 215],
    1: [255, 204, 102, 200],
    0: [120, 130, 150, 50],
    [-1]: [130, 200, 235, 190],
    [-2]: [70, 150, 230, 210],
    [-3]: [40, 100, 220, 230],
  },
};

/** The classes in legend order, hottest first. */
export const HOTSPOT_CLASSES = [3, 2, 1, 0, -1, -2, -3] as const;

/** Colour of a class (unknown classes: transparent). */
export function hotspotClassColor(theme: 'dark' | 'light', cls: number): Rgba {
  return HOTSPOT_CLASS_COLORS[theme][cls] ?? [0, 0, 0, 0];
}

/** Emerging categories → colour: reds for hot patterns (darker = more established), blues for cold. */
export const EMERGING_CATEGORY_COLORS: Record<EmergingCellProperties['category'], Rgba> = {
  none: [0, 0, 0, 0],
  newHot: [255, 214, 102, 220],
  consecutiveHot: [255, 170, 60, 220],
  intensifyingHot: [204, 0, 0, 235],
  persistentHot: [230, 70, 50, 225],
  diminishingHot: [240, 130, 130, 215],
  sporadicHot: [250, 180, 170, 200],
  oscillatingHot: [200, 120, 200, 210],
  historicalHot: [160, 110, 100, 200],
  newCold: [200, 230, 255, 210],
  consecutiveCold: [150, 200, 245, 215],
  intensifyingCold: [20, 70, 170, 235],
  persistentCold: [50, 110, 200, 225],
  diminishingCold: [130, 170, 220, 215],
  sporadicCold: [180, 210, 235, 200],
  oscillatingCold: [150, 140, 220, 210],
  historicalCold: [110, 130, 160, 200],
};

/** Boundary risk level → line colour. */
export const BOUNDARY_RISK_COLORS: Record<BoundaryRiskLevel, Rgba> = {
  high: [230, 40, 40, 255],
  elevated: [255, 160, 40, 240],
  normal: [120, 170, 140, 180],
};
