// Source coordinate systems of an import: parsed from the --crs option or a .prj/GeoPackage WKT, and a
// converter to WGS84. Geographic WGS84/CGCS2000, GCJ-02 and BD-09 go through gcoord; the CGCS2000
// Gauss-Krüger zones (EPSG:4491–4554) through proj4, their definitions derived from the EPSG numbering.

import proj4 from 'proj4';
import type { Position } from 'geojson';
import { createWgs84Converter, roundDegrees, type SourceCrs } from '../coordinate-systems';

/** A resolved source system: geographic (with its offset scheme) or a Transverse Mercator projection. */
export type ImportCrs =
  | { kind: 'geographic'; system: SourceCrs; label: string }
  | { kind: 'projected'; proj4: string; label: string; epsg: number | null };

export const WGS84_CRS: ImportCrs = { kind: 'geographic', system: 'WGS84', label: 'WGS84 (EPSG:4326)' };
const GEOGRAPHIC: Record<SourceCrs, ImportCrs> = {
  WGS84: WGS84_CRS,
  CGCS2000: { kind: 'geographic', system: 'CGCS2000', label: 'CGCS2000 (EPSG:4490)' },
  GCJ02: { kind: 'geographic', system: 'GCJ02', label: 'GCJ-02' },
  BD09: { kind: 'geographic', system: 'BD09', label: 'BD-09' },
};

/** A Transverse Mercator on the GRS80 ellipsoid (CGCS2000), metres. */
function gaussKrugerProj4(centralMeridian: number, falseEasting: number, scale = 1, falseNorthing = 0, latitudeOfOrigin = 0): string {
  return `+proj=tmerc +lat_0=${latitudeOfOrigin} +lon_0=${centralMeridian} +k=${scale} +x_0=${falseEasting} +y_0=${falseNorthing} +ellps=GRS80 +units=m +no_defs`;
}

/**
 * The CGCS2000 Gauss-Krüger system of an EPSG code, or null outside 4491–4554. EPSG numbers them in four
 * runs: 4491–4501 6° zones 13–23 (zone number prefixed to the easting), 4502–4512 6° by central meridian
 * 75°E–135°E, 4513–4533 3° zones 25–45 (prefixed), 4534–4554 3° by central meridian 75°E–135°E.
 */
export function gaussKrugerCrs(epsg: number): ImportCrs | null {
  let centralMeridian: number;
  let falseEasting = 500_000;
  let label: string;
  if (epsg >= 4491 && epsg <= 4501) {
    const zone = 13 + (epsg - 4491);
    centralMeridian = zone * 6 - 3;
    falseEasting = zone * 1_000_000 + 500_000;
    label = `CGCS2000 / Gauss-Kruger zone ${zone}`;
  } else if (epsg >= 4502 && epsg <= 4512) {
    centralMeridian = 75 + (epsg - 4502) * 6;
    label = `CGCS2000 / Gauss-Kruger CM ${centralMeridian}E`;
  } else if (epsg >= 4513 && epsg <= 4533) {
    const zone = 25 + (epsg - 4513);
    centralMeridian = zone * 3;
    falseEasting = zone * 1_000_000 + 500_000;
    label = `CGCS2000 / 3-degree Gauss-Kruger zone ${zone}`;
  } else if (epsg >= 4534 && epsg <= 4554) {
    centralMeridian = 75 + (epsg - 4534) * 3;
    label = `CGCS2000 / 3-degree Gauss-Kruger CM ${centralMeridian}E`;
  } else {
    return null;
  }
  return { kind: 'projected', proj4: gaussKrugerProj4(centralMeridian, falseEasting), label: `${label} (EPSG:${epsg})`, epsg };
}

/** The system an EPSG code names, or null when the importer does not know it. */
export function crsOfEpsg(epsg: number): ImportCrs | null {
  if (epsg === 4326) return GEOGRAPHIC.WGS84;
  if (epsg === 4490) return GEOGRAPHIC.CGCS2000;
  return gaussKrugerCrs(epsg);
}

