// The HTTP request handler: tRPC at /trpc (plain JSON, GET for queries) with the worker pool's answers
// spliced in as bytes, ETag revalidation for procedures whose answer depends only on the data version,
// limits (methods, body size, batch size, per-client rates), gzip, and the built client with SPA fallback.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import compression from 'compression';
import sirv from 'sirv';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { AtlasContext } from './context';
import { ROLES, type Role } from './domain/parties';
import { parseRateLimit, RateLimiter, type RateLimit } from './http/rate-limit';
import { JOBS } from './jobs/registry';
import { createRequestRunner, type PoolRunner } from './pool/pool-runner';
import { RawJsonParts } from './pool/raw-json';
import { appRouter } from './routers/app';
import type { AtlasStore } from './store/atlas-store';
import type { ProcedureMeta } from './trpc';

export interface HttpLimits {
  /** Largest request body, bytes (default 1 MiB): larger ones get 413 before they are read. */
  maxBodyBytes: number;
  /** Procedures in one batched request at most (default 8). */
  maxBatch: number;
  /** Mutations per client (null: unlimited). */
  writes: RateLimit | null;
  /** Reads that start work in the worker pool, per client (null: unlimited). */
  poolReads: RateLimit | null;
}

/** Limits from ATLAS_WRITE_RATE and ATLAS_READ_RATE ("perSecond/burst" or "off"). */
export function httpLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpLimits {
  return {
    maxBodyBytes: 1024 * 1024,
    maxBatch: 8,
    writes: parseRateLimit('ATLAS_WRITE_RATE', env.ATLAS_WRITE_RATE, { perSecond: 20, burst: 40 }),
    poolReads: parseRateLimit('ATLAS_READ_RATE', env.ATLAS_READ_RATE, { perSecond: 20, burst: 60 }),
  };
}

export interface HandlerOptions {
  store: AtlasStore;
  /** The worker pool every job runs in. */
  pool: PoolRunner;
  version: string;
  /** The built client (vite build output); optional so the API can run alone. */
  clientDir?: string;
  /** Bearer token → role (ATLAS_TOKENS="token:supervisor,token2:operator"). */
  tokens?: ReadonlyMap<string, Role>;
  limits?: HttpLimits;
}

/**
 * Parses ATLAS_TOKENS ("token:role,…"). Without tokens, demonstration data lets anonymous callers
 * report and move cases (operator, parties masked); with tokens, anonymous callers only read (public).
 */
export function parseTokens(text: string | undefined): Map<string, Role> {
  const tokens = new Map<string, Role>();
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const separator = part.lastIndexOf(':');
    const token = part.slice(0, separator);
    const role = part.slice(separator + 1) as Role;
    if (separator <= 0 || !ROLES.includes(role)) throw new Error(`ATLAS_TOKENS: expected token:role with role one of ${ROLES.join(', ')}`);
    tokens.set(token, role);
  }
  return tokens;
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : null;
}

function roleOf(req: IncomingMessage, tokens: ReadonlyMap<string, Role>, anonymous: Role): Role {
  const token = bearerOf(req);
  if (token === null) return anonymous;
  return tokens.get(token) ?? 'public';
}

/** Who is asking, for per-client limits: a hash of the bearer token, else the remote address. */
export function clientKeyOf(req: IncomingMessage): string {
  const token = bearerOf(req);
  if (token !== null) return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

const TRPC_PREFIX = '/trpc/';

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta; type: string } }>;

/** The procedures of a /trpc URL (several in a batch). */
function proceduresOf(url: URL): string[] {
  return decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length)).split(',');
}

/**
 * The ETag of a GET of procedures that all depend only on the data (null otherwise): the data version
 * and a hash of the path and query string.
 */
export function dataEtag(req: IncomingMessage, dataVersion: string): string | null {
  if (req.method !== 'GET' || !req.url?.startsWith(TRPC_PREFIX)) return null;
  const url = new URL(req.url, 'http://localhost');
  if (!proceduresOf(url).every((path) => procedures[path]?._def.meta?.cache === 'data')) return null;
  const digest = createHash('sha1').update(url.pathname).update(url.search).digest('base64url').slice(0, 16);
  // Weak: the gzip and identity encodings of one answer share the tag.
  return `W/"${dataVersion}-${digest}"`;
}

/** Weak comparison (RFC 9110 §13.1.2) of an If-None-Match header against our tag. */
function ifNoneMatchIncludes(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** A JSON error in tRPC's shape, for refusals made before tRPC sees the request. */
function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ error: { message, code: -32600, data: { code, httpStatus: status } } }));
}

/**
 * Holds a JSON response until it ends and writes it with the pool's answers in place of their
 * placeholders. Event streams and responses without pool answers pass straight through.
 */
