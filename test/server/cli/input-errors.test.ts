// Bad input to every CLI command through the real process: exit code 1 and one stderr line naming the
// file and the problem (missing, directory, empty, malformed, no usable features, unwritable output).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../analysis/network/network-helpers';
import { referencePath } from '../analysis/hotspots/reference-data';
import { expectFileError, expectOneLineError, runCli, stderrLines } from './cli-process';

const dir = mkdtempSync(join(tmpdir(), 'atlas-cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const collection = (features: unknown[]): string => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry });

const missing = join(dir, 'missing.geojson');
const missingCsv = join(dir, 'missing.csv');
const folder = join(dir, 'folder.geojson');
mkdirSync(folder);
const emptyGeoJson = file('empty.geojson', '');
const emptyCsv = file('empty.csv', '');
const blankCsv = file('blank.csv', '\n   \n');
const noFeatures = file('no-features.geojson', collection([]));
const truncatedJson = file('truncated.geojson', '{"type":"FeatureCollection","features":[\n  {"type":"Feature"');
const notCollection = file('feature.geojson', JSON.stringify(feature({ type: 'Point', coordinates: [123.4, 41.8] })));
const polygons = file('polygons.geojson', collection([feature({ type: 'Polygon', coordinates: [[[123.4, 41.8], [123.41, 41.8], [123.41, 41.81], [123.4, 41.8]]] }, { v: 1 })]));
// An 83 m street and an origin beside its middle.
const street = file('street.geojson', collection([feature({ type: 'LineString', coordinates: [[123.4, 41.8], [123.401, 41.8]] })]));
const origins = file('origins.csv', 'id,lon,lat\na,123.4005,41.8001\n');
const headerOnlyOrigins = file('header-only.csv', 'id,lon,lat\n');
const unclosedQuote = file('unclosed-quote.csv', 'id,lon,lat\na,"123.405,41.8\n');
const raggedCsv = file('ragged.csv', 'id,lon,lat\na,123.405\n');

const monacoPbf = sharedPath('data', 'monaco', 'monaco-highways.osm.pbf');
const truncatedPbf = file('truncated.osm.pbf', readFileSync(monacoPbf).subarray(0, 50_000));
const garbagePbf = file('garbage.osm.pbf', 'not a protocol buffer at all\n');

// Shapefiles: Columbus cut short, without its .dbf, and with no records (a header-only .shp and .dbf).
const columbusShp = readFileSync(referencePath('columbus/columbus.shp'));
const columbusDbf = readFileSync(referencePath('columbus/columbus.dbf'));
const truncatedShp = file('truncated.shp', columbusShp.subarray(0, 3000));
file('truncated.dbf', columbusDbf);
const shpWithoutDbf = file('lonely.shp', columbusShp);
const garbageShp = file('garbage.shp', 'x'.repeat(200));
file('garbage.dbf', columbusDbf);
const noRecordsShp = (() => {
  const shp = Buffer.from(columbusShp.subarray(0, 100));
  shp.writeInt32BE(50, 24); // file length in 16-bit words: the 100-byte header alone
  const headerBytes = columbusDbf.readUInt16LE(8);
  const dbf = Buffer.from(columbusDbf.subarray(0, headerBytes));
  dbf.writeUInt32LE(0, 4);
  file('no-records.dbf', dbf);
  return file('no-records.shp', shp);
})();
const garbageDbf = file('garbage-table.dbf', 'garbage\n');

const out = (name: string) => join(dir, name);

describe('reach', () => {
  const reach = (network: string, originsPath: string, output = out('reach.csv')) =>
    runCli(['reach', '--network', network, '--origins', originsPath, '--max-meters', '100', '--out', output]);

  it.each([
    ['missing', missing, /^no such file$/],
    ['a directory', folder, /^is a directory, expected a file$/],
    ['empty', emptyGeoJson, /^empty file$/],
    ['with no features', noFeatures, /^no LineString or MultiLineString features \(the FeatureCollection is empty\)$/],
    ['with polygons only', polygons, /^no LineString or MultiLineString features \(1 feature: Polygon\)$/],
    ['malformed JSON', truncatedJson, /^not valid JSON \(.+ at position 60, line 2 column 20\)$/],
    ['not a FeatureCollection', notCollection, /^not a GeoJSON FeatureCollection \(got type "Feature"\)$/],
    ['a truncated PBF', truncatedPbf, /^not a readable OSM PBF file \(truncated: blob 2 at byte \d+ declares \d+ bytes, \d+ remain\)$/],
    ['a garbage PBF', garbagePbf, /^not a readable OSM PBF file \(blob 1 at byte 0: header length \d+, expected 1…65536\)$/],
  ])('refuses a --network file %s', (_, network, problem) => {
    expectFileError(reach(network, origins), network, problem);
  });

  it.each([
    ['missing', missingCsv, /^no such file$/],
    ['a directory', folder, /^is a directory, expected a file$/],
    ['empty', emptyCsv, /^empty file$/],
    ['blank', blankCsv, /^empty file \(only white space\)$/],
    ['with a header only', headerOnlyOrigins, /^no data rows, only a header$/],
    ['with an unclosed quote', unclosedQuote, /Quote Not Closed/],
    ['with a short row', raggedCsv, /Invalid Record Length/],
    ['with no features', noFeatures, /^no Point features \(the FeatureCollection is empty\)$/],
    ['with polygons only', polygons, /^no Point features \(1 feature: Polygon\)$/],
    ['malformed JSON', truncatedJson, /^not valid JSON \(/],
  ])('refuses an --origins file %s', (_, originsPath, problem) => {
    expectFileError(reach(street, originsPath), originsPath, problem);
  });

  it('refuses an --out file it cannot write, before reading the network, and writes nothing on bad input', () => {
    const nowhere = join(dir, 'no-such-folder', 'reach.csv');
    expectFileError(reach(street, origins, nowhere), nowhere, /^cannot write: no such directory /);
    expectFileError(reach(street, origins, folder), folder, /^is a directory, expected a file$/);
    const output = out('never-written.csv');
    expectFileError(reach(street, headerOnlyOrigins, output), headerOnlyOrigins, /no data rows/);
    expect(existsSync(output)).toBe(false);
  });

  it('still succeeds on good input (exit 0, its summary line)', () => {
    const result = reach(street, origins);
    expect(result.code).toBe(0);
    expect(stderrLines(result)[0]).toMatch(/^reach: 2 vertices, 1 edges( \(graph from the cache\))?; 1 origins, 2 rows \(nearest\) within 100 m/);
  });
});

describe('service-areas', () => {
  const serviceAreas = (network: string, originsPath: string, extra: string[] = []) =>
    runCli(['service-areas', '--network', network, '--origins', originsPath, '--max-meters', '100', ...extra, '--out', out('areas.geojson')]);

  it.each([
    ['missing', missing, /^no such file$/],
    ['empty', emptyGeoJson, /^empty file$/],
    ['with no features', noFeatures, /^no LineString or MultiLineString features/],
    ['malformed JSON', truncatedJson, /^not valid JSON \(/],
    ['a truncated PBF', truncatedPbf, /^not a readable OSM PBF file \(truncated: /],
  ])('refuses a --network file %s', (_, network, problem) => {
    expectFileError(serviceAreas(network, origins), network, problem);
  });

  it.each([
    ['a directory', folder, /^is a directory, expected a file$/],
    ['with a header only', headerOnlyOrigins, /^no data rows, only a header$/],
    ['with no features', noFeatures, /^no Point features/],
  ])('refuses an --origins file %s', (_, originsPath, problem) => {
    expectFileError(serviceAreas(street, originsPath), originsPath, problem);
  });

  it.each([
    ['missing', missing, /^no such file$/],
    ['with no features', noFeatures, /^no LineString or MultiLineString features \(the FeatureCollection is empty\)$/],
    ['with polygons only', polygons, /^no LineString or MultiLineString features \(1 feature: Polygon\)$/],
    ['malformed JSON', truncatedJson, /^not valid JSON \(/],
  ])('refuses a --barriers file %s', (_, barriers, problem) => {
    expectFileError(serviceAreas(street, origins, ['--barriers', barriers]), barriers, problem);
  });
});

describe.each(['hotspots', 'moran'])('%s', (command) => {
  const analyse = (input: string, weights = 'knn:1', value = 'v') =>
    runCli([command, '--input', input, '--value', value, '--weights', weights, '--out', out(`${command}.csv`)]);

  it.each([
    ['missing', missing, /^no such file$/],
    ['a directory', folder, /^is a directory, expected a file$/],
    ['empty (GeoJSON)', emptyGeoJson, /^empty file$/],
    ['empty (CSV)', emptyCsv, /^empty file$/],
    ['with no features', noFeatures, /^no features \(the FeatureCollection is empty\)$/],
    ['with a header only', headerOnlyOrigins, /^no data rows, only a header$/],
    ['malformed JSON', truncatedJson, /^not valid JSON \(.+ at position 60, line 2 column 20\)$/],
    ['not a FeatureCollection', notCollection, /^not a GeoJSON FeatureCollection/],
    ['a truncated Shapefile', truncatedShp, /^not a readable Shapefile \(truncated: the header gives 21980 bytes, the file has 3000\)$/],
    ['not a Shapefile', garbageShp, /^not a readable Shapefile \(file code \d+, expected 9994\)$/],
    ['a Shapefile with no records', noRecordsShp, /^no features \(the Shapefile has no records\)$/],
    ['a dBASE file too short', garbageDbf, /^not a readable dBASE file \(8 bytes, shorter than the 32-byte header\)$/],
  ])('refuses an --input file %s', (_, input, problem) => {
    expectFileError(analyse(input), input, problem);
  });

  it('names the missing .dbf of a Shapefile', () => {
    expectFileError(analyse(shpWithoutDbf), join(dir, 'lonely.dbf'), /^no such file \(the attribute table of lonely\.shp\)$/);
  });

  it('names the --input file when the weights need geometry it lacks, or the --value field is absent', () => {
    expectFileError(analyse(polygons, 'queen', 'count'), polygons, /^no field "count" \(--value\); fields: v$/);
    const pointsCsv = file(`${command}-points.csv`, 'id,x,y,v\na,0,0,1\nb,1,0,2\nc,3,0,4\n');
    expectFileError(analyse(pointsCsv, 'queen'), pointsCsv, /^no Polygon or MultiPolygon features \(--weights queen needs polygons\)$/);
    expectOneLineError(analyse(pointsCsv, 'knn:3'), new RegExp(`^--weights knn:3: k must be 1…2, as ${pointsCsv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has 3 features$`));
    const gal = join(dir, 'missing.gal');
    expectFileError(analyse(pointsCsv, `gal:${gal}`), gal, /^no such file \(the --weights gal: file\)$/);
  });

  it('refuses too few features for the statistic, naming the file', () => {
    const two = file(`${command}-two.csv`, 'id,x,y,v\na,0,0,1\nb,1,0,2\n');
    expectFileError(analyse(two), two, command === 'moran' ? /^2 features; Moran's I needs at least 4$/ : /^2 features; Gi needs at least 3$/);
    if (command === 'moran') {
      const three = file('moran-three.csv', 'id,x,y,v\na,0,0,1\nb,1,0,2\nc,3,0,4\n');
      expectFileError(analyse(three), three, /^3 features; Moran's I needs at least 4$/);
    }
  });
});

describe('site-select', () => {
  const demand = file('demand.csv', 'id,weight\nd1,1\nd2,2\n');
  const costs = file('costs.csv', 'demand_id,candidate_id,cost\nd1,c1,5\nd2,c1,3\n');
  const siteSelect = (costMatrix: string, demandPath: string) =>
    runCli(['site-select', '--cost-matrix', costMatrix, '--demand', demandPath, '--objective', 'pmedian', '--p', '1', '--out', out('sites.json')]);

  it.each([
    ['missing', missingCsv, /^no such file$/],
    ['a directory', folder, /^is a directory, expected a file$/],
    ['empty', emptyCsv, /^empty file$/],
    ['with a header only', file('costs-header.csv', 'demand_id,candidate_id,cost\n'), /^no data rows, only a header$/],
    ['with a short row', file('costs-short.csv', 'demand_id,candidate_id,cost\nd1,c1\n'), /^Invalid Record Length: expect 3, got 2 on line 2$/],
  ])('refuses a --cost-matrix file %s', (_, costMatrix, problem) => {
    expectFileError(siteSelect(costMatrix, demand), costMatrix, problem);
  });

  it.each([
    ['missing', missingCsv, /^no such file$/],
    ['blank', blankCsv, /^empty file/],
    ['with a header only', file('demand-header.csv', 'id,weight\n'), /^no data rows, only a header$/],
    ['with an unclosed quote', file('demand-quote.csv', 'id,weight\nd1,"1\n'), /^Quote Not Closed/],
  ])('refuses a --demand file %s', (_, demandPath, problem) => {
    expectFileError(siteSelect(costs, demandPath), demandPath, problem);
  });

  it.each([
    ['missing', missingCsv, /^no such file$/],
    ['empty', emptyCsv, /^empty file$/],
    ['not an OR-Library file', truncatedJson, /^not an OR-Library p-median file/],
  ])('refuses an --orlib file %s', (_, orlib, problem) => {
    expectFileError(runCli(['site-select', '--orlib', orlib, '--out', out('sites.json')]), orlib, problem);
  });

  it('succeeds on good input (exit 0)', () => {
    expect(siteSelect(costs, demand).code).toBe(0);
  });
});

describe('generate and build-db', () => {
  const db = out('atlas.sqlite');

  it('refuses an impossible --now date and a --seed that is not an integer, before building anything', () => {
    expectOneLineError(runCli(['generate', '--now', '2026-13-45', '--db', db]), /^--now: .*got "2026-13-45"$/);
    expectOneLineError(runCli(['generate', '--seed', 'garbage', '--db', db]), /^--seed must be an integer 0…4294967295, got "garbage"$/);
    // Number('') is 0: a blank seed was taken for seed 0.
    expectOneLineError(runCli(['generate', '--seed=', '--db', db]), /^--seed must be an integer 0…4294967295, got ""$/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a --db path it cannot write before building', () => {
    const nowhere = join(dir, 'no-such-folder', 'atlas.sqlite');
    expectFileError(runCli(['generate', '--db', nowhere]), nowhere, /^cannot write: no such directory /);
    expectFileError(runCli(['build-db', '--db', folder]), folder, /^is a directory, expected a file$/);
  });
});

describe('the command line itself', () => {
  it('exits 2 on an unknown command and 1 on an unknown option', () => {
    const unknown = runCli(['no-such-command']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown command "no-such-command"/);
    expectOneLineError(runCli(['reach', '--no-such-option']), /^Unknown option '--no-such-option'/);
  });
});
