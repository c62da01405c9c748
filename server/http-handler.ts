// The HTTP request handler: tRPC at /trpc (plain JSON, GET for queries) with the worker pool's answers
// spliced in as bytes, who is calling (a bearer token, a session or kiosk cookie, or the anonymous
// viewer), ETag revalidation for procedures whose answer depends only on the data version and the
// caller's scope, limits (methods, body size, batch size, per-client rates), a same-origin check on
// writes, security headers, a request log, gzip, wall-display links (/kiosk/<token>), file uploads for
// imports (POST /api/upload) and the built client with SPA fallback.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import compression from 'compression';
import sirv from 'sirv';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { KIOSK_COOKIE, SESSION_COOKIE, cookieHeader, cookieValue, type Accounts, type Principal } from './auth/accounts';
import type { AtlasContext } from './context';
import { formatChinaDateTime } from './domain/china-time';
import { RequestError } from './request-error';
import { briefAnswerLinks, deskAnswerLinks, modePreloadLinks } from './http/preload-links';
import { CAPABILITIES } from './domain/access';
import { parseRateLimit, RateLimiter, type RateLimit } from './http/rate-limit';
import { JOBS } from './jobs/registry';
import { requireImporter, type DataImports } from './live/data-imports';
import type { UploadStore } from './http/uploads';
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
  /** Accounts, sessions, tokens and the audit log: who each request comes from. */
  accounts: Accounts;
  version: string;
  /** The built client (vite build output); optional so the API can run alone. */
  clientDir?: string;
  limits?: HttpLimits;
  /** Uploads (POST /api/upload) and the imports that read them; absent: no upload route. */
  imports?: { uploads: UploadStore; imports: DataImports };
  /** The request log: one line per API request (no query strings, no secrets). */
  log?: (message: string) => void;
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : null;
}

