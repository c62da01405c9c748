// coverage.*: network service areas, coverage rates and gaps (issue 4).

import { router } from '../trpc';

export const coverageRouter = router({});
