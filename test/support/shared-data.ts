// Where the tests find the public reference data (../shared next to the repository, as in the
// workplace; a vendored copy in test/fixtures/shared otherwise, so a clean checkout tests the same).
// ATLAS_SHARED_DIR points elsewhere; ATLAS_TESTDATA_DIR overrides the testdata folder alone.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../server/paths';

const VENDORED = join(REPO_ROOT, 'test', 'fixtures', 'shared');

/** The root holding `testdata/` and `data/`. */
export const SHARED_DIR: string =
  process.env.ATLAS_SHARED_DIR ?? (existsSync(join(REPO_ROOT, '..', 'shared', 'testdata')) ? join(REPO_ROOT, '..', 'shared') : VENDORED);

/** The reference datasets folder (spatial-stats, siting-sf, siting-orlib, network-*). */
export const TESTDATA_DIR: string = process.env.ATLAS_TESTDATA_DIR ?? join(SHARED_DIR, 'testdata');

/** A path under the shared root, e.g. sharedPath('data', 'monaco', 'monaco-highways.osm.pbf'). */
export function sharedPath(...segments: string[]): string {
  return join(SHARED_DIR, ...segments);
}
