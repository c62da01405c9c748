// meta.*: liveness, what data the server holds, and how the process is doing (memory, the worker pool
// and the prepared data), answered on the event loop at once whatever the pool is doing.

import { publicProcedure, router } from '../trpc';

const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

export const metaRouter = router({
  health: publicProcedure.query(({ ctx }) => {
    const health = ctx.store.health();
    const memory = process.memoryUsage();
    const jobs = ctx.jobs.status();
    return {
      ok: true as const,
      version: ctx.version,
      dataVersion: health.dataVersion,
      builtAt: health.builtAt,
      counts: health.counts,
      /** Generated demonstration data: its seed, scope, "now" and content hash; null for real data only. */
      demo: health.demo,
      /** Process memory, MiB (rss includes the worker threads and the shared prepared data). */
      memory: { rssMiB: mib(memory.rss), heapUsedMiB: mib(memory.heapUsed), externalMiB: mib(memory.external), arrayBuffersMiB: mib(memory.arrayBuffers) },
      /** Prepared analysis data of the data version: building, ready (with its size) or failed. */
      prepared: jobs.prepared,
      /** Worker pool lanes: threads, running and queued jobs, and what was cancelled, timed out or refused. */
      pool: { mode: jobs.mode, lanes: jobs.lanes, answers: jobs.answers },
    };
  }),
});
