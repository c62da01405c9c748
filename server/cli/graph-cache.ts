// Road graphs the command line parsed from GeoJSON or OSM PBF, kept in a binary file keyed by the
// SHA-256 of the input's bytes and the reading options, so the next run maps the CSR arrays back in
// instead of parsing again. A path's size and modification time remember its hash (as git's index does),
// so an unchanged input is not even read. The edge snapper's R-tree is kept beside its graph the same way.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLocalProjection } from '../analysis/geo/local-projection';
import { EdgeSnapper } from '../analysis/network/edge-snapper';
import type { RoadGraph } from '../analysis/network/road-graph';
import { REPO_ROOT } from '../paths';

/** Bumped whenever the readers or the graph layout change what a given input gives. */
const CACHE_FORMAT = 1;
const MAGIC = 'PAGRAPH1';

/** The graph's arrays in file order, with their element type. */
const ARRAYS = [
  ['nodeLngLat', Float64Array],
  ['nodeXY', Float64Array],
  ['lengthMeters', Float64Array],
  ['edgeLengthMeters', Float64Array],
  ['shapeXY', Float64Array],
  ['offsets', Uint32Array],
  ['targets', Uint32Array],
  ['arcEdge', Uint32Array],
  ['edgeFrom', Uint32Array],
  ['edgeTo', Uint32Array],
  ['shapeOffsets', Uint32Array],
  ['edgeDirection', Uint8Array],
] as const;

type ArrayName = (typeof ARRAYS)[number][0];

interface CacheHeader {
  format: number;
  nodeCount: number;
  edgeCount: number;
  arcCount: number;
  projectionOrigin: [number, number];
  /** Element count of each array, in ARRAYS order. */
  lengths: number[];
}

/** Where graphs are kept: ATLAS_CACHE_DIR, else data/cache/graphs in the repository. */
export function graphCacheDir(): string {
  return process.env.ATLAS_CACHE_DIR ? resolve(process.env.ATLAS_CACHE_DIR) : join(REPO_ROOT, 'data', 'cache', 'graphs');
}

/** The SHA-256 of a file's bytes, remembered by path, size and modification time in the cache's index. */
function fileHash(dir: string, path: string): string {
  const absolute = resolve(path);
  const stat = statSync(absolute);
  const indexPath = join(dir, 'index.json');
  let index: Record<string, { size: number; mtimeMs: number; sha256: string }> = {};
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as typeof index;
  } catch {
    // No index yet, or an unreadable one: hash afresh.
  }
  const known = index[absolute];
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.sha256;
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 22);
  const fd = openSync(absolute, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  const sha256 = hash.digest('hex');
  index[absolute] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
  writeAtomically(indexPath, JSON.stringify(index));
  return sha256;
}

function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

type ArrayType = Float64ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor;

/** Magic, header length, the header (JSON, with each array's element count), then every array at a multiple of 8 bytes. */
function packArrays(magic: string, header: object, arrays: readonly ArrayBufferView[]): Buffer {
  const headerBytes = Buffer.from(JSON.stringify({ ...header, lengths: arrays.map((array) => array.byteLength / (array as Uint8Array).BYTES_PER_ELEMENT) }));
  let size = align8(magic.length + 4 + headerBytes.length);
  const offsets = arrays.map((array) => {
    const at = size;
    size = align8(size + array.byteLength);
    return at;
  });
  const out = Buffer.alloc(size);
  out.write(magic, 0, 'latin1');
  out.writeUInt32LE(headerBytes.length, magic.length);
  headerBytes.copy(out, magic.length + 4);
  arrays.forEach((array, i) => out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offsets[i]!));
  return out;
}

/** The header and arrays packArrays wrote (views on `bytes`), or null when `bytes` are not such a file of `format`. */
function unpackArrays<H extends { format: number }>(bytes: Buffer, magic: string, format: number, types: readonly ArrayType[]): { header: H; arrays: ArrayLike<number>[] } | null {
  if (bytes.length < magic.length + 4 || bytes.toString('latin1', 0, magic.length) !== magic) return null;
  const headerLength = bytes.readUInt32LE(magic.length);
  let header: H & { lengths: number[] };
  try {
    header = JSON.parse(bytes.toString('utf8', magic.length + 4, magic.length + 4 + headerLength)) as H & { lengths: number[] };
  } catch {
    return null;
  }
  if (header.format !== format || header.lengths?.length !== types.length) return null;
  // Typed-array views need aligned offsets in their buffer: a buffer that starts unaligned is copied once.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let at = align8(magic.length + 4 + headerLength);
  const arrays: ArrayLike<number>[] = [];
  for (let i = 0; i < types.length; i++) {
    const Type = types[i]!;
    const length = header.lengths[i]!;
    if (at + length * Type.BYTES_PER_ELEMENT > aligned.length) return null;
    arrays.push(new Type(aligned.buffer as ArrayBuffer, aligned.byteOffset + at, length));
    at = align8(at + length * Type.BYTES_PER_ELEMENT);
  }
  return { header, arrays };
}

