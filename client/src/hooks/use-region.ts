// The region in focus, kept in the URL (?region=2101) so views can be linked and restored.

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export const PROVINCE_CODE = '21';

/** The region of ?region=: a division code of 2 to 12 digits, else the province. */
export function regionFrom(params: URLSearchParams): string {
  const raw = params.get('region');
  return raw !== null && /^\d{2,12}$/.test(raw) ? raw : PROVINCE_CODE;
}

export function useRegion(): [string, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const region = regionFrom(params);
  const setRegion = useCallback(
    (code: string) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (code === PROVINCE_CODE) next.delete('region');
          else next.set('region', code);
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );
  return [region, setRegion];
}
