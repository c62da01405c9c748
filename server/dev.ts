// `npm run dev`: the API on a free port (database built if needed) and Vite's dev server proxying /trpc to it.

import { join } from 'node:path';
import { startServer } from './index';
import { REPO_ROOT, paths } from './paths';
import { ensureDatabase } from './ingest/build-database';

async function main(): Promise<void> {
  ensureDatabase({ ...paths, log: (m) => console.log(m) });
  const api = await startServer({ databasePath: paths.databasePath, port: 0 });
  process.env.ATLAS_API_URL = api.url;
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    server: { port: process.env.PORT === undefined ? 5173 : Number(process.env.PORT) },
  });
  await vite.listen();
  console.log(`API on ${api.url}; client with hot reload:`);
  vite.printUrls();
  const stop = (): void => {
    void Promise.all([vite.close(), api.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
