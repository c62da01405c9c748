// The 平安边界 register (boundaries.register), the cases near each line over the last 90 days
// (hotspots.boundaryRisk, by line id) and the two records officers make on a line. A saved record
// replaces its row at once and invalidates every boundary answer (register, risk, line geometry).

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MS_PER_DAY, MS_PER_HOUR } from '../../../server/domain/china-time';
import type { BoundaryRegister, BoundaryRegisterRow } from '../api-types';
import { ANALYSIS_QUERY, trpc } from '../trpc';

/** The period of "cases near a line": the last 90 days, hour-aligned so the analysis is cached per hour. */
export const NEAR_CASES_DAYS = 90;

export function useBoundaryRegister(within: string | null) {
  const register = useQuery({ ...trpc.boundaries.register.queryOptions(within ? { within } : undefined), enabled: within !== null, placeholderData: keepPreviousData });
  const hourEnd = Math.floor(Date.now() / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR;
  const risk = useQuery({
    ...trpc.hotspots.boundaryRisk.queryOptions({ within: within ?? '21', from: new Date(hourEnd - NEAR_CASES_DAYS * MS_PER_DAY).toISOString(), to: new Date(hourEnd).toISOString() }, ANALYSIS_QUERY),
    enabled: within !== null,
    placeholderData: keepPreviousData,
  });
  return { register, risk };
}

/** After a saved record: its row in the register at once, then every boundary answer read again. */
function useOnRecorded(within: string | null) {
  const queryClient = useQueryClient();
  return (row: BoundaryRegisterRow) => {
    if (within) {
      queryClient.setQueryData<BoundaryRegister>(trpc.boundaries.register.queryKey({ within }), (old) =>
        old ? { ...old, lines: old.lines.map((line) => (line.id === row.id ? row : line)) } : old,
      );
    }
    void queryClient.invalidateQueries({ queryKey: trpc.boundaries.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.hotspots.boundaryRisk.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.geo.boundaryLines.pathKey() });
  };
}

/** Records a joint patrol on a line (boundaries.recordPatrol). */
export function useRecordPatrol(within: string | null) {
  return useMutation({ ...trpc.boundaries.recordPatrol.mutationOptions(), onSuccess: useOnRecorded(within) });
}

/** Records the signing of a line's agreement (boundaries.recordAgreement). */
export function useRecordAgreement(within: string | null) {
  return useMutation({ ...trpc.boundaries.recordAgreement.mutationOptions(), onSuccess: useOnRecorded(within) });
}
