// Uploaded files for imports (POST /api/upload): the body streamed to a temporary file under the data
// directory with its SHA-256 and a size limit (the partial file removed when it is exceeded), in one
// request or in parts (each within the server's request timeout), named by a random id — the client's
// file name is only a label — and deleted after use or an hour after its last part.

import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequestError } from '../request-error';

/** Default largest upload, MiB. */
export const DEFAULT_UPLOAD_MAX_MB = 512;
/** An upload not used by then is deleted, ms. */
export const UPLOAD_TTL_MS = 60 * 60_000;

/** ATLAS_UPLOAD_MAX_MB, checked: the largest upload in bytes (default 512 MiB). */
export function uploadMaxBytesFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_UPLOAD_MAX_MB * 1024 * 1024;
  const mib = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(mib > 0)) throw new Error(`ATLAS_UPLOAD_MAX_MB must be a whole number of MiB above 0, got "${text}"`);
  return mib * 1024 * 1024;
}

/** Extensions kept on the temporary file (the importer tells formats apart by them); any other is dropped. */
const KEPT_EXTENSIONS = ['.geojson', '.json', '.ndjson', '.geojsonl', '.geojsons', '.jsonl', '.csv', '.tsv', '.txt', '.xlsx', '.zip', '.gpkg', '.pbf'];

/** A temporary file's name: the upload id, a kept extension, ".part" while it is being received. */
const TEMP_NAME = /^[0-9a-f]{32}(\.[a-z]+)?(\.part)?$/;

/** The client's file name as a label: its last path segment, without control characters, at most 120 characters. */
export function uploadLabel(name: string | null | undefined): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

/** The extension the temporary file keeps: the label's, when it is one the importer reads, else none. */
export function keptExtension(label: string): string {
  const match = /\.[A-Za-z0-9]+$/.exec(label);
  const extension = match ? match[0].toLowerCase() : '';
  return KEPT_EXTENSIONS.includes(extension) ? extension : '';
}

export interface Upload {
  id: string;
  /** The client's file name: a label, never a path. */
  fileName: string;
  /** The temporary file (the id and a kept extension, inside the uploads directory; ".part" until complete). */
  path: string;
  /** Bytes received so far. */
  bytes: number;
  /** SHA-256 of the whole file, once complete. */
  sha256: string | null;
  /** Whether the last part has arrived (only a complete upload can be imported). */
  complete: boolean;
  /** Who uploaded it (the audit log's actor): only they may add to it or import it. */
  actor: string;
  /** When its last part arrived (ms since epoch): it expires an hour after. */
  receivedAtMs: number;
}

