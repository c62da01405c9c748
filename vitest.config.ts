import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 300_000,
    // Browser tests start their own server and Chromium; keep files in parallel but bounded on 2 cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
