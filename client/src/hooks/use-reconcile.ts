// 多格合一 queries: the imported departmental layers, the unified and departmental grids of a unit, their
// reconciliation report, and its XLSX export as a browser download.

import { skipToken, useQuery } from '@tanstack/react-query';
import type { Lang } from '../../../server/domain/labels';
import { ANALYSIS_QUERY, trpc, trpcClient } from '../trpc';
import { saveExportFile } from './use-siting';


export interface ReconcileRequest {
  department: string;
  within: string;
}

export function useDepartmentLayers(enabled: boolean) {
  return useQuery({ ...trpc.reconcile.departments.queryOptions(enabled ? undefined : skipToken), staleTime: 60_000 });
}

/** The unified grids (geo.grids), the department's grids and the report of a request (idle while null). */
export function useReconciliation(request: ReconcileRequest | null) {
  const unified = useQuery({ ...trpc.geo.grids.queryOptions(request ? { within: request.within } : skipToken), staleTime: Infinity, retry: false });
  const department = useQuery({ ...trpc.reconcile.grids.queryOptions(request ?? skipToken), staleTime: Infinity, retry: false });
  const report = useQuery({ ...trpc.reconcile.report.queryOptions(request ?? skipToken, ANALYSIS_QUERY), staleTime: Infinity, retry: false });
  return { unified, department, report };
}

/** Fetches the report as XLSX and hands it to the browser as a download. */
export async function downloadReconcileExport(request: ReconcileRequest, lang: Lang): Promise<void> {
  saveExportFile(await trpcClient.reconcile.export.query({ ...request, lang }));
}
