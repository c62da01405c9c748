// meta.*: liveness and what data the server holds.

import { publicProcedure, router } from '../trpc';

export const metaRouter = router({
  health: publicProcedure.query(({ ctx }) => {
    const health = ctx.store.health();
    return {
      ok: true as const,
      version: ctx.version,
      dataVersion: health.dataVersion,
      builtAt: health.builtAt,
      counts: health.counts,
      /** Generated demonstration data: its seed, scope, "now" and content hash; null for real data only. */
      demo: health.demo,
    };
  }),
});
