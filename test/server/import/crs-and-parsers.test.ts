// Coordinate systems and geometry parsers of the importer: the Gauss-Krüger zones derived from their EPSG
// numbers against GDAL's EPSG database (gdalsrsinfo), .prj parsing, and WKT/WKB/format detection fuzzed
// with fast-check (they either parse or throw an Error; WKT written from random polygons parses back).

import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createCrsConverter, crsOfWkt, gaussKrugerCrs, parseCrsOption } from '../../../server/ingest/import/crs';
import { parseGeoPackageGeometry, parseWkb, parseWkt } from '../../../server/ingest/import/geometry-text';
import { detectFormat } from '../../../server/ingest/import/read';
import { findUnsafeEntryName } from '../../../server/ingest/import/read-zip';
import { detectTextEncoding, normaliseEncoding } from '../../../server/ingest/import/read-shapefile';

/** GDAL's PROJ.4 string of an EPSG code. */
function gdalProj4(epsg: number): string {
  return execFileSync('gdalsrsinfo', ['-o', 'proj4', `EPSG:${epsg}`], { encoding: 'utf8' }).trim();
}

const parameter = (proj: string, name: string): number => Number(new RegExp(`\\+${name}=(-?[\\d.]+)`).exec(proj)?.[1]);

describe('CGCS2000 Gauss-Krüger zones', () => {
  it('match GDAL for every EPSG code 4491–4554 (central meridian, false easting, scale, ellipsoid)', () => {
    for (let epsg = 4491; epsg <= 4554; epsg++) {
      const ours = gaussKrugerCrs(epsg);
      expect(ours?.kind, `EPSG:${epsg}`).toBe('projected');
      const theirs = gdalProj4(epsg);
      const proj = (ours as { proj4: string }).proj4;
      for (const name of ['lon_0', 'x_0', 'y_0', 'k', 'lat_0']) expect(parameter(proj, name), `EPSG:${epsg} +${name}`).toBe(parameter(theirs, name));
      expect(theirs).toMatch(/\+ellps=GRS80/);
    }
    expect(gaussKrugerCrs(4490)).toBeNull();
    expect(gaussKrugerCrs(4555)).toBeNull();
  });

  it('Liaoning (EPSG:4549–4551) converts points GDAL projected back to the same 6-decimal position', () => {
    const points: [number, Position][] = [[4549, [121.5, 41.2]], [4550, [123.43, 41.8]], [4551, [125.3, 40.1]]];
    for (const [epsg, lngLat] of points) {
      const projected = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', `EPSG:${epsg}`], { input: `${lngLat[0]} ${lngLat[1]}\n`, encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .map(Number);
      // gdaltransform reads and writes x (easting, longitude) first.
      expect(projected[0]).toBeGreaterThan(100_000);
      const back = createCrsConverter(parseCrsOption(`EPSG:${epsg}`))([projected[0]!, projected[1]!]);
      // Rounded to 6 decimals (≈ 0.1 m): the same 6-decimal position as the original.
      expect(back).toEqual(lngLat);
    }
  });

  it('reads ESRI .prj text as ogr2ogr writes it, and refuses other datums', () => {
    const prj =
      'PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],' +
      'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],' +
      'PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const crs = crsOfWkt(prj);
    expect(crs.kind === 'projected' && parameter(crs.proj4, 'lon_0')).toBe(123);
    expect(crsOfWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]')).toMatchObject({ kind: 'geographic', system: 'WGS84' });
    expect(() => crsOfWkt('PROJCS["Beijing_1954_3_Degree_GK_CM_123E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]]')).toThrow(/not WGS84 or CGCS2000/);
    expect(() => parseCrsOption('EPSG:3857')).toThrow(/not supported/);
    expect(() => parseCrsOption('mars')).toThrow(/--crs must be/);
  });
});

describe('geometry text and binary', () => {
  // -0 prints as "0": compare positions without the sign of zero.
  const coordinate = fc.double({ min: -180, max: 180, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
  const ring = fc.array(fc.tuple(coordinate, coordinate), { minLength: 3, maxLength: 12 }).map((points) => [...points, points[0]!] as Position[]);
  const polygon = fc.array(ring, { minLength: 1, maxLength: 3 });

  it('parses WKT written from random (multi)polygons back to the same coordinates', () => {
    const ringText = (r: Position[]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(', ')})`;
    fc.assert(
      fc.property(fc.array(polygon, { minLength: 1, maxLength: 3 }), (polygons) => {
        const text = `MULTIPOLYGON (${polygons.map((p) => `(${p.map(ringText).join(', ')})`).join(', ')})`;
        expect(parseWkt(text)).toEqual({ type: 'MultiPolygon', coordinates: polygons });
      }),
    );
    expect(parseWkt('POINT Z (1 2 3)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('SRID=4326;MULTIPOINT ((1 2), (3 4))')).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
  });

  it('WKT, WKB, GeoPackage blobs and format detection on arbitrary input: a result or an Error, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseWkt(text);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toMatch(/^bad WKT/);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const parse of [() => parseWkb(bytes), () => parseGeoPackageGeometry(bytes), () => detectFormat('file.csv', Buffer.from(bytes))]) {
          try {
            parse();
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).message).not.toMatch(/undefined|offset is outside/i);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('WKB of a polygon (little and big endian, ISO Z)', () => {
    const polygonWkb = (little: boolean, type: number) => {
      const view = new DataView(new ArrayBuffer(9 + 4 + 4 * 24));
      view.setUint8(0, little ? 1 : 0);
      view.setUint32(1, type, little);
      view.setUint32(5, 1, little);
      view.setUint32(9, 4, little);
      const points = [[0, 0], [1, 0], [1, 1], [0, 0]];
      const dims = type > 1000 ? 3 : 2;
      points.forEach(([x, y], i) => {
        view.setFloat64(13 + i * 8 * dims, x!, little);
        view.setFloat64(13 + i * 8 * dims + 8, y!, little);
      });
      return new Uint8Array(view.buffer, 0, 13 + 4 * 8 * dims);
    };
    const expected = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    expect(parseWkb(polygonWkb(true, 3)).geometry).toEqual(expected);
    expect(parseWkb(polygonWkb(false, 3)).geometry).toEqual(expected);
    expect(parseWkb(polygonWkb(true, 1003)).geometry).toEqual(expected);
  });
});

describe('encodings and zip member names', () => {
  it('detects UTF-8 and falls back to GB18030; names code pages', () => {
    expect(detectTextEncoding(new TextEncoder().encode('和平区'))).toBe('utf-8');
    // 和平区 in GBK.
    const gbk = new Uint8Array([0xba, 0xcd, 0xc6, 0xbd, 0xc7, 0xf8]);
    expect(detectTextEncoding(gbk)).toBe('gb18030');
    expect(new TextDecoder('gb18030').decode(gbk)).toBe('和平区');
    expect(normaliseEncoding('936')).toBe('gbk');
    expect(normaliseEncoding('UTF-8')).toBe('utf-8');
    expect(normaliseEncoding('GB18030')).toBe('gb18030');
    expect(normaliseEncoding('klingon')).toBeNull();
  });

  it('refuses absolute and traversing member names', () => {
    expect(findUnsafeEntryName('a/b.shp')).toBeNull();
    expect(findUnsafeEntryName('../b.shp')).toMatch(/path traversal/);
    expect(findUnsafeEntryName('a/../../b.shp')).toMatch(/path traversal/);
    expect(findUnsafeEntryName('/etc/b.shp')).toMatch(/absolute/);
    expect(findUnsafeEntryName('C:\\b.shp')).toMatch(/absolute/);
  });
});
