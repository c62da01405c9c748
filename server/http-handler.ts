// The HTTP request handler: tRPC at /trpc (plain JSON, GET for queries), ETag revalidation for
// procedures whose answer depends only on the data version, gzip, and the built client with SPA fallback.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import compression from 'compression';
import sirv from 'sirv';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { AtlasContext } from './context';
import { appRouter } from './routers/app';
import type { ProcedureMeta } from './trpc';
import type { AtlasStore } from './store/atlas-store';
import { ROLES, type Role } from './domain/parties';

export interface HandlerOptions {
  store: AtlasStore;
  version: string;
  /** The built client (vite build output); optional so the API can run alone. */
  clientDir?: string;
  /** Bearer token → role (ATLAS_TOKENS="token:supervisor,token2:operator"). */
  tokens?: ReadonlyMap<string, Role>;
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

function roleOf(req: IncomingMessage, tokens: ReadonlyMap<string, Role>, anonymous: Role): Role {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  if (!match) return anonymous;
  return tokens.get(match[1]!.trim()) ?? 'public';
}

const TRPC_PREFIX = '/trpc/';

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>;

/**
 * The ETag of a GET of procedures that all depend only on the data (null otherwise): the data version
 * and a hash of the path and query string.
 */
export function dataEtag(req: IncomingMessage, dataVersion: string): string | null {
  if (req.method !== 'GET' || !req.url?.startsWith(TRPC_PREFIX)) return null;
  const url = new URL(req.url, 'http://localhost');
  const paths = decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length)).split(',');
  if (!paths.every((path) => procedures[path]?._def.meta?.cache === 'data')) return null;
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

export function createRequestHandler({ store, version, clientDir, tokens = new Map() }: HandlerOptions): RequestListener {
  const dataVersion = store.health().dataVersion;
  const anonymous: Role = tokens.size === 0 && store.health().demo ? 'operator' : 'public';
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_PREFIX,
    createContext: ({ req }): AtlasContext => ({
      store,
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

  return (req: IncomingMessage, res: ServerResponse) => {
    compress(req as never, res as never, () => {
      if (req.url?.startsWith(TRPC_PREFIX)) {
        const etag = dataEtag(req, dataVersion);
        if (etag && ifNoneMatchIncludes(req.headers['if-none-match'], etag)) {
          res.writeHead(304, { etag, 'cache-control': 'public, max-age=300' });
          res.end();
          return;
        }
        trpc(req, res);
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
