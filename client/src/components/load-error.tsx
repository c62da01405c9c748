// A request that failed, said in words: what could not be loaded, the server's message, and a retry
// button (every section that loads data shows its failure the same way).

import { useI18n } from '../i18n';

export function LoadError({
  what,
  error,
  onRetry,
  className = 'section-error',
  role = 'alert',
}: {
  /** What failed, e.g. "加载失败" or the section's own words. */
  what: string;
  error: { message: string };
  onRetry: () => void;
  className?: string;
  /** `status` where the failure is not urgent (a suggestion list). */
  role?: 'alert' | 'status';
}) {
  const { t } = useI18n();
  return (
    <p className={className} role={role}>
      {what}
      {t.colon}
      {error.message}{' '}
      <button type="button" onClick={onRetry}>
        {t.retry}
      </button>
    </p>
  );
}
