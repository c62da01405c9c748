// hotspots.*: Getis-Ord Gi* hotspots, emerging hotspots and boundary-line risk of disputes (issue 5).

import { router } from '../trpc';

export const hotspotsRouter = router({});
