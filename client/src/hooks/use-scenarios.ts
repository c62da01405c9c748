// Scenario queries: the list for the focus, one scenario's edits, save and remove (refreshing the
// list), and the comparison of two scenarios (or the current state, 'base') per unit.

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ScenarioGroupBy } from '../../../server/domain/scenario';
import { trpc, type trpcClient } from '../trpc';

export type ScenarioSummary = Awaited<ReturnType<typeof trpcClient.scenario.list.query>>[number];
export type ScenarioDetail = Awaited<ReturnType<typeof trpcClient.scenario.get.query>>;
export type ScenarioSaveInput = Parameters<typeof trpcClient.scenario.save.mutate>[0];
export type ScenarioComparison = Awaited<ReturnType<typeof trpcClient.scenario.compare.query>>;
export type CompareSide = number | 'base';

/** Scenarios inside `within` (only while `enabled`). */
export function useScenarioList(within: string, enabled: boolean) {
  return useQuery({ ...trpc.scenario.list.queryOptions(enabled ? { within } : skipToken), staleTime: 0 });
}

/** One scenario with its edits (null: none). */
export function useScenario(id: number | null) {
  return useQuery({ ...trpc.scenario.get.queryOptions(id === null ? skipToken : { id }), staleTime: 0, retry: false });
}

/** Save (create or rewrite) and remove, each refreshing the lists and the scenario read. */
export function useScenarioMutations() {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.scenario.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.scenario.get.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.scenario.compare.queryKey() });
  };
  const save = useMutation({ ...trpc.scenario.save.mutationOptions(), onSuccess: refresh });
  const remove = useMutation({ ...trpc.scenario.remove.mutationOptions(), onSuccess: refresh });
  return { save, remove };
}

/** The per-unit comparison of two sides (null: none asked; the two are never both 'base'). */
export function useScenarioComparison(pair: [CompareSide, CompareSide] | null, groupBy: ScenarioGroupBy) {
  return useQuery({
    ...trpc.scenario.compare.queryOptions(pair === null ? skipToken : { a: pair[0], b: pair[1], groupBy }),
    staleTime: Infinity,
    retry: false,
  });
}
