// The application router: every feature router merged in one place. The client imports only its type.

import { router } from '../trpc';
import { geoRouter } from './geo';
import { metaRouter } from './meta';

export const appRouter = router({
  meta: metaRouter,
  geo: geoRouter,
});

export type AppRouter = typeof appRouter;
