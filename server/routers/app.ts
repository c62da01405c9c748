// The application router: every feature router merged in one place. The client imports only its type.

import { router } from '../trpc';
import { adminRouter } from './admin';
import { authRouter } from './auth';
import { boundariesRouter } from './boundaries';
import { briefRouter } from './brief';
import { coverageRouter } from './coverage';
import { dashboardRouter } from './dashboard';
import { deskRouter } from './desk';
import { eventsRouter } from './events';
import { geoRouter } from './geo';
import { hotspotsRouter } from './hotspots';
import { metaRouter } from './meta';
import { planRouter } from './plan';
import { reconcileRouter } from './reconcile';
import { scenarioRouter } from './scenario';

export const appRouter = router({
  meta: metaRouter,
  auth: authRouter,
  admin: adminRouter,
  geo: geoRouter,
  coverage: coverageRouter,
  dashboard: dashboardRouter,
  events: eventsRouter,
  desk: deskRouter,
  hotspots: hotspotsRouter,
  plan: planRouter,
  reconcile: reconcileRouter,
  scenario: scenarioRouter,
  brief: briefRouter,
  boundaries: boundariesRouter,
});

export type AppRouter = typeof appRouter;
