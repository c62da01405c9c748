// The HTTP surface's limits over real sockets: unknown methods get 405 without a stack trace, an
// oversized body 413 before it is read, an oversized batch 400, a client over its rate 429 with
// Retry-After, a body that trickles in is cut at the request timeout, and a request whose client goes
// away cancels its job in the pool.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index';
import { tokenHeaders } from '../support/accounts';

let server: RunningServer;
let port: number;

beforeAll(async () => {
  server = await startServer({
    databasePath: inject('databasePath'),
    port: 0,
    writable: false,
    httpLimits: { maxBodyBytes: 64 * 1024, maxBatch: 4, writes: { perSecond: 1, burst: 2 }, poolReads: { perSecond: 2, burst: 6 } },
  });
  port = Number(new URL(server.url).port);
  await server.pool.prepare();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** Sends raw bytes and returns everything the server answers until it closes or goes quiet. */
function raw(request: string | Buffer, { quietMs = 1_000 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | null = null;
    const done = (): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (timer) clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', reject);
    socket.write(request);
  });
}

const health = `${'/trpc/meta.health'}`;

describe('the HTTP limits', { timeout: 120_000 }, () => {
  it('answers TRACE and other methods with 405 and Allow, without a stack trace', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE']) {
      const answer = await raw(`${method} ${health} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 405/);
      expect(answer).toMatch(/allow: GET, POST/i);
      expect(answer).not.toMatch(/ at |\.ts:\d+/);
    }
  });

  it('refuses a body declared larger than the limit with 413 before reading it', async () => {
    const answer = await raw(`POST /trpc/events.report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 600000000\r\n\r\n{"lng`);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/PAYLOAD_TOO_LARGE/);
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const chunk = 'x'.repeat(32 * 1024);
    const body = [1, 2, 3].map(() => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const answer = await raw(`POST /trpc/events.report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('refuses a batch of more procedures than allowed at once', async () => {
    const paths = Array.from({ length: 5 }, () => 'meta.health').join(',');
    const response = await fetch(`${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/at most 4 procedures/);
  });

  it('answers 429 with Retry-After when a client asks for more analyses than its rate', async () => {
    const input = encodeURIComponent(JSON.stringify({ kind: 'health_station', maxMinutes: 15, within: '210103', groupBy: 'street' }));
    const rateClient = tokenHeaders(server.accounts);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let k = 0; k < 10; k++) {
      const response = await fetch(`${server.url}/trpc/coverage.rates?input=${input}`, { headers: rateClient });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Other clients are not held back by that one.
    const other = await fetch(`${server.url}/trpc/coverage.rates?input=${input}`, { headers: tokenHeaders(server.accounts) });
    expect(other.status).toBe(200);
  });

  it('cuts a request whose body trickles in past the request timeout', async () => {
    server.server.requestTimeout = 2_000;
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('POST /trpc/events.report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      const drip = setInterval(() => {
        if (socket.destroyed) clearInterval(drip);
        else socket.write(' ');
      }, 500);
      socket.on('close', () => clearInterval(drip));
    });
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    server.server.requestTimeout = 30_000;
  });

  it('cancels the job of a request whose client goes away', async () => {
    const heavy = () => server.pool.status().lanes.find((lane) => lane.name === 'heavy')!;
    const before = heavy().cancelled;
    const controller = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ within: '2101', from: '2026-08-01', to: '2026-10-31', resolution: 8, permutations: 2999, seed: 11 }));
    const request = fetch(`${server.url}/trpc/hotspots.cells?input=${input}`, { signal: controller.signal, headers: tokenHeaders(server.accounts) }).catch(
      (error: unknown) => error,
    );
    const started = Date.now();
    while (heavy().running === 0 && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await request;
    while (heavy().cancelled === before && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heavy().cancelled).toBe(before + 1);
  });
});
