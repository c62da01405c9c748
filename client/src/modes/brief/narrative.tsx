// The briefing's paragraph, written by the server (brief.narrative) in the UI language from the same
// figures the cards show.

import type { BriefNarrative } from '../../api-types';
import { useI18n } from '../../i18n';
import { BRIEF_TEXT } from './brief-text';
import { LoadError } from '../../components/load-error';

export function Narrative({ data, error, onRetry }: { data: BriefNarrative | undefined; error: { message: string } | null; onRetry: () => void }) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  return (
    <section className="brief-panel brief-narrative" aria-labelledby="brief-narrative-title" data-state={data ? 'ready' : error ? 'error' : 'loading'}>
      <h2 id="brief-narrative-title">{text.narrative}</h2>
      {data ? (
        <p className="narrative-text">{data.text}</p>
      ) : error ? (
        <LoadError what={text.sectionFailed} error={error} onRetry={onRetry} />
      ) : (
        <p className="narrative-text narrative-pending">{text.narrativePending}</p>
      )}
    </section>
  );
}
