// A briefing section's list in its three states: placeholders while it loads, the error with a retry,
// a sentence when there is nothing to list, else the list itself.

import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { BRIEF_TEXT } from './brief-text';
import { LoadError } from '../../components/load-error';

export function SectionState<Row>({
  rows,
  error,
  onRetry,
  empty,
  children,
}: {
  rows: readonly Row[] | undefined;
  error: { message: string } | null;
  onRetry: () => void;
  empty: string;
  children: (rows: readonly Row[]) => ReactNode;
}) {
  const { lang } = useI18n();
  if (error) {
    return <LoadError what={BRIEF_TEXT[lang].sectionFailed} error={error} onRetry={onRetry} />;
  }
  if (!rows) {
    return (
      <ol className="item-list list-placeholder" aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <li key={i} />
        ))}
      </ol>
    );
  }
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return <>{children(rows)}</>;
}
