// Footer crediting the data sources (and saying what the map is not).

import { useI18n } from '../i18n';

export function CreditsFooter() {
  const { t } = useI18n();
  return (
    <footer className="credits" role="contentinfo">
      {t.credits}
    </footer>
  );
}
