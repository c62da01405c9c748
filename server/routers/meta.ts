// meta.*: liveness, what data the server holds, and how the process is doing (memory, the worker pool
// and the prepared data), answered on the event loop at once whatever the pool is doing. Open to every
// caller; what the data holds (row counts) only to callers who may see the whole deployment, and the
// process's state only to callers who are logged in (or the anonymous viewer).

import type { LayerProvenance } from '../domain/data-layers';
import type { StoreHealth } from '../store/atlas-store';
import { procedure, router } from '../trpc';

/** Each layer's kind of source, without an imported file's name and hash. */
function anonymousLayers(layers: StoreHealth['layers']): Record<keyof StoreHealth['layers'], { source: LayerProvenance['source'] }> {
  return Object.fromEntries(Object.entries(layers).map(([layer, provenance]) => [layer, { source: provenance.source }])) as Record<
    keyof StoreHealth['layers'],
    { source: LayerProvenance['source'] }
  >;
}

const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

export const metaRouter = router({
  health: procedure.meta({ access: 'open' }).query(({ ctx }) => {
    const health = ctx.store.health();
    const principal = ctx.principal;
    const memory = process.memoryUsage();
    const jobs = principal ? ctx.jobs.status() : null;
    return {
      ok: true as const,
      version: ctx.version,
      dataVersion: health.dataVersion,
      builtAt: health.builtAt,
      /** Rows per table; null unless the caller's jurisdiction is the whole deployment. */
      counts: principal && principal.jurisdiction.length <= 2 ? health.counts : null,
      /** Generated demonstration data: its seed, scope, "now" and content hash; null for real data only. */
      demo: health.demo,
      /** Per layer: demonstration data, the real geography (sources), or an import (its file only to callers logged in). */
      layers: principal ? health.layers : anonymousLayers(health.layers),
      /** Process memory, MiB (rss includes the worker threads and the shared prepared data). */
      memory: principal
        ? { rssMiB: mib(memory.rss), heapUsedMiB: mib(memory.heapUsed), externalMiB: mib(memory.external), arrayBuffersMiB: mib(memory.arrayBuffers) }
        : null,
      /** Prepared analysis data of the data version: building, ready (with its size) or failed. */
      prepared: jobs?.prepared ?? null,
      /** Worker pool lanes: threads, running and queued jobs, and what was cancelled, timed out or refused. */
      pool: jobs ? { mode: jobs.mode, lanes: jobs.lanes, answers: jobs.answers } : null,
    };
  }),
});
