// Extracts the members of a zipped Shapefile (.shp/.shx/.dbf/.prj/.cpg) to a private folder, streamed,
// refusing unsafe entry names, more than a bounded size, and compression ratios only a zip bomb has.

import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';

/** Limits of one zip: entries, bytes of the wanted members once inflated, and the inflation ratio. */
export const ZIP_LIMITS = {
  maxEntries: 10_000,
  maxTotalBytes: 4 * 1024 ** 3,
  /** A member inflating more than this many times its compressed size (past 16 MiB) is a zip bomb. */
  maxRatio: 200,
  ratioFloorBytes: 16 * 1024 ** 2,
} as const;

const SHAPEFILE_PARTS = ['.shp', '.shx', '.dbf', '.prj', '.cpg'] as const;

export interface ExtractedShapefile {
  /** Paths of the extracted parts by extension (.shp always; the others when present). */
  parts: Partial<Record<(typeof SHAPEFILE_PARTS)[number], string>>;
  /** The member name of the .shp inside the zip. */
  memberName: string;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > ZIP_LIMITS.maxEntries) {
        reject(new Error(`more than ${ZIP_LIMITS.maxEntries} entries`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/**
 * Opens the zip at `path`, lists its members and hands both to `use`, closing the zip after; a zip that
 * cannot be read, or names a member yauzl refuses, throws a one-line message saying which.
 */
async function withZipEntries<T>(path: string, use: (zip: yauzl.ZipFile, entries: yauzl.Entry[]) => Promise<T>): Promise<T> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw new Error(`not a readable zip file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  try {
    let entries: yauzl.Entry[];
    try {
      entries = await listEntries(zip);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/invalid relative path|absolute path|invalid characters/.test(message)) throw new Error(`unsafe entry name in the zip (${message})`, { cause: error });
      throw new Error(`not a readable zip file (${message})`, { cause: error });
    }
    return await use(zip, entries);
  } finally {
    zip.close();
  }
}

/**
 * Refuses a member inflating more than ZIP_LIMITS.maxRatio times (past ratioFloorBytes); answers
 * `totalBytes` plus its size, refusing `what` past ZIP_LIMITS.maxTotalBytes.
 */
function addMemberSize(entry: yauzl.Entry, totalBytes: number, what: string): number {
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > ZIP_LIMITS.ratioFloorBytes && ratio > ZIP_LIMITS.maxRatio) {
    throw new Error(`zip bomb: ${entry.fileName} inflates ${Math.round(ratio)} times (${entry.compressedSize} → ${entry.uncompressedSize} bytes)`);
  }
  const total = totalBytes + entry.uncompressedSize;
  if (total > ZIP_LIMITS.maxTotalBytes) throw new Error(`${what} inflates to more than ${ZIP_LIMITS.maxTotalBytes} bytes`);
  return total;
}

/**
 * Refuses a zip (an XLSX workbook) whose members would inflate past ZIP_LIMITS before a reader inflates
 * them in memory: a member inflating more than maxRatio times (past ratioFloorBytes), or too much in all.
 */
export async function checkZipInflation(path: string): Promise<void> {
  await withZipEntries(path, async (_zip, entries) => {
    let totalBytes = 0;
    for (const entry of entries) totalBytes = addMemberSize(entry, totalBytes, 'the zip');
  });
}

/** Why a member name is unsafe to extract (absolute, drive letter, a ".." step), or null. */
export function findUnsafeEntryName(name: string): string | null {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return `absolute path "${name}"`;
  if (name.split(/[\\/]/).includes('..')) return `path traversal "${name}"`;
  return null;
}

/**
 * The Shapefile inside a zip, extracted to `folder`. Throws a one-line message when the zip is not
 * readable, names an unsafe entry, is a zip bomb, holds no .shp or several, or lacks the .dbf.
 */
export async function extractShapefileZip(path: string, folder: string): Promise<ExtractedShapefile> {
  return withZipEntries(path, async (zip, entries) => {
    for (const entry of entries) {
      const unsafe = findUnsafeEntryName(entry.fileName);
      if (unsafe) throw new Error(`unsafe entry name in the zip: ${unsafe}`);
    }
    const files = entries.filter((entry) => !entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/'));
    const shps = files.filter((entry) => entry.fileName.toLowerCase().endsWith('.shp'));
    if (shps.length === 0) throw new Error(`no .shp in the zip (it holds ${files.map((e) => e.fileName).slice(0, 10).join(', ') || 'nothing'})`);
    if (shps.length > 1) throw new Error(`${shps.length} Shapefiles in the zip (${shps.map((e) => e.fileName).join(', ')}): zip one layer per file`);
    const shp = shps[0]!;
    const stem = shp.fileName.slice(0, -4).toLowerCase();
    const parts: ExtractedShapefile['parts'] = {};
    let totalBytes = 0;
    for (const extension of SHAPEFILE_PARTS) {
      const entry = files.find((candidate) => candidate.fileName.toLowerCase() === `${stem}${extension}`);
      if (!entry) continue;
      totalBytes = addMemberSize(entry, totalBytes, 'the Shapefile');
      const target = join(folder, `layer${extension}`);
      let written = 0;
      // The declared size is checked by yauzl too; this guard also stops a member that lies about it.
      const guard = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          written += chunk.length;
          if (written > entry.uncompressedSize) callback(new Error(`${entry.fileName} inflates past its declared size`));
          else callback(null, chunk);
        },
      });
      try {
        await pipeline(await openEntryStream(zip, entry), guard, createWriteStream(target));
      } catch (error) {
        throw new Error(`cannot extract ${entry.fileName} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      parts[extension] = target;
    }
    if (!parts['.dbf']) throw new Error(`${basename(shp.fileName)} has no .dbf beside it in the zip (the attribute table is required)`);
    return { parts, memberName: shp.fileName };
  });
}
