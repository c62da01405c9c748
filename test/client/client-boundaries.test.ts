// What the client may take from the server: values and types from server/domain, and only the type of
// AppRouter (in trpc.ts and api-types.ts) besides; and China time (UTC+8, Asia/Shanghai) only from
// server/domain/china-time, never redefined on the client.

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/paths';

const CLIENT_SOURCE = join(REPO_ROOT, 'client', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

const files = sourceFiles(CLIENT_SOURCE).map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));

describe('client sources', () => {
  it('are found', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('import from the server only server/domain, and the AppRouter type in trpc.ts and api-types.ts', () => {
    const offending: string[] = [];
    for (const { path, text } of files) {
      for (const match of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [statement, typeOnly, specifier] = match;
        if (!specifier!.includes('/server/')) continue;
        if (/\/server\/domain\/[\w-]+$/.test(specifier!)) continue;
        const routerType = typeOnly && /\/server\/routers\/app$/.test(specifier!) && /\{\s*AppRouter\s*\}/.test(statement);
        if (routerType && (path.endsWith('client/src/trpc.ts') || path.endsWith('client/src/api-types.ts'))) continue;
        offending.push(`${path}: ${statement.replace(/\s+/g, ' ')}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('take China time from server/domain/china-time: no UTC+8 offset or time-zone name of their own', () => {
    const offset = /\b8\s*\*\s*(?:3_?600_?000|60\s*\*\s*60\s*\*\s*1_?000|MS_PER_HOUR)\b|\b28_?800_?000\b|['"]Asia\/Shanghai['"]|['"]\+08:00['"]/;
    expect(files.filter(({ text }) => offset.test(text)).map(({ path }) => path)).toEqual([]);
  });
});
