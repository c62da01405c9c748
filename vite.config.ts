import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { TRPC_CACHE_NAME } from './client/src/pwa/offline-keys.js';

// The client lives in client/; its build goes to dist/client, which the Node server serves.
// In `npm run dev` the API runs separately and ATLAS_API_URL tells the dev server where to proxy /trpc.
// The build is an installable PWA: a Workbox service worker (generateSW) precaches the app shell and keeps
// the tRPC answers of the places viewed (network first), so a page opens and shows them offline.

/** Third-party code of the map (MapLibre, deck.gl and its luma.gl/math.gl stack) and of the charts. */
const MAP_PACKAGES = /node_modules[\\/](maplibre-gl|@deck\.gl|@luma\.gl|@math\.gl|@loaders\.gl|@probe\.gl|@mapbox|mjolnir\.js)[\\/]/;
const CHART_PACKAGES = /node_modules[\\/](echarts|zrender)[\\/]/;
/**
 * What every route runs before it draws anything: React, the router, TanStack Query, the tRPC client and
 * Vite's preload helper (which the map's own lazy imports use too: matched first, it stays out of the map).
 */
const SHELL_MODULES = /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|@trpc)[\\/]|vite[\\/]preload-helper/;
/**
 * Small leaf modules that several modes import (the desk header, the breadcrumbs, the level of a code,
 * the hot spot colours, the domain's values such as the KPI definitions): kept with the shell, which
 * every page has loaded already, rather than as chunks of a few hundred bytes, each one more request
 * (and, over a slow link, one more wait for a free connection) when a mode opens. Nothing here may
 * import the map or the charts (test/bench/brief.bench.ts reports what /brief loads).
 */
const SHARED_APP_MODULES =
  /client[\\/]src[\\/](components[\\/](mode-header|account-badge|breadcrumbs|credits-footer)|map[\\/]admin-style|layers[\\/]hotspot-colors|hooks[\\/](use-me|use-region))\.tsx?$|server[\\/]domain[\\/]/;

/** The desk modes' light theme (styles.css .theme-light), which /brief, the installed app's start, opens in. */
const THEME_COLOR = '#f5f7fa';
const APPLE_TOUCH_ICON = 'icons/apple-touch-icon-180.png';

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

/** What an installable page says in its head besides the manifest link (which vite-plugin-pwa adds). */
function installableHead(): Plugin {
  return {
    name: 'atlas-installable-head',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { name: 'theme-color', content: THEME_COLOR }, injectTo: 'head' },
      // iPadOS takes the home-screen icon from here, not from the manifest.
      { tag: 'link', attrs: { rel: 'apple-touch-icon', href: `/${APPLE_TOUCH_ICON}` }, injectTo: 'head' },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [
    productionBuild(),
    react(),
    installableHead(),
    VitePWA({
      strategies: 'generateSW',
      // Workbox's production runtime, whatever NODE_ENV said when the options were read.
      mode: 'production',
      registerType: 'autoUpdate',
      // Registered from client/src/pwa/register-service-worker.ts once the first view has loaded.
      injectRegister: false,
      // Precached with the manifest's icons (added by the plugin).
      includeAssets: [APPLE_TOUCH_ICON],
      manifest: {
        id: '/',
        name: '平安态势一张图 · Pingan Atlas',
        short_name: '平安态势',
        description: '基层社会治理态势一张图 · A GIS situation dashboard for grassroots social governance',
        lang: 'zh-CN',
        start_url: '/brief',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOR,
        background_color: THEME_COLOR,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: the page, every mode's code and styles (source maps stay out; icons: above).
        globPatterns: ['**/*.{html,js,css,woff2}'],
        // The map stack's chunk is about 1.8 MB; Workbox's default cap (2 MiB) would drop it silently if it grew.
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        navigateFallback: 'index.html',
        // Server routes: the API and a wall display's link (which sets its cookie and redirects).
        navigateFallbackDenylist: [/^\/trpc\//, /^\/kiosk\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        sourcemap: false,
        disableDevLogs: true,
        runtimeCaching: [
          {
            // Runs inside the service worker (serialised as written): no reference to anything outside it.
            // Every answer a page reads is kept, the private data answers ('private, no-cache') and the
            // others ('no-store': auth.me, the briefing's, which depend on "now") alike: the copy is the
            // offline briefing. It belongs to one caller and is deleted when the caller changes
            // (client/src/pwa/offline-data.ts). Not kept: meta.health (whether the server is reachable
            // is asked of the server itself), the live stream (server-sent events), account
            // administration, and anything but GET.
            urlPattern: ({ url, request, sameOrigin }) =>
              sameOrigin &&
              url.pathname.startsWith('/trpc/') &&
              !/^\/trpc\/(meta\.health|events\.live|admin\.)/.test(url.pathname) &&
              !(request.headers.get('accept') ?? '').includes('text/event-stream'),
            handler: 'NetworkFirst',
            method: 'GET',
            options: {
              cacheName: TRPC_CACHE_NAME,
              plugins: [
                {
                  // Serialised into the worker as written: self-contained, names spelt out
                  // (client/src/pwa/offline-keys.ts: OFFLINE_META_CACHE_NAME, CLEARED_AT_URL). An answer
                  // to a request that started before the kept answers were last deleted (at logout or
                  // login) is not kept: it was the previous caller's.
                  requestWillFetch: async ({ request, state }) => {
                    if (state) state.startedAt = Date.now();
                    return request;
                  },
                  cacheWillUpdate: async ({ response, state }) => {
                    const marker = await (await caches.open('atlas-offline-meta')).match('/offline-cleared-at');
                    const clearedAt = marker ? Number(await marker.text()) : 0;
                    const startedAt = state?.startedAt;
                    return typeof startedAt === 'number' && startedAt <= clearedAt ? null : response;
                  },
                },
              ],
              // A server down or no network fails at once and the kept answer is shown. A network that
              // swallows requests (a dead Wi-Fi) is given 10 s, longer than the slowest analysis takes
              // cold, so a slow answer is not replaced by an old one; past that the kept answer is shown
              // (the fresh one, when it comes, is kept for the next time).
              networkTimeoutSeconds: 10,
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 300, maxAgeSeconds: 7 * 24 * 3600, purgeOnQuotaError: true },
            },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
    // .vite/manifest.json: which files each mode needs, so the server can name them in a Link header
    // of the page (server/http/preload-links.ts) and the browser fetches them with the page's own scripts.
    manifest: true,
    rolldownOptions: {
      output: {
        // Named chunks for the heavy third-party code, loaded only by the views that draw a map or a chart;
        // the shell's packages apart from the app's entry, so a release that changes only the app keeps them cached.
        codeSplitting: {
          groups: [
            { name: 'shell', test: (id) => SHELL_MODULES.test(id) || SHARED_APP_MODULES.test(id), priority: 3 },
            { name: 'map', test: MAP_PACKAGES, priority: 2 },
            { name: 'charts', test: CHART_PACKAGES, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/trpc': { target: process.env.ATLAS_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
