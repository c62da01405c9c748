// Runs `npm run cli -- …` as a child process (node --import tsx server/cli.ts) and checks the contract
// for bad input: exit code 1 and exactly one stderr line, "<path>: <problem>" when a file is at fault.

import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../../server/paths';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's exit code and output for these arguments (60 s at most). */
export function runCli(args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    // Graphs the runs parse are kept outside the repository.
    env: { ...process.env, ATLAS_CACHE_DIR: process.env.ATLAS_CACHE_DIR ?? join(tmpdir(), 'atlas-cli-test-graphs') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The non-blank lines a run printed on stderr. */
export function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** Exit code 1 and exactly one stderr line, matching `message`. */
export function expectOneLineError(result: CliResult, message: RegExp): void {
  const lines = stderrLines(result);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.code).toBe(1);
}

/** Exit code 1 and exactly one stderr line "<path>: <problem>" whose problem matches `problem`. */
export function expectFileError(result: CliResult, path: string, problem: RegExp): void {
  const lines = stderrLines(result);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`${path}: `), `"${lines[0]}" should start with "${path}: "`).toBe(true);
  expect(lines[0]!.slice(path.length + 2)).toMatch(problem);
  expect(result.code).toBe(1);
}