function spliceResponses(res: ServerResponse, parts: RawJsonParts): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let held: Buffer[] | null = null;
  const holding = (): boolean => {
    if (held) return true;
    if (parts.size === 0 || String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return false;
    held = [];
    return true;
  };
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(String(chunk), (encoding as BufferEncoding) ?? 'utf8');
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!holding()) return write(chunk, ...rest);
    held!.push(toBuffer(chunk, typeof rest[0] === 'string' ? rest[0] : undefined));
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    const [chunk, encoding] = typeof args[0] === 'function' ? [undefined, undefined] : args;
    if (!holding()) return end(...args);
    if (chunk !== undefined && chunk !== null) held!.push(toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined));
    const body = parts.splice(Buffer.concat(held!));
    if (!res.headersSent) res.removeHeader('content-length');
    const callback = args.find((item) => typeof item === 'function') as (() => void) | undefined;
    return callback ? end(body, callback) : end(body);
  }) as ServerResponse['end'];
}

export function createRequestHandler({ store, pool, version, clientDir, tokens = new Map(), limits = httpLimitsFromEnv() }: HandlerOptions): RequestListener {
  const dataVersion = store.health().dataVersion;
  const anonymous: Role = tokens.size === 0 && store.health().demo ? 'operator' : 'public';
  const writeLimiter = limits.writes ? new RateLimiter(limits.writes) : null;
  const readLimiter = limits.poolReads ? new RateLimiter(limits.poolReads) : null;
  const partsByRequest = new WeakMap<IncomingMessage, RawJsonParts>();
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_PREFIX,
    maxBodySize: limits.maxBodyBytes,
    createContext: ({ req }): AtlasContext => ({
      store,
      jobs: createRequestRunner(pool, partsByRequest.get(req) ?? new RawJsonParts(), { client: clientKeyOf(req) }),
      version,
      role: roleOf(req, tokens, anonymous),
      responseEtag: dataEtag(req, dataVersion),
    }),
    responseMeta: ({ ctx, errors, type }) => {
      if (ctx?.responseEtag && type === 'query' && errors.length === 0) {
        return { headers: { etag: ctx.responseEtag, 'cache-control': 'public, max-age=300' } };
      }
      return { headers: { 'cache-control': 'no-store' } };
    },
    onError: ({ error, path }) => {
      // Input errors are the caller's; log only what went wrong on our side (never inputs: they may hold personal data).
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
  const compress = compression({
    // Server-sent events must reach the client as they happen; mutations answer a few hundred bytes,
    // which gzip only slows down.
    filter: (req, res) =>
      req.method === 'GET' && !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') && compression.filter(req, res),
  });
  const serveClient =
    clientDir && existsSync(clientDir)
      ? sirv(clientDir, {
          single: true,
          etag: true,
          gzip: false,
          setHeaders: (res, pathname) => {
            res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
          },
        })
      : null;

  const handleTrpc = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      refuse(res, 405, 'METHOD_NOT_SUPPORTED', `${req.method ?? 'this method'} is not supported: use GET for queries and POST for mutations`, { allow: 'GET, POST' });
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) {
      refuse(res, 413, 'PAYLOAD_TOO_LARGE', `the body is ${declared} bytes; at most ${limits.maxBodyBytes} are accepted`, { connection: 'close' });
      req.resume();
      return;
    }
    const url = new URL(req.url!, 'http://localhost');
    const paths = proceduresOf(url);
    if (paths.length > limits.maxBatch) {
      refuse(res, 400, 'BAD_REQUEST', `a batch holds at most ${limits.maxBatch} procedures, this one ${paths.length}: split it`);
      return;
    }
    const client = clientKeyOf(req);
    const limiter = req.method === 'POST' ? writeLimiter : readLimiter;
    const cost = req.method === 'POST' ? paths.length : paths.filter((path) => path in JOBS).length;
    if (limiter && cost > 0) {
      const wait = limiter.take(client, cost);
      if (wait > 0) {
        refuse(res, 429, 'TOO_MANY_REQUESTS', `too many ${req.method === 'POST' ? 'writes' : 'analyses'} from this client; retry in ${wait} s`, { 'retry-after': String(wait) });
        return;
      }
    }
    const etag = dataEtag(req, dataVersion);
    if (etag && ifNoneMatchIncludes(req.headers['if-none-match'], etag)) {
      res.writeHead(304, { etag, 'cache-control': 'public, max-age=300' });
      res.end();
      return;
    }
    const parts = new RawJsonParts();
    partsByRequest.set(req, parts);
    spliceResponses(res, parts);
    trpc(req, res);
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    compress(req as never, res as never, () => {
      if (req.url?.startsWith(TRPC_PREFIX)) {
        handleTrpc(req, res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('Method not allowed');
        return;
      }
      if (serveClient) {
        serveClient(req, res, () => {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Not found');
        });
        return;
      }
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The client is not built: run `npm run build` (npm start does it for you).');
    });
  };
}