/** Uploads an administrator may hold at once (each up to the limit), so one cannot fill the disk. */
export const MAX_UPLOADS_PER_ACTOR = 8;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  /** The running hash of each incomplete upload. */
  private readonly hashes = new Map<string, Hash>();
  /** Uploads a part is being written to (one part at a time). */
  private readonly writing = new Set<string>();
  /** Uploads an import is reading: not expired under it. */
  private readonly pinned = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    private readonly clock: () => number = Date.now,
    readonly ttlMs: number = UPLOAD_TTL_MS,
  ) {
    mkdirSync(dir, { recursive: true });
    // Files of an earlier run are orphans: their ids were in that process's memory only.
    for (const name of readdirSync(dir)) if (TEMP_NAME.test(name)) rmSync(join(dir, name), { force: true });
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 5 * 60_000));
    this.sweeper.unref();
  }

  /**
   * Streams a request's body to a new upload: the whole file, or (more) its first part, the others
   * following through append(). The caller has authorised the request.
   */
  async receive(req: IncomingMessage, fileName: string, actor: string, more = false): Promise<Upload> {
    const held = [...this.uploads.values()].filter((upload) => upload.actor === actor).length;
    if (held >= MAX_UPLOADS_PER_ACTOR) throw new RequestError('TOO_MANY_REQUESTS', `you hold ${held} uploads already: import them, or wait an hour for them to expire`);
    const id = randomBytes(16).toString('hex');
    const label = uploadLabel(fileName);
    const upload: Upload = { id, fileName: label, path: join(this.dir, `${id}${keptExtension(label)}`), bytes: 0, sha256: null, complete: false, actor, receivedAtMs: this.clock() };
    this.uploads.set(id, upload);
    this.hashes.set(id, createHash('sha256'));
    return this.writePart(upload, req, more);
  }

  /**
   * Streams the next part of an incomplete upload (`offset`: the bytes the client has sent before it);
   * `more` false makes it complete. A wrong offset is CONFLICT (the answer says where to go on).
   */
  async append(req: IncomingMessage, id: string, actor: string, offset: number, more = false): Promise<Upload> {
    const upload = this.get(id, actor, false);
    if (upload.complete) throw new RequestError('CONFLICT', `uploadId: upload ${id} is complete already`);
    if (this.writing.has(id)) throw new RequestError('CONFLICT', `uploadId: a part of upload ${id} is arriving already: send the parts one after the other`);
    if (offset !== upload.bytes) throw new RequestError('CONFLICT', `offset: upload ${id} holds ${upload.bytes} bytes; send the part from there`);
    return this.writePart(upload, req, more);
  }

  /** Appends a body to an upload's partial file; the upload is removed whole on any failure. */
  private async writePart(upload: Upload, req: IncomingMessage, more: boolean): Promise<Upload> {
    const partPath = `${upload.path}.part`;
    const hash = this.hashes.get(upload.id)!;
    const maxBytes = this.maxBytes;
    let bytes = upload.bytes;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          done(new RequestError('PAYLOAD_TOO_LARGE', `the file is larger than the upload limit of ${formatMiB(maxBytes)} (ATLAS_UPLOAD_MAX_MB)`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    this.writing.add(upload.id);
    try {
      await pipeline(req, meter, createWriteStream(partPath, { flags: upload.bytes === 0 ? 'wx' : 'a' }));
    } catch (error) {
      this.remove(upload.id);
      if (error instanceof RequestError) throw error;
      throw new RequestError('BAD_REQUEST', 'the upload was interrupted before the whole file arrived');
    } finally {
      this.writing.delete(upload.id);
    }
    upload.bytes = bytes;
    upload.receivedAtMs = this.clock();
    if (!more) {
      if (bytes === 0) {
        this.remove(upload.id);
        throw new RequestError('BAD_REQUEST', 'the file is empty');
      }
      renameSync(partPath, upload.path);
      upload.sha256 = hash.digest('hex');
      upload.complete = true;
      this.hashes.delete(upload.id);
    }
    return upload;
  }

  /**
   * The upload with this id, made by `actor` (complete, unless `complete` is false); NOT_FOUND otherwise
   * (expired, used, or someone else's).
   */
  get(id: string, actor: string, complete = true): Upload {
    const upload = this.uploads.get(id);
    if (!upload || upload.actor !== actor) throw new RequestError('NOT_FOUND', `uploadId: no upload ${id} of yours (uploads are kept for an hour, until imported)`);
    if (complete && !upload.complete) throw new RequestError('CONFLICT', `uploadId: upload ${id} is not complete (${upload.bytes} bytes so far): send its last part first`);
    return upload;
  }

  /** Keeps an upload from expiring while an import reads it; returns the release. */
  pin(id: string): () => void {
    this.pinned.set(id, (this.pinned.get(id) ?? 0) + 1);
    return () => {
      const left = (this.pinned.get(id) ?? 1) - 1;
      if (left > 0) this.pinned.set(id, left);
      else this.pinned.delete(id);
    };
  }

  /** Deletes an upload and its file. */
  remove(id: string): void {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.uploads.delete(id);
    this.hashes.delete(id);
    rmSync(upload.path, { force: true });
    rmSync(`${upload.path}.part`, { force: true });
  }

  /** Deletes the uploads older than the time to live that no import is reading. */
  sweep(): void {
    const oldest = this.clock() - this.ttlMs;
    for (const upload of [...this.uploads.values()]) {
      if (upload.receivedAtMs < oldest && !this.pinned.has(upload.id) && !this.writing.has(upload.id)) this.remove(upload.id);
    }
  }

  get size(): number {
    return this.uploads.size;
  }

  /** Stops the sweeper and deletes every upload. */
  close(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.uploads.keys()]) this.remove(id);
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}
