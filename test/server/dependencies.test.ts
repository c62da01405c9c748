// The licences of everything the atlas ships or runs (production dependencies in package-lock.json):
// each must be permissive, or offer a permissive choice, or be one of the packages reviewed by hand
// below (whose package.json does not say). A new dependency with another licence fails here, before it
// reaches a government deployment. (Known vulnerabilities: `npm audit --omit=dev`, which needs the
// registry's advisory service — not reachable from CI here.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/paths';

/** Permissive licences (SPDX ids, and the spellings some packages use for them). */
const PERMISSIVE = new Set([
  'MIT',
  'MIT/X11',
  'ISC',
  'BSD',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BDS-3-Clause', // splaytree-ts's misspelling of BSD-3-Clause (its LICENSE file is BSD-3-Clause)
  'Apache-2.0',
  '0BSD',
  'Unlicense',
  'BlueOak-1.0.0',
  'Zlib',
  'CC0-1.0',
  'EDL-1.0', // the Eclipse Distribution License is BSD-3-Clause
  'WTFPL',
  'Python-2.0',
]);

/** Packages whose package.json names no licence, with the licence their own files state (reviewed). */
const REVIEWED: Record<string, string> = {
  '@mapbox/jsonlint-lines-primitives': 'MIT (README: "MIT License")',
  buffers: 'MIT/X11 (README)',
  arc: 'BSD (package.json "licenses": [{ "type": "BSD" }]; LICENSE.md)',
};

interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
  devOptional?: boolean;
}

/** Whether an SPDX expression allows permissive use: every AND term permissive, some OR choice permissive. */
function permissive(expression: string): boolean {
  const text = expression.replace(/^\((.*)\)$/, '$1').trim();
  if (/ OR /.test(text)) return text.split(/ OR /).some((choice) => permissive(choice));
  if (/ AND /.test(text)) return text.split(/ AND /).every((term) => permissive(term));
  return PERMISSIVE.has(text);
}

function productionPackages(): { name: string; version: string; license: string | null }[] {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.dev && !entry.devOptional)
    .map(([path, entry]) => ({ name: path.replace(/^.*node_modules\//, ''), version: entry.version ?? '?', license: entry.license ?? null }));
}

describe('licences of production dependencies', () => {
  it('reads SPDX expressions: a permissive choice suffices, every conjunct must be permissive', () => {
    expect(permissive('MIT')).toBe(true);
    expect(permissive('(MIT OR GPL-3.0-or-later)')).toBe(true);
    expect(permissive('(MIT AND Zlib)')).toBe(true);
    expect(permissive('GPL-3.0-only')).toBe(false);
    expect(permissive('AGPL-3.0')).toBe(false);
    expect(permissive('(MIT AND GPL-2.0)')).toBe(false);
    expect(permissive('SSPL-1.0')).toBe(false);
  });

  it('are all permissive or reviewed', () => {
    const packages = productionPackages();
    expect(packages.length).toBeGreaterThan(100);
    const refused = packages.filter(({ name, license }) => (license === null ? !(name in REVIEWED) : !permissive(license)));
    expect(refused).toEqual([]);
  });
});
