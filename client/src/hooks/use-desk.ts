// The command desk's data: the queue of a unit (desk.queue, paged by cursor), one case (events.get),
// the handlers suggested for dispatching it (desk.suggestHandlers), the review sample (desk.reviewSample),
// its place's grids, workflow actions
// (events.transition), and the live stream (events.live): each step moves its case in the loaded queues at
// once, every queue is re-read at most once a second (new cases, counts, time left), and the stream tells
// which open case changed elsewhere.

import { useEffect, useMemo, useRef, useState } from 'react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { CaseTransitionInput, DeskQueueInput, DeskQueuePage, LiveLogEntry, ReviewSampleInput } from '../api-types';
import { RecentLiveEntries, applyLiveEntries, withLaterEntries } from '../modes/desk/desk-live';
import { ANALYSIS_QUERY, queryClient, trpc, trpcClient } from '../trpc';

/**
 * The queue, one page of `limit` cases after another (most urgent first); refreshed every minute (time
 * left). Paged by hand: tRPC's infinite options add a `direction` the strict desk.queue input refuses.
 * The key starts with desk.queue's path, so invalidating the path refreshes every loaded page.
 */
export function useDeskQueue(input: DeskQueueInput) {
  return useInfiniteQuery({
    queryKey: [...trpc.desk.queue.pathKey(), { input, type: 'pages' }] as const,
    queryFn: async ({ pageParam, signal }) => {
      const page = await trpcClient.desk.queue.query(pageParam ? { ...input, cursor: pageParam } : input, { signal });
      // Steps that came live while the page was read stay applied (desk-live.ts).
      return withLaterEntries(page, input, recentLive.of(page.within), !pageParam);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page: DeskQueuePage) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** One case with its history and the actions the caller may take (none while `id` is null). */
export function useDeskCase(id: number | null) {
  return useQuery({ ...trpc.events.get.queryOptions({ id: id ?? 0 }), enabled: id !== null, staleTime: 0 });
}

/** The handlers suggested for a case, best first (asked only while `enabled`; a pool job, aborted when left). */
export function useHandlerSuggestions(id: number | null, enabled: boolean) {
  return useQuery({ ...trpc.desk.suggestHandlers.queryOptions({ id: id ?? 0 }, ANALYSIS_QUERY), enabled: enabled && id !== null, staleTime: 30_000 });
}

/**
 * The street boundary lines a desk filters by: those with a side in the unit's street (or in the unit, above
 * street level), from the register; none where the caller may not read it, or while `region` is null.
 */
export function useStreetLines(region: string | null) {
  const within = region !== null && region.length > 9 ? region.slice(0, 9) : (region ?? '21');
  const register = useQuery({ ...trpc.boundaries.register.queryOptions({ within, levels: ['street'] }), enabled: region !== null, retry: false, staleTime: 5 * 60_000 });
  const lines = register.data?.lines;
  return useMemo(() => (lines ?? []).filter((line) => line.leftCode !== null && line.rightCode !== null), [lines]);
}

/** The grids of the community holding `code` (a case's place or a unit; none above community level). */
export function useCommunityGrids(code: string | undefined) {
  const community = code && code.length >= 12 ? code.slice(0, 12) : null;
  return useQuery({ ...trpc.geo.grids.queryOptions({ within: community ?? '21' }), enabled: community !== null });
}

/** The review sample of a unit (desk.reviewSample: the same cases on every call for the same period and rate). */
export function useReviewSample(input: ReviewSampleInput, enabled: boolean) {
  return useQuery({ ...trpc.desk.reviewSample.queryOptions(input), enabled, placeholderData: keepPreviousData });
}

/** A workflow action on a case; afterwards every queue, the review sample and the case are fetched again. */
export function useCaseTransition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CaseTransitionInput) => trpcClient.events.transition.mutate(input),
    onSuccess: (_answer, input) => {
      void client.invalidateQueries({ queryKey: trpc.desk.queue.pathKey() });
      void client.invalidateQueries({ queryKey: trpc.desk.reviewSample.pathKey() });
      void client.invalidateQueries({ queryKey: trpc.events.get.queryKey({ id: input.id }) });
      void client.invalidateQueries({ queryKey: trpc.desk.suggestHandlers.queryKey({ id: input.id }) });
    },
  });
}

export type DeskLiveConnection = 'connecting' | 'live' | 'reconnecting';

export interface DeskLiveState {
  connection: DeskLiveConnection;
  /** The latest step (0 = the report) the stream has told of for the watched case, or -1. */
  watchedStep: number;
}

/** The desk's live stream of late (useDeskLive), for queue pages read while entries arrived. */
const recentLive = new RecentLiveEntries();

/** The key of a desk queue's pages (useDeskQueue) and its input. */
function queueInputOf(key: readonly unknown[]): DeskQueueInput | null {
  const last = key[key.length - 1] as { input?: DeskQueueInput; type?: string } | undefined;
  return last?.type === 'pages' && last.input ? last.input : null;
}

/** Moves the cases of `entries` in every loaded queue of the page (desk-live.ts). */
function applyToLoadedQueues(entries: readonly LiveLogEntry[]): void {
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<DeskQueuePage, string | null>>({ queryKey: trpc.desk.queue.pathKey() })) {
    const input = queueInputOf(key);
    if (!input || !data?.pages) continue;
    const pages = applyLiveEntries(data.pages, input, entries);
    if (pages !== data.pages) queryClient.setQueryData<InfiniteData<DeskQueuePage, string | null>>(key, { ...data, pages: [...pages] });
  }
}

/**
 * Subscribes to `within`'s live log: every step moves its case in the loaded queues at once, and every
 * entry marks the queues stale, refetched at most once per
 * `throttleMs`; entries of `watchedId` (the open case) are counted, not refetched, so the case shown
 * does not change under the officer's hands (the view offers a reload instead).
 */
export function useDeskLive(within: string, watchedId: number | null, throttleMs = 1000): DeskLiveState {
  const [connection, setConnection] = useState<DeskLiveConnection>('connecting');
  const [watched, setWatched] = useState<{ id: number | null; step: number }>({ id: watchedId, step: -1 });
  const watchedRef = useRef(watchedId);
  watchedRef.current = watchedId;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRun = 0;
    const refresh = (): void => {
      if (timer !== null) return;
      timer = setTimeout(
        () => {
          timer = null;
          lastRun = Date.now();
          void queryClient.invalidateQueries({ queryKey: trpc.desk.queue.pathKey() });
        },
        Math.max(0, lastRun + throttleMs - Date.now()),
      );
    };
    const subscription = trpcClient.events.live.subscribe(
      { within },
      {
        onStarted: () => setConnection('live'),
        onConnectionStateChange: (change) => {
          if (change.state === 'pending') setConnection('live');
          else if (change.state === 'connecting') setConnection((previous) => (previous === 'live' || change.error ? 'reconnecting' : previous));
        },
        onData: (message) => {
          setConnection('live');
          const { entries, resync } = message.data;
          recentLive.add(within, entries);
          applyToLoadedQueues(entries);
          if (entries.length > 0 || resync) refresh();
          const id = watchedRef.current;
          let step = -1;
          for (const entry of entries) if (entry.disputeId === id) step = Math.max(step, entry.step);
          if (step >= 0) setWatched((previous) => (previous.id === id && previous.step >= step ? previous : { id, step }));
        },
        onError: () => setConnection('reconnecting'),
      },
    );
    return () => {
      if (timer !== null) clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [within, throttleMs]);

  return { connection, watchedStep: watched.id === watchedId ? watched.step : -1 };
}
