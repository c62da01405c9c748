// The region in focus, kept in the URL (?region=2101) so views can be linked and restored.

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export const PROVINCE_CODE = '21';

export function useRegion(): [string, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('region');
  const region = raw && /^\d{2,12}$/.test(raw) ? raw : PROVINCE_CODE;
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
