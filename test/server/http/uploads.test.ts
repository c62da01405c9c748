// Uploaded files for imports: the client's name is only a label (never a path), the extension kept only
// when the importer reads it, files of an earlier run removed at start, an upload expired after its time
// to live unless an import is reading it, and ATLAS_UPLOAD_MAX_MB checked.

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_UPLOADS_PER_ACTOR, UploadStore, keptExtension, uploadLabel, uploadMaxBytesFromEnv } from '../../../server/http/uploads';
import { RequestError } from '../../../server/request-error';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-uploads-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const body = (text: string): IncomingMessage => Readable.from([Buffer.from(text)]) as unknown as IncomingMessage;

describe('upload names', () => {
  it('keeps the last path segment as a label, without control characters', () => {
    expect(uploadLabel('../../etc/passwd.csv')).toBe('passwd.csv');
    expect(uploadLabel('C:\\data\\网格.zip')).toBe('网格.zip');
    expect(uploadLabel('..')).toBe('upload');
    expect(uploadLabel('')).toBe('upload');
    expect(uploadLabel('a\u0000b\nc.csv')).toBe('abc.csv');
    expect(uploadLabel('x'.repeat(500)).length).toBe(120);
  });

  it('keeps only the extensions the importer reads', () => {
    expect(keptExtension('台账.XLSX')).toBe('.xlsx');
    expect(keptExtension('roads.osm.pbf')).toBe('.pbf');
    expect(keptExtension('evil.sh')).toBe('');
    expect(keptExtension('noextension')).toBe('');
  });

  it('reads ATLAS_UPLOAD_MAX_MB as whole MiB and refuses anything else', () => {
    expect(uploadMaxBytesFromEnv(undefined)).toBe(512 * 1024 * 1024);
    expect(uploadMaxBytesFromEnv('8')).toBe(8 * 1024 * 1024);
    expect(() => uploadMaxBytesFromEnv('0')).toThrow(/ATLAS_UPLOAD_MAX_MB/);
    expect(() => uploadMaxBytesFromEnv('1.5')).toThrow(/whole number/);
  });
});

describe('UploadStore', () => {
  it('stores a body under a random name with its hash, and only its uploader may use it', async () => {
    const store = new UploadStore(tempDir(), 1024);
    const upload = await store.receive(body('kind,name,lng,lat\n'), '../x.csv', 'user:a');
    expect(upload.path.startsWith(store.dir)).toBe(true);
    expect(upload.path.endsWith(`${upload.id}.csv`)).toBe(true);
    expect(upload).toMatchObject({ fileName: 'x.csv', bytes: 18, sha256: createHash('sha256').update('kind,name,lng,lat\n').digest('hex') });
    expect(readFileSync(upload.path, 'utf8')).toBe('kind,name,lng,lat\n');
    expect(store.get(upload.id, 'user:a')).toBe(upload);
    expect(() => store.get(upload.id, 'user:b')).toThrow(RequestError);
    store.close();
    expect(existsSync(upload.path)).toBe(false);
  });

  it('takes a file in parts, in order, and only a complete upload may be imported', async () => {
    const store = new UploadStore(tempDir(), 1024);
    const first = await store.receive(body('kind,name,'), 'parts.csv', 'user:a', true);
    expect(first).toMatchObject({ bytes: 10, complete: false, sha256: null });
    expect(() => store.get(first.id, 'user:a')).toThrow(/not complete/);
    await expect(store.append(body('x'), first.id, 'user:a', 3, true)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/holds 10 bytes/) });
    await expect(store.append(body('x'), first.id, 'user:b', 10, true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.append(body('lng,'), first.id, 'user:a', 10, true);
    const done = await store.append(body('lat\n'), first.id, 'user:a', 14, false);
    expect(done).toMatchObject({ bytes: 18, complete: true, sha256: createHash('sha256').update('kind,name,lng,lat\n').digest('hex') });
    expect(readFileSync(store.get(first.id, 'user:a').path, 'utf8')).toBe('kind,name,lng,lat\n');
    await expect(store.append(body('more'), first.id, 'user:a', 18)).rejects.toMatchObject({ code: 'CONFLICT' });
    // A part past the limit removes the whole upload.
    const big = await store.receive(body('x'.repeat(1000)), 'big.csv', 'user:a', true);
    await expect(store.append(body('x'.repeat(100)), big.id, 'user:a', 1000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(() => store.get(big.id, 'user:a', false)).toThrow(/no upload/);
    expect(readdirSync(store.dir)).toHaveLength(1);
    store.close();
  });

  it('holds at most MAX_UPLOADS_PER_ACTOR uploads of one administrator', async () => {
    const store = new UploadStore(tempDir(), 1024);
    for (let k = 0; k < MAX_UPLOADS_PER_ACTOR; k++) await store.receive(body('a'), `${k}.csv`, 'user:a');
    await expect(store.receive(body('a'), 'one-more.csv', 'user:a')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await store.receive(body('a'), 'other.csv', 'user:b');
    store.close();
  });

  it('refuses a body past the limit and keeps no part of it', async () => {
    const store = new UploadStore(tempDir(), 10);
    await expect(store.receive(body('x'.repeat(11)), 'big.csv', 'user:a')).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(store.receive(body(''), 'empty.csv', 'user:a')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(readdirSync(store.dir)).toEqual([]);
    store.close();
  });

  it('removes files of an earlier run at start, and nothing else', () => {
    const dir = tempDir();
    writeFileSync(join(dir, `${'a'.repeat(32)}.csv`), 'old');
    writeFileSync(join(dir, `${'b'.repeat(32)}.zip.part`), 'partial');
    writeFileSync(join(dir, 'keep.txt'), 'not ours');
    const store = new UploadStore(dir, 1024);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    store.close();
  });

  it('expires an upload after its time to live, unless an import is reading it', async () => {
    let now = 0;
    const store = new UploadStore(tempDir(), 1024, () => now, 60_000);
    const kept = await store.receive(body('a'), 'a.csv', 'user:a');
    const expired = await store.receive(body('b'), 'b.csv', 'user:a');
    const release = store.pin(kept.id);
    now = 60_001;
    store.sweep();
    expect(existsSync(expired.path)).toBe(false);
    expect(() => store.get(expired.id, 'user:a')).toThrow(/no upload/);
    expect(store.get(kept.id, 'user:a')).toBe(kept);
    release();
    store.sweep();
    expect(existsSync(kept.path)).toBe(false);
    store.close();
  });
});
