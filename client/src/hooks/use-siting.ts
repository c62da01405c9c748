// Siting queries: the optimisation for a submitted request (cached per request by TanStack Query) and
// the export as a browser download. The proposals array is the answer's own, stable per answer, so
// layers built from it are not rebuilt on unrelated renders.

import { skipToken, useQuery } from '@tanstack/react-query';
import type { Lang } from '../../../server/domain/labels';
import type { SitingExportFormat, SitingProposal, SitingRequest } from '../api-types';
import { ANALYSIS_QUERY, trpc, trpcClient } from '../trpc';

const NO_PROPOSALS: readonly SitingProposal[] = [];

/** The optimisation of `request`, or idle while it is null. */
export function useSitingOptimize(request: SitingRequest | null) {
  const query = useQuery({
    ...trpc.plan.optimize.queryOptions(request ?? skipToken, ANALYSIS_QUERY),
    // An answer depends only on the request and the data: keep it for the session.
    staleTime: Infinity,
    retry: false,
  });
  return { result: query.data, proposals: query.data?.proposals ?? NO_PROPOSALS, pending: query.isFetching, error: query.error };
}

/** Fetches an export of `request` and hands it to the browser as a file download. */
export async function downloadSitingExport(request: SitingRequest, format: SitingExportFormat, lang: Lang): Promise<void> {
  saveExportFile(await trpcClient.plan.export.query({ ...request, format, lang }));
}

/** Hands an exported file (text, or base64 bytes) to the browser as a download. */
export function saveExportFile(file: { filename: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string }): void {
  const body =
    file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (character) => character.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
