// The /plan question, table level and completeness limit, read from and written to the URL (see modes/plan/plan-url.ts).

import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { FocusLevel } from './use-focus-children';
import { DEFAULT_QUESTION, planQuestionFrom, tableLevelFrom, withParam, type PlanQuestion, type TableLevel } from '../modes/plan/plan-url';

export function usePlanState(focus: FocusLevel) {
  const [params, setParams] = useSearchParams();
  const question = planQuestionFrom(params);
  const tableLevel = tableLevelFrom(params, focus);
  const setQuestion = useCallback(
    (q: PlanQuestion) => setParams((previous) => withParam(previous, 'q', q, DEFAULT_QUESTION), { replace: true }),
    [setParams],
  );
  const setTableLevel = useCallback((level: TableLevel) => setParams((previous) => withParam(previous, 'units', level, ''), { replace: true }), [setParams]);
  // ?lc=minutes: completeness with the map's walking time for every kind (else each kind's GB 50180 distance).
  const completenessOneLimit = params.get('lc') === 'minutes';
  const setCompletenessOneLimit = useCallback(
    (on: boolean) => setParams((previous) => withParam(previous, 'lc', on ? 'minutes' : '', ''), { replace: true }),
    [setParams],
  );
  return { question, setQuestion, tableLevel, setTableLevel, completenessOneLimit, setCompletenessOneLimit };
}
