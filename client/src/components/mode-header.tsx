// Header shared by the modes: title, mode switch (kept out of unattended screens) and language.

import { NavLink, useLocation } from 'react-router';
import { useI18n } from '../i18n';

export function ModeHeader({ title, showNav }: { title: string; showNav: boolean }) {
  const { t } = useI18n();
  const { search } = useLocation();
  return (
    <header className="mode-header">
      <h1>
        {t.appTitle}
        <span className="mode-title"> · {title}</span>
      </h1>
      {showNav && (
        <nav aria-label="modes">
          <NavLink to={{ pathname: '/screen', search }}>{t.modeScreen}</NavLink>
          <NavLink to={{ pathname: '/plan', search }}>{t.modePlan}</NavLink>
          <NavLink to={{ pathname: '/brief', search }}>{t.modeBrief}</NavLink>
        </nav>
      )}
    </header>
  );
}
