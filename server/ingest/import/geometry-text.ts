// Geometry encodings of tabular and GeoPackage sources: OGC Well-Known Text (CSV/XLSX "wkt" columns) and
// Well-Known Binary (ISO and extended Z/M type codes), both to GeoJSON geometry, 2D (Z and M dropped).

import type { Geometry, Position } from 'geojson';

/** Parses WKT (POINT, LINESTRING, POLYGON, MULTI…, optional Z/M, SRID=…; prefix); throws on bad text. */
export function parseWkt(text: string): Geometry {
  const source = text.trim().replace(/^SRID=\d+;/i, '');
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`bad WKT at character ${pos + 1}: ${what}`);
  };
  const skip = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const word = (): string => {
    skip();
    const match = /^[A-Za-z]+/.exec(source.slice(pos));
    if (!match) fail('expected a geometry type');
    pos += match![0].length;
    return match![0].toUpperCase();
  };
  const expect = (char: string) => {
    skip();
    if (source[pos] !== char) fail(`expected "${char}"`);
    pos++;
  };
  const peek = (): string => {
    skip();
    return source[pos] ?? '';
  };
  const position = (): Position => {
    skip();
    const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(\s+[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?){1,3}/.exec(source.slice(pos));
    if (!match) fail('expected a coordinate pair');
    pos += match![0].length;
    const numbers = match![0].trim().split(/\s+/).map(Number);
    return [numbers[0]!, numbers[1]!];
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const items = [item()];
    while (peek() === ',') {
      pos++;
      items.push(item());
    }
    expect(')');
    return items;
  };
  const pointItem = (): Position => {
    if (peek() === '(') {
      pos++;
      const p = position();
      expect(')');
      return p;
    }
    return position();
  };
  const geometry = (): Geometry => {
    const BASE = /^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON)(ZM|Z|M)?$/;
    const typed = BASE.exec(word());
    if (!typed) return fail('unsupported geometry type');
    const type = typed[1]!;
    skip();
    const dimension = /^(ZM|Z|M)\b/i.exec(source.slice(pos));
    if (dimension) pos += dimension[0].length;
    if (/^\s*EMPTY\b/i.test(source.slice(pos))) return fail('empty geometry');
    switch (type) {
      case 'POINT':
        return { type: 'Point', coordinates: list(position)[0]! };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: list(position) };
      case 'POLYGON':
        return { type: 'Polygon', coordinates: list(() => list(position)) };
      case 'MULTIPOINT':
        return { type: 'MultiPoint', coordinates: list(pointItem) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: list(() => list(position)) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: list(() => list(() => list(position))) };
      default:
        return fail(`unsupported geometry type ${type}`);
    }
  };
  const result = geometry();
  skip();
  if (pos < source.length) fail('unexpected text after the geometry');
  return result;
}

/** Parses WKB from `bytes` at `offset`; returns the geometry (null for an empty one) and the next offset. */
export function parseWkb(bytes: Uint8Array, offset = 0): { geometry: Geometry | null; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = offset;
  const need = (count: number) => {
    if (pos + count > bytes.length) throw new Error(`WKB truncated at byte ${pos}`);
  };
  const read = (): Geometry | null => {
    need(5);
    const little = bytes[pos] === 1;
    pos += 1;
    let type = view.getUint32(pos, little);
    pos += 4;
    // Extended WKB flags (PostGIS): Z 0x80000000, M 0x40000000, SRID 0x20000000.
    let dims = 2;
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    if (type & 0x20000000) {
      need(4);
      pos += 4;
    }
    type &= 0x0fffffff;
    // ISO codes: 1000 Z, 2000 M, 3000 ZM.
    const iso = Math.floor(type / 1000);
    if (iso === 1 || iso === 2) dims = 3;
    if (iso === 3) dims = 4;
    type %= 1000;
    const count = (): number => {
      need(4);
      const n = view.getUint32(pos, little);
      pos += 4;
      if (n > (bytes.length - pos) / 8 + 1) throw new Error(`WKB count ${n} exceeds the data`);
      return n;
    };
    const point = (): Position => {
      need(8 * dims);
      const x = view.getFloat64(pos, little);
      const y = view.getFloat64(pos + 8, little);
      pos += 8 * dims;
      return [x, y];
    };
    const points = (): Position[] => Array.from({ length: count() }, point);
    const rings = (): Position[][] => Array.from({ length: count() }, points);
    const children = <T>(wanted: string): T[] => {
      const n = count();
      const out: T[] = [];
      for (let i = 0; i < n; i++) {
        const child = read();
        if (child === null) continue;
        if (child.type !== wanted) throw new Error(`WKB ${wanted} expected inside a multi-geometry, got ${child.type}`);
        out.push((child as unknown as { coordinates: T }).coordinates);
      }
      return out;
    };
    switch (type) {
      case 1: {
        const p = point();
        return Number.isNaN(p[0]) ? null : { type: 'Point', coordinates: p };
      }
      case 2:
        return { type: 'LineString', coordinates: points() };
      case 3:
        return { type: 'Polygon', coordinates: rings() };
      case 4:
        return { type: 'MultiPoint', coordinates: children<Position>('Point') };
      case 5:
        return { type: 'MultiLineString', coordinates: children<Position[]>('LineString') };
      case 6:
        return { type: 'MultiPolygon', coordinates: children<Position[][]>('Polygon') };
      default:
        throw new Error(`unsupported WKB geometry type ${type}`);
    }
  };
  const geometry = read();
  return { geometry, end: pos };
}

/** Envelope bytes of a GeoPackage geometry blob by its envelope indicator (GeoPackage 1.3, §2.1.3). */
const GPKG_ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** Parses a GeoPackage geometry blob (the "GP" header, then WKB); null for an empty geometry. */
export function parseGeoPackageGeometry(blob: Uint8Array): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no "GP" magic)');
  const flags = blob[3]!;
  if (flags & 0x10) return null;
  const envelope = GPKG_ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw new Error('bad GeoPackage envelope indicator');
  return parseWkb(blob, 8 + envelope).geometry;
}
