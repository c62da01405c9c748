// The 数据管理 page's queries: each layer's provenance (meta.health), the import history, an import job
// polled until it has finished, and the mutations that start an import or undo the last one — after
// either commits, every answer is asked again (the server serves the new data at once).

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../trpc';

/** How often a running import is asked about, ms. */
const POLL_MS = 500;

export function useLayerSources() {
  return useQuery({ ...trpc.meta.health.queryOptions(), staleTime: 0 });
}

export function useImportHistory(enabled: boolean) {
  return useQuery({ ...trpc.admin.importHistory.queryOptions(), enabled, staleTime: 0 });
}

/** An import job, asked every POLL_MS while it runs. */
export function useImportJob(jobId: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    ...trpc.admin.importReport.queryOptions({ jobId: jobId ?? '' }),
    enabled: jobId !== null,
    staleTime: Infinity,
    refetchInterval: (query) => {
      const job = query.state.data;
      if (job && job.state !== 'running') {
        // A committed import changed the data: everything is read again.
        if (job.report?.committed) void queryClient.invalidateQueries({ predicate: (other) => other.queryKey !== query.queryKey });
        return false;
      }
      return POLL_MS;
    },
  });
}

export function useStartImport() {
  return useMutation(trpc.admin.import.mutationOptions());
}

export function useUndoImport() {
  const queryClient = useQueryClient();
  return useMutation({ ...trpc.admin.undoImport.mutationOptions(), onSuccess: () => void queryClient.invalidateQueries() });
}
