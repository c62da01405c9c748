// Reads the Liaoning source files in data/sources: NBS division codes, the 2020 census per county and
// the county polygons (GCJ-02, joined to their codes by city code + name).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AdminLevel } from '../domain/admin-codes';

export interface DivisionRecord {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
}

export interface CountyCensus {
  code: string;
  name: string;
  population: number;
  urbanShare: number;
}

export interface CountyOutline {
  code: string;
  name: string;
  /** Polygon parts as stored (rings of [lng, lat] in GCJ-02). */
  parts: Position[][][];
}

function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true });
}

function requireField(row: Record<string, string>, field: string, path: string): string {
  const value = row[field];
  if (value === undefined || value === '') throw new Error(`${path}: a row has no "${field}": ${JSON.stringify(row)}`);
  return value;
}

/** All division codes from province to community, parents before children. */
export function readDivisionCodes(sourcesDir: string): DivisionRecord[] {
  const dir = join(sourcesDir, 'liaoning', 'division-codes');
  const table = (file: string, level: AdminLevel, parentField: string | null): DivisionRecord[] => {
    const path = join(dir, file);
    return readCsv(path).map((row) => ({
      code: requireField(row, 'code', path),
      name: requireField(row, 'name', path),
      level,
      parentCode: parentField ? requireField(row, parentField, path) : null,
    }));
  };
  return [
    ...table('liaoning-provinces.csv', 'province', null),
    ...table('liaoning-cities.csv', 'city', 'provinceCode'),
    ...table('liaoning-areas.csv', 'county', 'cityCode'),
    ...table('liaoning-streets.csv', 'street', 'areaCode'),
    ...table('liaoning-villages.csv', 'community', 'streetCode'),
  ];
}

/** 2020 census resident population and urban share per county. */
export function readCountyCensus(sourcesDir: string): CountyCensus[] {
  const path = join(sourcesDir, 'liaoning', 'county-population-2020.csv');
  return readCsv(path).map((row) => {
    const population = Number(requireField(row, 'population_2020', path));
    const urbanShare = Number(requireField(row, 'urban_share_2020', path));
    if (!Number.isInteger(population) || population <= 0) throw new Error(`${path}: bad population in ${JSON.stringify(row)}`);
    if (!(urbanShare >= 0 && urbanShare <= 1)) throw new Error(`${path}: bad urban share in ${JSON.stringify(row)}`);
    return { code: requireField(row, 'code', path), name: requireField(row, 'name', path), population, urbanShare };
  });
}

/**
 * County polygons from the per-city files `<city code>-<pinyin>.gcj02.geojson`, whose features carry
 * only a name: each is joined to its county code by (city code, name), and every county must match once.
 */
export function readCountyOutlines(sourcesDir: string, divisions: readonly DivisionRecord[]): CountyOutline[] {
  const dir = join(sourcesDir, 'liaoning', 'boundaries', 'counties');
  const codeByCityAndName = new Map<string, string>();
  for (const unit of divisions) {
    if (unit.level === 'county') codeByCityAndName.set(`${unit.parentCode}|${unit.name}`, unit.code);
  }
  const outlines: CountyOutline[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.gcj02.geojson')).sort()) {
    const cityCode = file.slice(0, 4);
    const collection = JSON.parse(readFileSync(join(dir, file), 'utf8')) as FeatureCollection;
    for (const feature of collection.features as Feature<Polygon | MultiPolygon, { name?: string }>[]) {
      const name = feature.properties?.name ?? '';
      const code = codeByCityAndName.get(`${cityCode}|${name}`);
      if (!code) throw new Error(`${file}: county "${name}" matches no division code of city ${cityCode}`);
      const geometry = feature.geometry;
      const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      outlines.push({ code, name, parts });
    }
  }
  const seen = new Set<string>();
  for (const outline of outlines) {
    if (seen.has(outline.code)) throw new Error(`county ${outline.code} has more than one outline`);
    seen.add(outline.code);
  }
  for (const code of codeByCityAndName.values()) {
    if (!seen.has(code)) throw new Error(`county ${code} has no outline in ${dir}`);
  }
  return outlines;
}
