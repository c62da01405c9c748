import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The client lives in client/; its build goes to dist/client, which the Node server serves.
// In `npm run dev` the API runs separately and ATLAS_API_URL tells the dev server where to proxy /trpc.
export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
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
