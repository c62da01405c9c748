// Lint rules of the house: typescript-eslint's recommended set, React hooks in the client, and the
// boundaries between the parts (ARCHITECTURE.md), each rule saying why.

import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node's modules that do I/O or touch the process: analysis and domain code stays pure without them. */
const NODE_IO = ['fs', 'http', 'https', 'net', 'child_process', 'worker_threads', 'os', 'path', 'url', 'crypto', 'zlib', 'process', 'v8', 'vm'].flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/artifacts/**', 'test/fixtures/**', '.scratch/**', 'data/*.sqlite*', 'data/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '!**/server/domain', '!**/server/domain/**'],
              allowTypeImports: true,
              message: 'The client imports from the server only server/domain (the vocabulary) and types (AppRouter): anything else would bundle server code into the browser.',
            },
            { group: ['**/data/**'], message: 'The client reads data through the API, never from data/ (the generator and sources are server-side).' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!\\./)', message: 'server/domain is the shared vocabulary: it imports nothing but itself, so the client, the generator and every server part can use it.' }],
        },
      ],
    },
  },
  {
    files: ['server/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_IO.map((name) => ({ name, message: 'server/analysis is pure (no I/O): the caller reads and writes, analysis computes on arrays.' })),
          patterns: [
            {
              group: ['**/store/**', '**/routers/**', '**/jobs/**', '**/pool/**', '**/prepared/**', '**/live/**', '**/ingest/**', '**/cli/**', '**/solvers/**', '**/http*', '**/data/**'],
              message: 'server/analysis is pure: it imports only other analysis modules, server/domain and computational libraries; the store, routers, jobs and the pool call it, never the reverse.',
            },
            { group: ['zod', '@trpc/*', 'better-sqlite3', 'piscina'], message: 'server/analysis knows nothing of input parsing, the API, the database or threads.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/data/**'], message: 'The store knows no generator: it speaks domain types, and the demo data reaches it through its public API like any importer.' },
            { group: ['**/routers/**', '**/jobs/**', '**/pool/**', '**/live/**', '**/ingest/**', '**/auth/**', 'zod', '@trpc/*'], message: 'The store is the I/O layer: the parts above call it, never the reverse.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/jobs/**/*.ts', 'server/prepared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/routers/**', 'zod', '@trpc/*'], message: 'Jobs run in worker threads on parsed input: parsing and tRPC stay in the routers.' },
            { group: ['**/data/**'], message: 'Jobs read data through the store and the prepared data, never from the generator.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/routers/**', '**/jobs/**', '**/pool/**', '**/prepared/**', '**/analysis/**', '**/ingest/**', '**/live/**', '**/data/**', 'zod'],
              message: 'server/auth decides who is calling and what they may see: the routers and the HTTP layer call it, never the reverse.',
            },
          ],
        },
      ],
    },
  },
);
