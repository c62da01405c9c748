// The CLI's input reading: JSON errors located by line and column, features by geometry type, and format
// checks that pass the reference Shapefile, dBASE and OSM PBF files and catch their truncations.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../server/analysis/random';
import {
  CliInputError,
  checkOutputPath,
  parseNumberText,
  readInputCsvRecords,
  readInputFeatureCollection,
  readInputJson,
  requireFeatures,
  toOneLine,
} from '../../../server/cli/cli-input';
import { findDbaseProblem, findOsmPbfProblem, findShapefileProblem } from '../../../server/cli/file-format-checks';
import { readOsmPbfNetwork } from '../../../server/analysis/network/osm-pbf-network';
import { referencePath } from '../analysis/hotspots/reference-data';
import { sharedPath } from '../analysis/network/network-helpers';

const dir = mkdtempSync(join(tmpdir(), 'atlas-cli-input-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** The message of what `read` throws, which must be a CliInputError. */
function problemOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(CliInputError);
    return (error as CliInputError).message;
  }
  throw new Error('expected a CliInputError');
}

describe('readInputJson', () => {
  it('locates a syntax error by position, line and column', () => {
    // Position 13 is the quote of "b" on line 3, column 3: the comma after 1 is missing.
    const path = file('missing-comma.json', '{\n  "a": 1\n  "b": 2\n}');
    expect(problemOf(() => readInputJson(path))).toMatch(new RegExp(`^${path}: not valid JSON \\(.+ at position 13, line 3 column 3\\)$`));
  });

  it('drops the quoted source from V8\'s "Unexpected token" message, keeping one line', () => {
    const path = file('garbage.json', 'garbage\nmore garbage\n');
    expect(problemOf(() => readInputJson(path))).toBe(`${path}: not valid JSON (unexpected token 'g')`);
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(readInputJson(file('bom.json', '\uFEFF{"a":1}'))).toEqual({ a: 1 });
  });
});

describe('requireFeatures', () => {
  const mixed = file(
    'mixed.geojson',
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } },
        { type: 'Feature', properties: {}, geometry: null },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
      ],
    }),
  );

  it('keeps the features of the wanted types, in order', () => {
    const collection = readInputFeatureCollection(mixed);
    expect(requireFeatures(mixed, collection, ['Point']).map((f) => f.geometry.coordinates)).toEqual([[1, 2]]);
    expect(requireFeatures(mixed, collection, ['LineString', 'MultiLineString'])).toHaveLength(1);
  });

  it('says which types the file has when none is wanted', () => {
    expect(problemOf(() => requireFeatures(mixed, readInputFeatureCollection(mixed), ['Polygon', 'MultiPolygon']))).toBe(
      `${mixed}: no Polygon or MultiPolygon features (3 features: Point, no geometry, LineString)`,
    );
  });

  it('refuses a collection whose features are not Features', () => {
    const path = file('not-features.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Point', coordinates: [1, 2] }] }));
    expect(problemOf(() => readInputFeatureCollection(path))).toBe(`${path}: feature 1 is not a GeoJSON Feature`);
  });
});

describe('readInputCsvRecords, checkOutputPath, parseNumberText, toOneLine', () => {
  it('reads records and refuses a header alone', () => {
    expect(readInputCsvRecords(file('two.csv', 'id,v\na,1\nb,2\n'))).toEqual([
      { id: 'a', v: '1' },
      { id: 'b', v: '2' },
    ]);
    const header = file('header.csv', 'id,v\n');
    expect(problemOf(() => readInputCsvRecords(header))).toBe(`${header}: no data rows, only a header`);
  });

  it('accepts a new file in an existing directory and refuses the rest', () => {
    expect(() => checkOutputPath(join(dir, 'new.csv'))).not.toThrow();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(problemOf(() => checkOutputPath(sub))).toBe(`${sub}: is a directory, expected a file`);
    const inFile = join(file('plain.txt', 'x'), 'out.csv');
    expect(problemOf(() => checkOutputPath(inFile))).toBe(`${inFile}: cannot write: ${join(dir, 'plain.txt')} is not a directory`);
  });

  it('reads a blank option as NaN, not 0', () => {
    expect(parseNumberText('')).toBeNaN();
    expect(parseNumberText('  ')).toBeNaN();
    expect(parseNumberText(undefined)).toBeNaN();
    expect(parseNumberText(' 12.5 ')).toBe(12.5);
  });

  it('puts a multi-line parser message on one line', () => {
    expect(toOneLine('first\n  second\r\nthird')).toBe('first second third');
    expect(new CliInputError('a.csv', 'x\ny').message).toBe('a.csv: x y');
  });
});

describe('file format checks', () => {
  const rng = createRng(20261101);
  /** `count` seeded cut points in 0…length-1. */
  const cuts = (length: number, count: number) => Array.from({ length: count }, () => Math.floor(rng.next() * length));

  it('passes the intact Columbus Shapefile and catches every truncation of it', () => {
    const shp = readFileSync(referencePath('columbus/columbus.shp'));
    expect(findShapefileProblem(shp)).toBeNull();
    for (const cut of [0, 99, 100, 101, ...cuts(shp.length, 40), shp.length - 1]) expect(findShapefileProblem(shp.subarray(0, cut)), `cut at ${cut}`).not.toBeNull();
  });

  it('passes the intact Columbus dBASE file and catches every truncation of its records', () => {
    const dbf = readFileSync(referencePath('columbus/columbus.dbf'));
    expect(findDbaseProblem(dbf)).toBeNull();
    const declared = dbf.readUInt16LE(8) + dbf.readUInt32LE(4) * dbf.readUInt16LE(10);
    // Only the optional end-of-file byte (0x1A) may follow the records.
    expect(dbf.length - declared).toBeLessThanOrEqual(1);
    for (const cut of [0, 31, 32, ...cuts(declared, 40), declared - 1]) expect(findDbaseProblem(dbf.subarray(0, cut)), `cut at ${cut}`).not.toBeNull();
  });

  it('passes the Monaco extract (which tiny-osmpbf reads) and catches truncation and corruption', () => {
    const pbf = readFileSync(sharedPath('data', 'monaco', 'monaco-highways.osm.pbf'));
    expect(findOsmPbfProblem(pbf)).toBeNull();
    expect(readOsmPbfNetwork(pbf).waysKept).toBeGreaterThan(0);
    // A cut exactly at a blob boundary would leave a shorter valid file; seeded cuts miss the few boundaries.
    for (const cut of [1, 3, 4, 20, ...cuts(pbf.length, 40), pbf.length - 1]) {
      expect(findOsmPbfProblem(pbf.subarray(0, cut)), `cut at ${cut}`).toMatch(/truncated|header/);
    }
    // A flipped byte inside compressed data fails zlib's checks (invalid code or Adler-32).
    for (const at of [200, 30_000, 200_000]) {
      const corrupt = Buffer.from(pbf);
      corrupt[at] ^= 0x5a;
      expect(findOsmPbfProblem(corrupt), `byte ${at}`).toMatch(/zlib data/);
    }
    expect(findOsmPbfProblem(Buffer.from('not a protocol buffer'))).toMatch(/^blob 1 at byte 0: header length/);
  });
});
