// plan.*: facility siting — optimisation, what-if evaluation and export (issue 6).

import { router } from '../trpc';

export const planRouter = router({});
