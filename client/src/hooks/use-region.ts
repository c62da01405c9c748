// The region in focus, kept in the URL (?region=2101) so views can be linked and restored, and held
// inside the caller's jurisdiction: it defaults to the jurisdiction and never goes above or outside it.

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { PROVINCE_CODE, regionScopeOf } from '../../../server/domain/access';
import { useMe } from './use-me';

export { PROVINCE_CODE, regionScopeOf } from '../../../server/domain/access';

/** `region` when it is the scope or inside it; the scope for a region above it or elsewhere. */
export function clampRegion(region: string, scope: string): string {
  return region.startsWith(scope) ? region : scope;
}

/** The region of ?region= (a division code of 2 to 12 digits) held inside `scope`; else the scope. */
export function regionFrom(params: URLSearchParams, scope: string = PROVINCE_CODE): string {
  const raw = params.get('region');
  return raw !== null && /^\d{2,12}$/.test(raw) ? clampRegion(raw, scope) : scope;
}

/**
 * The search string without a ?region= that is malformed, above or outside `scope` (the views then show
 * the scope, the default), or null when ?region= is absent or inside the scope.
 */
export function clampedRegionSearch(search: string, scope: string): string | null {
  const params = new URLSearchParams(search);
  const raw = params.get('region');
  if (raw === null || regionFrom(params, scope) === raw) return null;
  params.delete('region');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The region the caller's jurisdiction lets the views show (the province until auth.me answers). */
export function useRegionScope(): string {
  const me = useMe();
  return regionScopeOf(me.data?.jurisdiction);
}

export function useRegion(): [string, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const scope = useRegionScope();
  const region = regionFrom(params, scope);
  const setRegion = useCallback(
    (code: string) => {
      const next = clampRegion(code, scope);
      setParams(
        (previous) => {
          const params = new URLSearchParams(previous);
          if (next === scope) params.delete('region');
          else params.set('region', next);
          return params;
        },
        { replace: false },
      );
    },
    [setParams, scope],
  );
  return [region, setRegion];
}
