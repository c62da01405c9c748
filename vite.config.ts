import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The client lives in client/; its build goes to dist/client, which the Node server serves.
// In `npm run dev` the API runs separately and ATLAS_API_URL tells the dev server where to proxy /trpc.
/**
 * A build is a production build whatever NODE_ENV its caller runs with. Vitest sets "test" before the
 * browser tests build the client (server/client-build.ts), and Vite then bundled React's development
 * build and the development JSX runtime (React and its companions 570 kB instead of 360 kB, and slower). Set as
 * the config is read (Vite's own advice) and given back when the build ends.
 */
function productionBuild(): Plugin {
  let caller: { value: string | undefined } | null = null;
  const restore = (): void => {
    if (caller === null) return;
    if (caller.value === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = caller.value;
    caller = null;
  };
  return {
    name: 'atlas-production-build',
    apply: 'build',
    enforce: 'pre',
    config: () => {
      if (process.env.NODE_ENV === 'production') return;
      caller = { value: process.env.NODE_ENV };
      process.env.NODE_ENV = 'production';
    },
    buildEnd: (error) => {
      if (error) restore();
    },
    closeBundle: restore,
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [productionBuild(), react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/trpc': { target: process.env.ATLAS_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
