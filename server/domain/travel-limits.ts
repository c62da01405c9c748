// Walking-time and distance limits of the service circles: speeds (4 km/h; elderly 3 km/h), minutes to
// metres, GB 50180-2018 life-circle distances, and the stated parameters every answer carries (snap
// distance to the network, the detour factor of the straight-line fallback, the polygons' buffer).

/** Default walking speed, km/h (≈ 67 m/min; DESIGN.md). */
export const DEFAULT_SPEED_KMH = 4;

/** Named speed presets, km/h. */
export const SPEED_PRESETS_KMH = { standard: 4, elderly: 3 } as const;
export type SpeedPreset = keyof typeof SPEED_PRESETS_KMH;

/**
 * GB 50180-2018 (城市居住区规划设计标准) life-circle walking distances by minutes: the 5-minute circle
 * 300 m, the 10-minute 500 m, the 15-minute 800–1,000 m (the upper figure used here), metres.
 */
export const GB50180_METERS_BY_MINUTES: Readonly<Record<5 | 10 | 15, number>> = { 5: 300, 10: 500, 15: 1000 };

/** Points (homes, facilities) farther than this from every edge are off the network, metres. */
export const DEFAULT_MAX_SNAP_METERS = 300;

/** Where there is no network: straight-line distance × this factor stands for the walk. */
export const DEFAULT_DETOUR_FACTOR = 1.3;

/** Service-area polygons reach this far beyond the reachable network, metres. */
export const DEFAULT_BUFFER_METERS = 50;

/** Metres walked in `minutes` at `speedKmh`. */
export function metersForMinutes(minutes: number, speedKmh: number = DEFAULT_SPEED_KMH): number {
  return (minutes * speedKmh * 1000) / 60;
}

/**
 * How a limit is given: 'time' = minutes at a walking speed (or metres directly); 'gb50180' = the
 * standard's life-circle distances for 5, 10 or 15 minutes.
 */
export type DistanceMode = 'time' | 'gb50180';

/** A travel limit resolved to metres, with what it was made from. */
export interface TravelLimit {
  mode: DistanceMode;
  /** The limit as a walking distance, metres. */
  maxMeters: number;
  /** The limit in minutes, when given in minutes. */
  maxMinutes: number | null;
  /** Walking speed, km/h, when the limit is a time at a speed. */
  speedKmh: number | null;
}

export interface TravelLimitRequest {
  maxMinutes?: number;
  maxMeters?: number;
  speedKmh?: number;
  mode?: DistanceMode;
}

/**
 * The rules of a limit, checked once for every caller: exactly one of maxMinutes and maxMeters;
 * speedKmh only with maxMinutes in time mode; in 'gb50180' mode maxMinutes must be 5, 10 or 15.
 * Returns the field at fault and why, or null when the limit is well formed.
 */
export function checkOneLimit(request: TravelLimitRequest): { field: keyof TravelLimitRequest; message: string } | null {
  const mode = request.mode ?? 'time';
  if ((request.maxMinutes === undefined) === (request.maxMeters === undefined)) {
    return { field: 'maxMinutes', message: 'give exactly one of maxMinutes and maxMeters' };
  }
  if (request.maxMeters !== undefined) {
    if (mode !== 'time') return { field: 'mode', message: '"gb50180" takes maxMinutes (5, 10 or 15), not maxMeters' };
    if (request.speedKmh !== undefined) return { field: 'speedKmh', message: 'applies to maxMinutes only' };
    return null;
  }
  if (mode === 'gb50180') {
    if (request.speedKmh !== undefined) return { field: 'speedKmh', message: 'the GB 50180 mode uses fixed distances, not a speed' };
    if (GB50180_METERS_BY_MINUTES[request.maxMinutes as 5 | 10 | 15] === undefined) {
      return { field: 'maxMinutes', message: `the GB 50180 mode has 5, 10 and 15 minute circles, got ${request.maxMinutes}` };
    }
  }
  return null;
}

/** Resolves a limit to metres (see checkOneLimit); throws a RangeError "field: why" when it is malformed. */
export function resolveTravelLimit(request: TravelLimitRequest): TravelLimit {
  const problem = checkOneLimit(request);
  if (problem) throw new RangeError(`${problem.field}: ${problem.message}`);
  const mode = request.mode ?? 'time';
  if (request.maxMeters !== undefined) return { mode, maxMeters: request.maxMeters, maxMinutes: null, speedKmh: null };
  const minutes = request.maxMinutes!;
  if (mode === 'gb50180') return { mode, maxMeters: GB50180_METERS_BY_MINUTES[minutes as 5 | 10 | 15], maxMinutes: minutes, speedKmh: null };
  const speedKmh = request.speedKmh ?? DEFAULT_SPEED_KMH;
  return { mode, maxMeters: metersForMinutes(minutes, speedKmh), maxMinutes: minutes, speedKmh };
}

/** One line saying how a limit was measured (Chinese and English), for legends and exports. */
export function describeTravelLimit(limit: TravelLimit, detourFactor: number = DEFAULT_DETOUR_FACTOR): { zh: string; en: string } {
  const meters = Math.round(limit.maxMeters).toLocaleString('en-US');
  const zhLimit =
    limit.mode === 'gb50180'
      ? `GB 50180-2018 ${limit.maxMinutes} 分钟生活圈（${meters} m）`
      : limit.maxMinutes !== null
        ? `步行 ${limit.maxMinutes} 分钟（${limit.speedKmh} km/h，${meters} m）`
        : `步行 ${meters} m`;
  const enLimit =
    limit.mode === 'gb50180'
      ? `GB 50180-2018 ${limit.maxMinutes}-minute life circle (${meters} m)`
      : limit.maxMinutes !== null
        ? `${limit.maxMinutes} min walk (${limit.speedKmh} km/h, ${meters} m)`
        : `${meters} m walk`;
  return {
    zh: `${zhLimit}，沿步行路网；无路网处按直线距离 × 绕行系数 ${detourFactor}`,
    en: `${enLimit} over the walking network; straight-line distance × detour factor ${detourFactor} where there is none`,
  };
}
