// Local projection between WGS84 lon/lat (degrees) and planar x/y (metres) around a reference point:
// equirectangular with the WGS84 ellipsoid's radii of curvature at the reference latitude. Distortion
// stays below 0.1 % within about 50 km of the reference, which is what county-sized analyses need.

const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

export interface LocalProjection {
  /** Reference point [lng, lat] in degrees. */
  readonly origin: readonly [number, number];
  /** Metres east per degree of longitude and north per degree of latitude at the origin. */
  readonly metersPerDegreeLng: number;
  readonly metersPerDegreeLat: number;
  /** [lng, lat] degrees → [x, y] metres. */
  toXY(lngLat: readonly number[]): [number, number];
  /** [x, y] metres → [lng, lat] degrees. */
  toLngLat(xy: readonly number[]): [number, number];
}

export function createLocalProjection(originLng: number, originLat: number): LocalProjection {
  const phi = (originLat * Math.PI) / 180;
  const sinPhi = Math.sin(phi);
  const w = Math.sqrt(1 - WGS84_E2 * sinPhi * sinPhi);
  const primeVertical = WGS84_A / w;
  const meridional = (WGS84_A * (1 - WGS84_E2)) / (w * w * w);
  const metersPerDegreeLng = (Math.PI / 180) * primeVertical * Math.cos(phi);
  const metersPerDegreeLat = (Math.PI / 180) * meridional;
  return {
    origin: [originLng, originLat],
    metersPerDegreeLng,
    metersPerDegreeLat,
    toXY: (lngLat) => [(lngLat[0]! - originLng) * metersPerDegreeLng, (lngLat[1]! - originLat) * metersPerDegreeLat],
    toLngLat: (xy) => [originLng + xy[0]! / metersPerDegreeLng, originLat + xy[1]! / metersPerDegreeLat],
  };
}
