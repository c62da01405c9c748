// Builds the client with Vite when dist/client is missing or older than anything the build reads.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, paths } from './paths';

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestModification(join(path, name)));
  return newest;
}

/** Whether dist/client is missing or older than the client sources, the Vite config or the lock file. */
export function clientBuildIsStale(): boolean {
  const built = join(paths.clientDir, 'index.html');
  if (!existsSync(built)) return true;
  const inputs = [paths.clientSourceDir, join(REPO_ROOT, 'vite.config.ts'), join(REPO_ROOT, 'package-lock.json')];
  const newestInput = Math.max(...inputs.filter((p) => existsSync(p)).map(newestModification));
  return newestInput > statSync(built).mtimeMs;
}

/** Runs `vite build` if the build is stale; returns whether it built. */
export async function buildClientIfStale(log: (message: string) => void = () => {}): Promise<boolean> {
  if (!clientBuildIsStale()) return false;
  log('Building the client (vite build) …');
  const { build } = await import('vite');
  await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