function serialise(graph: RoadGraph): Buffer {
  const header: Omit<CacheHeader, 'lengths'> = {
    format: CACHE_FORMAT,
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    arcCount: graph.arcCount,
    projectionOrigin: [graph.projection.origin[0], graph.projection.origin[1]],
  };
  return packArrays(MAGIC, header, ARRAYS.map(([name]) => graph[name as ArrayName]));
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The graph of a cache file, its arrays views on one buffer; null when the file is not a graph of this format. */
function deserialise(bytes: Buffer): RoadGraph | null {
  const unpacked = unpackArrays<CacheHeader>(bytes, MAGIC, CACHE_FORMAT, ARRAYS.map(([, Type]) => Type));
  if (!unpacked) return null;
  const { header } = unpacked;
  const arrays = Object.fromEntries(ARRAYS.map(([name], i) => [name, unpacked.arrays[i]]));
  return {
    nodeCount: header.nodeCount,
    edgeCount: header.edgeCount,
    arcCount: header.arcCount,
    projection: createLocalProjection(header.projectionOrigin[0], header.projectionOrigin[1]),
    ...(arrays as unknown as Omit<RoadGraph, 'nodeCount' | 'edgeCount' | 'arcCount' | 'projection'>),
  };
}

/**
 * The graph of `path` read with `options`: from the cache when it holds one for these bytes and options,
 * else from `parse`, then kept. A cache that cannot be written (a read-only disk) is skipped with no error.
 */
export function cachedGraph(path: string, options: Record<string, unknown>, parse: () => RoadGraph): { graph: RoadGraph; cached: boolean } {
  const dir = graphCacheDir();
  let file: string;
  try {
    mkdirSync(dir, { recursive: true });
    const key = createHash('sha256').update(JSON.stringify({ format: CACHE_FORMAT, file: fileHash(dir, path), options })).digest('hex');
    file = join(dir, `${key}.graph`);
  } catch {
    return { graph: parse(), cached: false };
  }
  if (existsSync(file)) {
    const graph = deserialise(readFileSync(file));
    if (graph) {
      cacheFileByGraph.set(graph, file);
      return { graph, cached: true };
    }
  }
  const graph = parse();
  try {
    writeAtomically(file, serialise(graph));
    cacheFileByGraph.set(graph, file);
  } catch {
    // Not kept: the next run parses again.
  }
  return { graph, cached: false };
}

/** The cache file of each graph read from or kept in the cache: what is derived from it is kept beside it. */
const cacheFileByGraph = new WeakMap<RoadGraph, string>();

const SNAPPER_MAGIC = 'PASNAP01';
const SNAPPER_FORMAT = 1;

/**
 * The graph's edge snapper (its packed R-tree over every edge piece): read back from beside the cached
 * graph (`<key>.snapper`), else built and kept there; a graph not from the cache gets one built afresh.
 */
export function cachedEdgeSnapper(graph: RoadGraph): EdgeSnapper {
  const graphFile = cacheFileByGraph.get(graph);
  if (!graphFile) return new EdgeSnapper(graph);
  const file = graphFile.replace(/\.graph$/, '.snapper');
  if (existsSync(file)) {
    const unpacked = unpackArrays<{ format: number; edgeCount: number }>(readFileSync(file), SNAPPER_MAGIC, SNAPPER_FORMAT, [Uint32Array, Float64Array, Float64Array, Float64Array, Uint8Array]);
    if (unpacked && unpacked.header.edgeCount === graph.edgeCount) {
      const [segmentEdge, segmentStartMeters, segmentXY, edgeGeometryMeters, index] = unpacked.arrays as [Uint32Array, Float64Array, Float64Array, Float64Array, Uint8Array];
      try {
        // Flatbush reads its own buffer from offset 0: the index bytes are copied out.
        const indexData = index.buffer.slice(index.byteOffset, index.byteOffset + index.byteLength);
        return EdgeSnapper.fromParts(graph, { indexData, segmentEdge, segmentStartMeters, segmentXY, edgeGeometryMeters });
      } catch {
        // Not a Flatbush index: built afresh below.
      }
    }
  }
  const snapper = new EdgeSnapper(graph);
  const parts = snapper.toParts();
  try {
    writeAtomically(
      file,
      packArrays(SNAPPER_MAGIC, { format: SNAPPER_FORMAT, edgeCount: graph.edgeCount }, [
        parts.segmentEdge,
        parts.segmentStartMeters,
        parts.segmentXY,
        parts.edgeGeometryMeters,
        new Uint8Array(parts.indexData),
      ]),
    );
  } catch {
    // Not kept: the next run builds it again.
  }
  return snapper;
}
