// Reads an extracted Shapefile feature by feature (npm `shapefile`, streamed from disk), decoding its
// attributes in the encoding given, named by the .cpg, or detected: UTF-8 when every record decodes
// strictly as UTF-8, else GB18030 (a superset of GBK and GB2312).

import { readFileSync } from 'node:fs';
import type { Geometry } from 'geojson';
import { findDbaseProblem, findShapefileProblem } from '../../cli/file-format-checks';
import type { SourceFeature } from './import-types';

/** The TextDecoder label of a code page name (.cpg contents or --encoding), or null when unknown. */
export function normaliseEncoding(name: string): string | null {
  const key = name.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (['utf8', '65001', 'utf'].includes(key)) return 'utf-8';
  if (['gbk', '936', 'cp936', 'gb2312', 'ansi936', 'ms936', 'windows936'].includes(key)) return 'gbk';
  if (['gb18030', '54936'].includes(key)) return 'gb18030';
  try {
    return new TextDecoder(name.trim()).encoding;
  } catch {
    return null;
  }
}

/** UTF-8 when the bytes decode strictly as UTF-8, else GB18030. */
export function detectTextEncoding(bytes: Uint8Array): 'utf-8' | 'gb18030' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export interface ShapefileParts {
  shp: string;
  dbf: string;
  cpg?: string;
}

/**
 * Checks the headers of the .shp and .dbf (truncation, wrong file codes) and settles the attribute
 * encoding; throws a one-line message naming the part at fault.
 */
export function checkShapefile(parts: ShapefileParts, encodingOption: string | null): { encoding: string; encodingSource: 'option' | 'cpg' | 'detected' } {
  const shpProblem = findShapefileProblem(readFileSync(parts.shp));
  if (shpProblem) throw new Error(`the .shp is not a readable Shapefile (${shpProblem})`);
  const dbf = readFileSync(parts.dbf);
  const dbfProblem = findDbaseProblem(dbf);
  if (dbfProblem) throw new Error(`the .dbf is not a readable dBASE file (${dbfProblem})`);
  if (encodingOption) {
    const encoding = normaliseEncoding(encodingOption);
    if (!encoding) throw new Error(`--encoding: unknown encoding "${encodingOption}"`);
    return { encoding, encodingSource: 'option' };
  }
  if (parts.cpg) {
    const named = readFileSync(parts.cpg, 'latin1');
    const encoding = normaliseEncoding(named);
    if (!encoding) throw new Error(`the .cpg names an unknown encoding "${named.trim().slice(0, 40)}"`);
    return { encoding, encodingSource: 'cpg' };
  }
  const headerBytes = dbf.readUInt16LE(8);
  return { encoding: detectTextEncoding(dbf.subarray(headerBytes)), encodingSource: 'detected' };
}

/** The features of a checked Shapefile, numbered from 1, streamed. */
export async function* readShapefileFeatures(parts: ShapefileParts, encoding: string): AsyncGenerator<SourceFeature> {
  // Loaded here, not at start: only Shapefile imports need it.
  const { open: openShapefile } = await import('shapefile');
  const source = await openShapefile(parts.shp, parts.dbf, { encoding });
  let number = 0;
  for (;;) {
    let result;
    try {
      result = await source.read();
    } catch (error) {
      throw new Error(`the Shapefile is unreadable after feature ${number} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (result.done) return;
    number += 1;
    const feature = result.value as { properties: Record<string, unknown> | null; geometry: Geometry | null };
    yield { number, properties: feature.properties ?? {}, geometry: feature.geometry };
  }
}