/** The --crs option: wgs84 | cgcs2000 | gcj02 | bd09 | EPSG:nnnn; throws a message naming the option. */
export function parseCrsOption(text: string): ImportCrs {
  const key = text.trim().toLowerCase().replace(/[-_]/g, '');
  if (key === 'wgs84') return GEOGRAPHIC.WGS84;
  if (key === 'cgcs2000') return GEOGRAPHIC.CGCS2000;
  if (key === 'gcj02') return GEOGRAPHIC.GCJ02;
  if (key === 'bd09') return GEOGRAPHIC.BD09;
  const epsg = /^epsg:(\d+)$/.exec(key);
  if (epsg) {
    const crs = crsOfEpsg(Number(epsg[1]));
    if (crs) return crs;
    throw new Error(`--crs: EPSG:${epsg[1]} is not supported (EPSG:4326, 4490, and the CGCS2000 Gauss-Kruger zones 4491–4554 are)`);
  }
  throw new Error(`--crs must be wgs84, cgcs2000, gcj02, bd09 or EPSG:nnnn, got "${text}"`);
}

/** The number after a WKT keyword's name, e.g. PARAMETER["Central_Meridian",123.0]. */
function wktParameter(wkt: string, names: readonly string[]): number | null {
  for (const name of names) {
    const match = new RegExp(`PARAMETER\\s*\\[\\s*"${name}"\\s*,\\s*(-?[\\d.eE+-]+)`, 'i').exec(wkt);
    if (match) return Number(match[1]);
  }
  return null;
}

/**
 * The system an ESRI .prj or OGC WKT describes: geographic WGS84/CGCS2000, or a Transverse Mercator on
 * the CGCS2000 (GRS80) ellipsoid, read from its parameters. Throws a message naming what is not supported
 * (other projections, other datums such as Beijing 1954 or Xian 1980).
 */
export function crsOfWkt(wkt: string): ImportCrs {
  const text = wkt.trim();
  const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text);
  if (authority) {
    const crs = crsOfEpsg(Number(authority[1]));
    if (crs) return crs;
  }
  const upper = text.toUpperCase();
  const datumIsCgcsOrWgs = /CGCS|CHINA_GEODETIC|CHINA GEODETIC|CHINA_2000|WGS_?1984|WGS 84|WGS84|GRS_?1980|GRS 1980/.test(upper);
  if (/BEIJING|XIAN|KRASSOWSKY|KRASOVSKY|IAG_?1975|IAG 1975/.test(upper) || !datumIsCgcsOrWgs) {
    throw new Error(`the coordinate system is not WGS84 or CGCS2000 (${text.slice(0, 80)}…); reproject it first or declare --crs`);
  }
  if (!/^PROJCS|^PROJCRS/.test(upper)) {
    return /CGCS|CHINA/.test(upper) ? GEOGRAPHIC.CGCS2000 : GEOGRAPHIC.WGS84;
  }
  if (!/TRANSVERSE_MERCATOR|GAUSS_KRUGER|GAUSS-KRUGER|TRANSVERSE MERCATOR/.test(upper)) {
    throw new Error(`only Transverse Mercator (Gauss-Kruger) projections are supported, not ${text.slice(0, 80)}…`);
  }
  const centralMeridian = wktParameter(text, ['Central_Meridian', 'central_meridian', 'Longitude of natural origin']);
  if (centralMeridian === null) throw new Error('the projection has no central meridian');
  const falseEasting = wktParameter(text, ['False_Easting', 'false_easting', 'False easting']) ?? 0;
  const falseNorthing = wktParameter(text, ['False_Northing', 'false_northing', 'False northing']) ?? 0;
  const scale = wktParameter(text, ['Scale_Factor', 'scale_factor', 'Scale factor at natural origin']) ?? 1;
  const latitudeOfOrigin = wktParameter(text, ['Latitude_Of_Origin', 'latitude_of_origin', 'Latitude of natural origin']) ?? 0;
  const name = /^PROJ\w*\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? 'Transverse Mercator';
  return {
    kind: 'projected',
    proj4: gaussKrugerProj4(centralMeridian, falseEasting, scale, falseNorthing, latitudeOfOrigin),
    label: `${name} (CM ${centralMeridian}E)`,
    epsg: null,
  };
}

/** A converter of source positions to WGS84 [lng, lat], rounded to 6 decimals; shared vertices stay shared. */
export function createCrsConverter(crs: ImportCrs): (position: Position) => Position {
  if (crs.kind === 'geographic') return createWgs84Converter(crs.system);
  const projection = proj4(crs.proj4, 'WGS84');
  return (position) => {
    const [lng, lat] = projection.forward([position[0]!, position[1]!]);
    return [roundDegrees(lng!), roundDegrees(lat!)];
  };
}

/** Whether positions look like degrees (|x| ≤ 180, |y| ≤ 90) rather than metres. */
export function looksGeographic(x: number, y: number): boolean {
  return Math.abs(x) <= 180 && Math.abs(y) <= 90;
}
