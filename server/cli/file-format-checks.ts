// Header and framing checks of binary inputs (ESRI Shapefile, dBASE, OSM PBF) that their parsers would
// otherwise misread, crash on with a bare RangeError, or, for a truncated PBF, loop over forever.

import { inflateSync } from 'node:zlib';

/** Why these bytes are not a readable .shp (ESRI Shapefile Technical Description, 1998), or null. */
export function findShapefileProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 100) return `${bytes.length} bytes, shorter than the 100-byte header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileCode = view.getInt32(0, false);
  if (fileCode !== 9994) return `file code ${fileCode}, expected 9994`;
  // The file length is stored big-endian in 16-bit words.
  const declaredBytes = view.getInt32(24, false) * 2;
  if (declaredBytes > bytes.length) return `truncated: the header gives ${declaredBytes} bytes, the file has ${bytes.length}`;
  const version = view.getInt32(28, true);
  if (version !== 1000) return `version ${version}, expected 1000`;
  return null;
}

/** Why these bytes are not a readable .dbf (dBASE III header: record count, header and record lengths), or null. */
export function findDbaseProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 32) return `${bytes.length} bytes, shorter than the 32-byte header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordCount = view.getUint32(4, true);
  const headerBytes = view.getUint16(8, true);
  const recordBytes = view.getUint16(10, true);
  // 32 bytes of header, at least one 32-byte field descriptor, and the 0x0D terminator.
  if (headerBytes < 65 || headerBytes > bytes.length) return `header length ${headerBytes} does not fit a ${bytes.length}-byte file`;
  if (recordBytes === 0) return 'record length 0';
  const declaredBytes = headerBytes + recordCount * recordBytes;
  if (declaredBytes > bytes.length) {
    return `truncated: the header gives ${recordCount} records of ${recordBytes} bytes (${declaredBytes} bytes), the file has ${bytes.length}`;
  }
  return null;
}

/** Protocol-buffer fields of one message: varints and length-delimited bytes by field number (last one wins). */
interface ProtoFields {
  varints: Map<number, number>;
  bytes: Map<number, Uint8Array>;
}

/** Decodes the top-level fields of bytes[start, end), or returns why it cannot. */
function readProtoFields(bytes: Uint8Array, start: number, end: number): ProtoFields | string {
  const fields: ProtoFields = { varints: new Map(), bytes: new Map() };
  let pos = start;
  const readVarint = (): number | null => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) return null;
      const byte = bytes[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return null;
  };
  while (pos < end) {
    const key = readVarint();
    if (key === null) return `bad field key at byte ${pos}`;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const value = readVarint();
      if (value === null) return `bad varint in field ${field}`;
      fields.varints.set(field, value);
    } else if (wireType === 2) {
      const length = readVarint();
      if (length === null || pos + length > end) return `field ${field} runs past its message`;
      fields.bytes.set(field, bytes.subarray(pos, pos + length));
      pos += length;
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4;
      if (pos > end) return `field ${field} runs past its message`;
    } else {
      return `wire type ${wireType} in field ${field}`;
    }
  }
  return fields;
}

// OSM PBF limits (wiki.openstreetmap.org/wiki/PBF_Format): BlobHeader < 64 KiB, uncompressed blob ≤ 32 MiB.
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_RAW_BLOB_BYTES = 32 * 1024 * 1024;

/**
 * Why these bytes are not an OSM PBF file tiny-osmpbf can read, or null: every blob's header and data
 * lie inside the file, the first blob is the OSMHeader, and each blob is raw or zlib data that inflates
 * (checksum verified) to its stated size. The parser itself loops forever on a truncated blob.
 */
export function findOsmPbfProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  for (let blob = 1; pos < bytes.length; blob++) {
    const at = `blob ${blob} at byte ${pos}`;
    if (pos + 4 > bytes.length) return `truncated: ${at} has no header length`;
    const headerBytes = view.getInt32(pos, false);
    pos += 4;
    if (headerBytes <= 0 || headerBytes > MAX_BLOB_HEADER_BYTES) return `${at}: header length ${headerBytes}, expected 1…${MAX_BLOB_HEADER_BYTES}`;
    if (pos + headerBytes > bytes.length) return `truncated: ${at} has a ${headerBytes}-byte header, ${bytes.length - pos} bytes remain`;
    const header = readProtoFields(bytes, pos, pos + headerBytes);
    if (typeof header === 'string') return `${at}: header ${header}`;
    pos += headerBytes;
    const type = header.bytes.get(1);
    const dataBytes = header.varints.get(3);
    if (type === undefined || dataBytes === undefined) return `${at}: header without type or datasize`;
    const typeName = new TextDecoder().decode(type);
    if (blob === 1 && typeName !== 'OSMHeader') return `starts with a "${typeName.slice(0, 20)}" blob, expected "OSMHeader"`;
    if (pos + dataBytes > bytes.length) return `truncated: ${at} declares ${dataBytes} bytes, ${bytes.length - pos} remain`;
    const data = readProtoFields(bytes, pos, pos + dataBytes);
    if (typeof data === 'string') return `${at}: ${data}`;
    pos += dataBytes;
    if (data.bytes.has(1)) continue;
    const zlib = data.bytes.get(3);
    if (zlib === undefined) return `${at}: neither raw nor zlib data (other compressions are not supported)`;
    const rawBytes = data.varints.get(2) ?? 0;
    if (rawBytes <= 0 || rawBytes > MAX_RAW_BLOB_BYTES) return `${at}: raw size ${rawBytes}, expected 1…${MAX_RAW_BLOB_BYTES}`;
    let inflated: Buffer;
    try {
      inflated = inflateSync(zlib, { maxOutputLength: rawBytes });
    } catch (error) {
      return `${at}: zlib data does not inflate (${error instanceof Error ? error.message : String(error)})`;
    }
    if (inflated.length !== rawBytes) return `${at}: zlib data inflates to ${inflated.length} bytes, its header says ${rawBytes}`;
  }
  return null;
}
