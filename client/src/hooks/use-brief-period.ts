// The briefing's period, kept in the URL (?period=) beside the region so a briefing can be linked and
// restored, resolved against today's China-time date (which moves at China midnight, not before).

import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { MS_PER_DAY, startOfChinaDay } from '../../../server/domain/china-time';
import { chinaToday, periodFromParam, periodParam, resolvePeriod, type DayKey, type DayRange, type PeriodSpec } from '../modes/brief/brief-period';

/** Today in China time, changing at China midnight. */
export function useChinaToday(): DayKey {
  const [today, setToday] = useState(() => chinaToday(Date.now()));
  useEffect(() => {
    const now = Date.now();
    const timer = setTimeout(() => setToday(chinaToday(Date.now())), startOfChinaDay(now) + MS_PER_DAY - now + 1_000);
    return () => clearTimeout(timer);
  }, [today]);
  return today;
}

export interface BriefPeriod {
  spec: PeriodSpec;
  /** The days the API is asked about. */
  range: DayRange;
  today: DayKey;
  /** ?period= was malformed or refused (the default is shown). */
  invalid: boolean;
  setPeriod: (spec: PeriodSpec) => void;
}

export function useBriefPeriod(): BriefPeriod {
  const [params, setParams] = useSearchParams();
  const today = useChinaToday();
  const { spec, invalid } = periodFromParam(params.get('period'), today);
  const range = resolvePeriod(spec, today);
  const setPeriod = useCallback(
    (next: PeriodSpec) => {
      setParams((previous) => {
        const updated = new URLSearchParams(previous);
        updated.set('period', periodParam(next));
        return updated;
      });
    },
    [setParams],
  );
  return { spec, range, today, invalid, setPeriod };
}
