// Uploaded files for imports (POST /api/upload): the body streamed to a temporary file under the data
// directory with its SHA-256 and a size limit (the partial file removed when it is exceeded), named by a
// random id — the client's file name is only a label — and deleted after use or after an hour.

import { createHash, randomBytes } from 'node:crypto';
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
  /** The temporary file (the id and a kept extension, inside the uploads directory). */
  path: string;
  bytes: number;
  sha256: string;
  /** Who uploaded it (the audit log's actor): only they may import it. */
  actor: string;
  receivedAtMs: number;
}

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
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
   * Streams a request's body to a new temporary file; PAYLOAD_TOO_LARGE (the partial file removed) once
   * more than maxBytes arrive. The caller has authorised the request.
   */
  async receive(req: IncomingMessage, fileName: string, actor: string): Promise<Upload> {
    const id = randomBytes(16).toString('hex');
    const label = uploadLabel(fileName);
    const path = join(this.dir, `${id}${keptExtension(label)}`);
    const partPath = `${path}.part`;
    const hash = createHash('sha256');
    let bytes = 0;
    const maxBytes = this.maxBytes;
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
    try {
      await pipeline(req, meter, createWriteStream(partPath, { flags: 'wx' }));
      renameSync(partPath, path);
    } catch (error) {
      rmSync(partPath, { force: true });
      if (error instanceof RequestError) throw error;
      throw new RequestError('BAD_REQUEST', 'the upload was interrupted before the whole file arrived');
    }
    if (bytes === 0) {
      rmSync(path, { force: true });
      throw new RequestError('BAD_REQUEST', 'the file is empty');
    }
    const upload: Upload = { id, fileName: label, path, bytes, sha256: hash.digest('hex'), actor, receivedAtMs: this.clock() };
    this.uploads.set(id, upload);
    return upload;
  }

  /** The upload with this id, made by `actor`; NOT_FOUND otherwise (expired, used, or someone else's). */
  get(id: string, actor: string): Upload {
    const upload = this.uploads.get(id);
    if (!upload || upload.actor !== actor) throw new RequestError('NOT_FOUND', `uploadId: no upload ${id} of yours (uploads are kept for an hour, until imported)`);
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
    rmSync(upload.path, { force: true });
  }

  /** Deletes the uploads older than the time to live that no import is reading. */
  sweep(): void {
    const oldest = this.clock() - this.ttlMs;
    for (const upload of [...this.uploads.values()]) if (upload.receivedAtMs < oldest && !this.pinned.has(upload.id)) this.remove(upload.id);
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
