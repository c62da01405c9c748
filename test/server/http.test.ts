// The HTTP server over the test database: plain-JSON GETs as curl sends them, ETag revalidation for
// data-only procedures, no-store for the rest, error statuses, gzip, and listening on loopback only.

import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataEtag } from '../../server/http-handler';
import { PACKAGE_VERSION, startServer, type RunningServer } from '../../server/index';
import { principalFor } from '../support/context';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ databasePath: inject('databasePath'), port: 0 });
});

afterAll(async () => {
  await server?.close();
});

/** Exactly what `curl 'http://127.0.0.1:PORT/trpc/geo.adminUnits?input=%7B%22level%22%3A%22county%22%7D'` asks for. */
const COUNTIES_PATH = '/trpc/geo.adminUnits?input=%7B%22level%22%3A%22county%22%7D';

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const withInput = (procedure: string, input: unknown) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

/** A raw GET (no automatic decompression): status, headers and the body bytes as sent. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ response: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = server.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${address.port}`);
    // Neither IPv6 loopback nor any of this machine's other addresses reach it.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const host of ['[::1]', ...others]) {
      await expect(fetch(`http://${host}:${address.port}/trpc/meta.health`), host).rejects.toThrow();
    }
  });

  it('answers the curl GET of geo.adminUnits with result.data, a FeatureCollection of 100 counties', async () => {
    const response = await get(COUNTIES_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { result: { data: { type: string; features: { properties: { level: string } }[] } } };
    expect(body.result.data.type).toBe('FeatureCollection');
    expect(body.result.data.features).toHaveLength(100);
    expect(body.result.data.features.every((f) => f.properties.level === 'county')).toBe(true);
  });

  it('gives data GETs a private ETag revalidated on every use, and answers a matching If-None-Match with 304', async () => {
    const first = await get(COUNTIES_PATH);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(new RegExp(`^W/"${inject('dataVersion')}-[\\w-]+"$`));
    // Answers depend on who asks: private, and revalidated so a shared browser never shows one user's answer to the next.
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    const revalidated = await get(COUNTIES_PATH, { 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(await revalidated.text()).toBe('');

    const stale = await get(COUNTIES_PATH, { 'if-none-match': '"someone-else"' });
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { result: { data: { features: unknown[] } } }).result.data.features).toHaveLength(100);

    const other = await get(withInput('geo.adminUnits', { level: 'city' }));
    await other.arrayBuffer();
    expect(other.headers.get('etag')).toMatch(/^W\/".+"$/);
    expect(other.headers.get('etag')).not.toBe(etag);
  });

  it('marks meta.health not cacheable: no ETag, cache-control no-store', async () => {
    const response = await get('/trpc/meta.health');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { result: { data: { ok: boolean; version: string; dataVersion: string } } };
    expect(body.result.data).toMatchObject({ ok: true, version: PACKAGE_VERSION, dataVersion: inject('dataVersion') });
  });

  it('answers bad input with 400 and a JSON message naming the field, never cached', async () => {
    const response = await get(withInput('geo.adminUnits', { level: 'planet' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: { message: string; data: { code: string; httpStatus: number; stack?: string } } };
    expect(body.error.message).toMatch(/^Invalid input: level: /);
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    // No stack trace (server paths and internals) in what any caller sees.
    expect(body.error.data.stack).toBeUndefined();

    const bbox = (await (await get(withInput('geo.boundaryLines', { bbox: [124, 41, 123, 42] }))).json()) as { error: { message: string } };
    expect(bbox.error.message).toMatch(/^Invalid input: bbox: /);
    const unknownKey = await get(withInput('geo.adminTree', { code: '21', depth: 2 }));
    expect(unknownKey.status).toBe(400);
    const notJson = await get('/trpc/geo.adminUnits?input=%7Blevel');
    expect(notJson.status).toBe(400);
  });

  it('answers 404 for an unknown code inside the jurisdiction and for an unknown procedure, 403 for a code outside it', async () => {
    const unknownCode = await get(withInput('geo.adminTree', { code: '219999' }));
    expect(unknownCode.status).toBe(404);
    expect(((await unknownCode.json()) as { error: { message: string } }).error.message).toBe('code: no admin unit has code 219999');
    const outside = await get(withInput('geo.adminTree', { code: '999999' }));
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: { message: string } }).error.message).toBe('code: 999999 is outside your jurisdiction (21)');
    const unknownProcedure = await get('/trpc/geo.nowhere');
    expect(unknownProcedure.status).toBe(404);
    await unknownProcedure.arrayBuffer();
  });

  it('gzips responses for clients that accept it (fetch sends accept-encoding itself)', async () => {
    const viaFetch = await get(COUNTIES_PATH);
    expect(viaFetch.headers.get('content-encoding')).toBe('gzip');
    await viaFetch.arrayBuffer();

    const zipped = await rawGet(COUNTIES_PATH, { 'accept-encoding': 'gzip' });
    expect(zipped.response.headers['content-encoding']).toBe('gzip');
    const json = JSON.parse(gunzipSync(zipped.body).toString('utf8')) as { result: { data: { features: unknown[] } } };
    expect(json.result.data.features).toHaveLength(100);
    expect(zipped.body.length).toBeLessThan(gunzipSync(zipped.body).length / 2);

    const plain = await rawGet(COUNTIES_PATH, { 'accept-encoding': 'identity' });
    expect(plain.response.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.body.toString('utf8')) as { result: { data: { features: unknown[] } } }).result.data.features).toHaveLength(100);
  });
});

describe('dataEtag', () => {
  const req = (method: string, url: string) => ({ method, url }) as Parameters<typeof dataEtag>[0];
  const viewer = principalFor('viewer');

  it('tags GETs of procedures that depend only on the data, by data version, path and query', () => {
    const tag = dataEtag(req('GET', COUNTIES_PATH), 'v1', viewer);
    expect(tag).toMatch(/^W\/"v1-[\w-]{16}"$/);
    expect(dataEtag(req('GET', COUNTIES_PATH), 'v1', viewer)).toBe(tag);
    expect(dataEtag(req('GET', COUNTIES_PATH), 'v2', viewer)).toBe(tag!.replace('"v1-', '"v2-'));
    expect(dataEtag(req('GET', withInput('geo.adminUnits', { level: 'city' })), 'v1', viewer)).not.toBe(tag);
    expect(dataEtag(req('GET', '/trpc/geo.adminUnits,geo.adminTree?batch=1&input=%7B%7D'), 'v1', viewer)).toMatch(/^W\/"v1-/);
  });

  it('tags the scope of the caller: another role or jurisdiction gets another tag, nobody none', () => {
    const tag = dataEtag(req('GET', COUNTIES_PATH), 'v1', viewer);
    expect(dataEtag(req('GET', COUNTIES_PATH), 'v1', principalFor('viewer', '2101'))).not.toBe(tag);
    expect(dataEtag(req('GET', COUNTIES_PATH), 'v1', principalFor('planner'))).not.toBe(tag);
    expect(dataEtag(req('GET', COUNTIES_PATH), 'v1', null)).toBeNull();
  });

  it('tags nothing else: other methods, meta.health, batches including it, unknown paths', () => {
    expect(dataEtag(req('POST', COUNTIES_PATH), 'v1', viewer)).toBeNull();
    expect(dataEtag(req('GET', '/trpc/meta.health'), 'v1', viewer)).toBeNull();
    expect(dataEtag(req('GET', '/trpc/geo.adminUnits,meta.health?batch=1&input=%7B%7D'), 'v1', viewer)).toBeNull();
    expect(dataEtag(req('GET', '/trpc/geo.nowhere'), 'v1', viewer)).toBeNull();
    expect(dataEtag(req('GET', '/index.html'), 'v1', viewer)).toBeNull();
  });
});
