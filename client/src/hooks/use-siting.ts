// Siting queries: the optimisation for a submitted request (cached per request by TanStack Query) and
// the export as a browser download. The proposals array stays stable per answer, so layers built from
// it are not rebuilt on unrelated renders.

import { useMemo } from 'react';
import { skipToken, useQuery } from '@tanstack/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../server/routers/app';
import { trpc, trpcClient } from '../trpc';
import type { SitingProposalDatum } from '../layers/siting-proposals-layer';

export type SitingRequest = inferRouterInputs<AppRouter>['plan']['optimize'];
export type SitingResult = inferRouterOutputs<AppRouter>['plan']['optimize'];
export type SitingExportFormat = inferRouterInputs<AppRouter>['plan']['export']['format'];

/** The optimisation of `request`, or idle while it is null. */
export function useSitingOptimize(request: SitingRequest | null) {
  const query = useQuery({
    ...trpc.plan.optimize.queryOptions(request ?? skipToken),
    // An answer depends only on the request and the data: keep it for the session.
    staleTime: Infinity,
    retry: false,
  });
  const proposals = useMemo(
    (): SitingProposalDatum[] =>
      query.data?.proposals.map(({ rank, lngLat, label, marginalPopulation }) => ({ rank, lngLat, label, marginalPopulation })) ?? [],
    [query.data],
  );
  return { result: query.data, proposals, pending: query.isFetching, error: query.error };
}

/** Fetches an export of `request` and hands it to the browser as a file download. */
export async function downloadSitingExport(request: SitingRequest, format: SitingExportFormat, lang: 'zh' | 'en'): Promise<void> {
  const file = await trpcClient.plan.export.query({ ...request, format, lang });
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
