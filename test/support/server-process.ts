// A server in its own process (test/support/serve-database.ts) for tests that stop, kill or restart
// it: started on a free port or a given one, with the demo live feed at a chosen rate.

import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../server/paths';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM (graceful) or SIGKILL; resolves when the process has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Starts serve-database.ts. `env` adds to the environment; writes are not rate-limited unless asked
 * (tests and benchmarks write in bursts on purpose).
 */
export async function spawnDatabaseServer(
  databasePath: string,
  options: { liveRatePerMinute?: number; port?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve-database.ts', databasePath, String(options.liveRatePerMinute ?? 0)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ATLAS_WRITE_RATE: 'off', ...options.env, PORT: String(options.port ?? 0) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