/** Who is asking, for per-client limits: a hash of the bearer token or session, else the remote address. */
export function clientKeyOf(req: IncomingMessage): string {
  const secret = bearerOf(req) ?? cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (secret !== null) return `secret:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Security headers of every response: a Content-Security-Policy without inline or remote script (the
 * map's workers come from blob: URLs; styles may be inline, as MapLibre and ECharts set them), no
 * framing, no MIME sniffing, no referrer (a wall's link holds its token).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(self)',
};

/**
 * Whether a write comes from a page of this site: browsers send Origin (and Sec-Fetch-Site) with every
 * POST; one from another site is refused (CSRF), even though session cookies are SameSite=Strict.
 * Scripts (curl) send neither and authenticate with a bearer token or cookie of their own.
 */
export function sameOriginWrite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const TRPC_PREFIX = '/trpc/';
/** Where files for admin.import are uploaded (see handleUpload). */
export const UPLOAD_PATH = '/api/upload';

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta; type: string } }>;

/** The procedures of a /trpc URL (several in a batch). */
function proceduresOf(url: URL): string[] {
  return decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length)).split(',');
}

/**
 * The ETag of a GET of procedures that all depend only on the data and the caller's scope (null
 * otherwise): the data version and a hash of the scope, the path and the query string.
 */
export function dataEtag(req: IncomingMessage, dataVersion: string, principal: Principal | null): string | null {
  if (req.method !== 'GET' || !req.url?.startsWith(TRPC_PREFIX) || !principal) return null;
  const url = new URL(req.url, 'http://localhost');
  if (!proceduresOf(url).every((path) => procedures[path]?._def.meta?.cache === 'data')) return null;
  const scope = `${principal.role}|${principal.jurisdiction}|${principal.screenOnly}`;
  const digest = createHash('sha1').update(scope).update('\n').update(url.pathname).update(url.search).digest('base64url').slice(0, 16);
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

/** Procedures any caller may reach even with a stale credential (to log in again). */
const isOpen = (path: string): boolean => procedures[path]?._def.meta?.access === 'open';

export function createRequestHandler({ store, pool, accounts, version, clientDir, limits = httpLimitsFromEnv(), imports, log = () => {} }: HandlerOptions): RequestListener {
  const writeLimiter = limits.writes ? new RateLimiter(limits.writes) : null;
  const readLimiter = limits.poolReads ? new RateLimiter(limits.poolReads) : null;
  const exchanges = new WeakMap<IncomingMessage, { parts: RawJsonParts; principal: Principal | null; etag: string | null }>();
  /** Who made each request, for the request log. */
  const actors = new WeakMap<IncomingMessage, string>();
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_PREFIX,
    maxBodySize: limits.maxBodyBytes,
    createContext: ({ req, res }): AtlasContext => {
      const exchange = exchanges.get(req);
      return {
        store,
        jobs: createRequestRunner(pool, exchange?.parts ?? new RawJsonParts(), { client: clientKeyOf(req) }),
        version,
        principal: exchange?.principal ?? null,
        accounts,
        imports: imports?.imports,
        http: {
          address: req.socket.remoteAddress ?? 'unknown',
          secure: secureCookies(req),
          setCookie: (cookie) => appendCookie(res, cookie),
        },
        responseEtag: exchange?.etag ?? null,
      };
    },
    responseMeta: ({ ctx, errors, type }) => {
      if (ctx?.responseEtag && type === 'query' && errors.length === 0) {
        // Private (answers depend on who asks) and revalidated every time, so a shared browser never
        // serves one user's answer to the next.
        return { headers: { etag: ctx.responseEtag, 'cache-control': 'private, no-cache' } };
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
  const preloadLinks = clientDir && existsSync(clientDir) ? modePreloadLinks(clientDir) : new Map<string, string>();
  const serveClient =
    clientDir && existsSync(clientDir)
      ? sirv(clientDir, {
          single: true,
          etag: true,
          gzip: false,
          setHeaders: (res, pathname) => {
            // Hashed assets never change; the page, the service worker (sw.js, its Workbox runtime) and the
            // web app manifest are revalidated on every load, so a new release reaches installed clients.
            res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
            if (pathname.endsWith('.webmanifest')) res.setHeader('content-type', 'application/manifest+json; charset=utf-8');
          },
        })
      : null;

  /** Who is opening a page, when they could ask the briefing's answers (not a wall display, not a stale session). */
  const callerOfPage = (req: IncomingMessage): Principal | null => {
    try {
      const principal = accounts.resolve(req);
      return principal && !principal.screenOnly && !principal.mustChangePassword ? principal : null;
    } catch (error) {
      if (error instanceof RequestError) return null;
      throw error;
    }
  };

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
    if (req.method === 'POST' && !sameOriginWrite(req)) {
      refuse(res, 403, 'FORBIDDEN', 'a write from another site is refused: use the atlas itself, or a script with a bearer token');
      req.resume();
      return;
    }
    const url = new URL(req.url!, 'http://localhost');
    const paths = proceduresOf(url);
    if (paths.length > limits.maxBatch) {
      refuse(res, 400, 'BAD_REQUEST', `a batch holds at most ${limits.maxBatch} procedures, this one ${paths.length}: split it`);
      return;
    }
    let principal: Principal | null;
    try {
      principal = accounts.resolve(req);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      // A stale session or kiosk cookie is cleared; a request that only logs in goes on without it.
      const clear = [SESSION_COOKIE, KIOSK_COOKIE].filter((name) => cookieValue(req.headers.cookie, name) !== null).map((name) => cookieHeader(name, '', 0, secureCookies(req)));
      for (const cookie of clear) appendCookie(res, cookie);
      if (!paths.every(isOpen)) {
        refuse(res, 401, error.code, error.message);
        return;
      }
      principal = null;
    }
    if (principal) actors.set(req, principal.actor);
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
    // The data version of now: an import or undo changes it while the server runs.
    const etag = dataEtag(req, store.health().dataVersion, principal);
    if (etag && ifNoneMatchIncludes(req.headers['if-none-match'], etag)) {
      res.writeHead(304, { etag, 'cache-control': 'private, no-cache' });
      res.end();
      return;
    }
    const parts = new RawJsonParts();
    exchanges.set(req, { parts, principal, etag });
    spliceResponses(res, parts);
    trpc(req, res);
  };

  /**
   * POST /api/upload?name=<file name>: the body (the file's bytes) streamed to a temporary file for
   * admin.import; answers { uploadId, bytes, sha256, fileName, complete }. A large file comes in parts,
   * each its own request: the first with &more=1, the others to ?uploadId=<id>&offset=<bytes sent
   * before>(&more=1 but for the last). For administrators who may import, from this site (or a script
   * with an administrator's session); larger than the limit: 413, nothing kept.
   */
  const handleUpload = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (!imports) {
      refuse(res, 404, 'NOT_FOUND', 'uploads are not enabled on this server');
      req.resume();
      return;
    }
    if (req.method !== 'POST') {
      refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'upload a file with POST', { allow: 'POST' });
      req.resume();
      return;
    }
    const answerError = (error: RequestError): void => {
      // The status tRPC gives the same code, as for every procedure's refusal.
      const status = getHTTPStatusCodeFromError(new TRPCError({ code: error.code }));
      // Whatever of the body is left is read and dropped, so the client sees the answer, not a reset.
      refuse(res, status, error.code, error.message, status === 413 ? { connection: 'close' } : {});
      req.resume();
    };
    try {
      if (!sameOriginWrite(req)) throw new RequestError('FORBIDDEN', 'an upload from another site is refused: use the atlas itself, or a script with a bearer token');
      const principal = accounts.resolve(req);
      if (principal?.mustChangePassword) throw new RequestError('FORBIDDEN', 'change your password first');
      requireImporter(principal, imports.imports.deploymentCode);
      actors.set(req, principal!.actor);
      const declared = Number(req.headers['content-length'] ?? 0);
      const more = url.searchParams.get('more') === '1';
      const continued = url.searchParams.get('uploadId');
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (continued !== null && (!/^[0-9a-f]{32}$/.test(continued) || !Number.isSafeInteger(offset) || offset < 0)) {
        throw new RequestError('BAD_REQUEST', 'uploadId and offset: the id an earlier part answered, and the bytes sent before this part');
      }
      if (offset + declared > imports.uploads.maxBytes) {
        throw new RequestError('PAYLOAD_TOO_LARGE', `the file is over ${offset + declared} bytes; the upload limit is ${imports.uploads.maxBytes} bytes (ATLAS_UPLOAD_MAX_MB)`);
      }
      const received =
        continued === null
          ? imports.uploads.receive(req, url.searchParams.get('name') ?? '', principal!.actor, more)
          : imports.uploads.append(req, continued, principal!.actor, offset, more);
      received.then(
        (upload) => {
          if (upload.complete) accounts.audit(principal!.actor, 'upload', `upload:${upload.id}`, { bytes: upload.bytes, sha256: upload.sha256 });
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ uploadId: upload.id, bytes: upload.bytes, sha256: upload.sha256, fileName: upload.fileName, complete: upload.complete }));
        },
        (error: unknown) => {
          if (!(error instanceof RequestError)) {
            console.error('upload failed:', error);
            refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'the upload could not be stored');
            return;
          }
          answerError(error);
        },
      );
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      answerError(error);
    }
  };

  /** GET /kiosk/<token>: a wall display's link. Sets its cookie and opens the wall; an unknown or revoked link is refused. */
  const handleKiosk = (req: IncomingMessage, res: ServerResponse, secret: string): void => {
    const token = accounts.kioskToken(secret);
    if (!token) {
      accounts.audit(`anonymous@${req.socket.remoteAddress ?? 'unknown'}`, 'kiosk-link-refused', 'kiosk');
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('此大屏链接无效或已撤销。 This wall-display link is unknown or revoked.');
      return;
    }
    accounts.audit(`token:${token.id}`, 'kiosk-link', `token:${token.id}`, { jurisdiction: token.jurisdiction });
    // Chromium keeps a cookie at most 400 days; a revoked token ends it sooner.
    appendCookie(res, cookieHeader(KIOSK_COOKIE, secret, 400 * 86_400, secureCookies(req)));
    appendCookie(res, cookieHeader(SESSION_COOKIE, '', 0, secureCookies(req)));
    res.writeHead(303, { location: '/screen', 'cache-control': 'no-store' });
    res.end();
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.url?.startsWith(TRPC_PREFIX) || req.url?.startsWith(UPLOAD_PATH)) {
      res.once('finish', () => {
        // Path only: query strings hold inputs (which may hold personal data), and never a secret.
        const path = req.url!.split('?')[0]!;
        log(`${formatChinaDateTime(Date.now())} ${actors.get(req) ?? '-'} ${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)} ms`);
      });
    }
    compress(req as never, res as never, () => {
      if (req.url?.startsWith(TRPC_PREFIX)) {
        handleTrpc(req, res);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === UPLOAD_PATH) {
        handleUpload(req, res, url);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('Method not allowed');
        return;
      }
      const kiosk = /^\/kiosk\/([A-Za-z0-9_-]{20,100})\/?(?:\?.*)?$/.exec(req.url ?? '');
      if (kiosk) {
        handleKiosk(req, res, kiosk[1]!);
        return;
      }
      if (serveClient) {
        // A mode's page names the code it will load next, and the caller's auth.me, in a Link header.
        const pageUrl = new URL(req.url ?? '/', 'http://localhost');
        const route = pageUrl.pathname.replace(/\/$/, '');
        const links = preloadLinks.has(route) ? [preloadLinks.get(route)!] : [];
        // The briefing's first answers too, for a caller who may ask them (never for a stranger).
        if (route === '/brief' && links.length > 0) {
          const caller = callerOfPage(req);
          if (caller) links.push(...briefAnswerLinks(pageUrl, caller.jurisdiction, Date.now()));
        }
        // The desk's first queue page likewise, for a caller whose role reads cases.
        if (route === '/desk' && links.length > 0) {
          const caller = callerOfPage(req);
          if (caller && CAPABILITIES[caller.role].readCases) links.push(...deskAnswerLinks(pageUrl, caller.jurisdiction));
        }
        if (links.length > 0) res.setHeader('link', links.join(', '));
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

/**
 * Whether cookies get the Secure flag: over TLS, and always with ATLAS_SECURE_COOKIES=1 (behind a
 * reverse proxy that terminates HTTPS).
 */
function secureCookies(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || process.env.ATLAS_SECURE_COOKIES === '1';
}

/** Adds a Set-Cookie header to those already set. */
function appendCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...list, cookie]);
}
