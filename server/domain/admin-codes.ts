// Admin levels and NBS division codes (统计用区划代码): the levels province → community, each level's code
// length, grid codes, zero-padded 12-digit codes, and jurisdiction as a code-prefix test.

export const ADMIN_LEVELS = ['province', 'city', 'county', 'street', 'community'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/** Number of code digits at each level (NBS codes without their trailing zeros). */
export const ADMIN_CODE_LENGTH: Readonly<Record<AdminLevel, number>> = {
  province: 2,
  city: 4,
  county: 6,
  street: 9,
  community: 12,
};

/** Grid (网格) codes are their community's code plus three digits. */
export const GRID_CODE_LENGTH = 15;

/** Levels a unit can be grouped by, grids included. */
export const UNIT_LEVELS = [...ADMIN_LEVELS, 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Code length of any unit level, grids included. */
export function codeLengthOf(level: UnitLevel): number {
  return level === 'grid' ? GRID_CODE_LENGTH : ADMIN_CODE_LENGTH[level];
}

/** Levels of the boundary lines between adjacent units. */
export const BOUNDARY_LEVELS = ['province', 'city', 'county', 'street'] as const;
export type BoundaryLevel = (typeof BOUNDARY_LEVELS)[number];

export const ADMIN_LEVEL_LABELS: Readonly<Record<UnitLevel, { zh: string; en: string }>> = {
  province: { zh: '省', en: 'province' },
  city: { zh: '市', en: 'city' },
  county: { zh: '县区', en: 'county' },
  street: { zh: '街道乡镇', en: 'street/town' },
  community: { zh: '社区村', en: 'community/village' },
  grid: { zh: '网格', en: 'grid' },
};

/** The level of a code by its length (grids included), or null for a length no level has. */
export function levelOfCode(code: string): UnitLevel | null {
  return UNIT_LEVELS.find((level) => codeLengthOf(level) === code.length) ?? null;
}

/** The level below (province → city … street → community → grid); null below grids. */
export function childLevelOf(level: UnitLevel): UnitLevel | null {
  return UNIT_LEVELS[UNIT_LEVELS.indexOf(level) + 1] ?? null;
}

/** Strips the zero padding of a 12-digit code down to its level's own length ("210103000000" → "210103"). */
export function normalizeAdminCode(code: string): string {
  if (code.length !== 12) return code;
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/** Whether `code` lies inside (or is) the unit `within`: jurisdiction is a code-prefix test. */
export function isWithin(code: string, within: string): boolean {
  return code.startsWith(within);
}
