// meta.*: liveness and what data the server holds.

import { publicProcedure, router } from '../trpc';

export const metaRouter = router({
  health: publicProcedure.query(({ ctx }) => {
    const health = ctx.store.health();
    return { ok: true as const, version: ctx.version, dataVersion: health.dataVersion, counts: health.counts };
  }),
});
