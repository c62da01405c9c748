// Header shared by the desk modes: title, demo-data badge, mode switch and who is logged in.

import { NavLink, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { useMe } from '../hooks/use-me';
import { trpc } from '../trpc';
import { AccountBadge } from './account-badge';

export function ModeHeader({ title, showNav }: { title: string; showNav: boolean }) {
  const { t } = useI18n();
  const { search } = useLocation();
  const health = useQuery({ ...trpc.meta.health.queryOptions(), staleTime: 60_000 });
  // The desk lists and opens cases: offered to roles that may.
  const capabilities = useMe().data?.capabilities;
  const readsCases = capabilities?.readCases ?? false;
  return (
    <header className="mode-header">
      <h1>
        {t.appTitle}
        <span className="mode-title"> · {title}</span>
      </h1>
      {health.data?.demo && (
        <span className="demo-badge" title={t.demoDataTitle} role="note" aria-label={t.demoDataTitle}>
          {t.demoData}
        </span>
      )}
      {showNav && (
        <nav aria-label="modes">
          <NavLink to={{ pathname: '/screen', search }}>{t.modeScreen}</NavLink>
          <NavLink to={{ pathname: '/plan', search }} end>{t.modePlan}</NavLink>
          <NavLink to={{ pathname: '/brief', search }}>{t.modeBrief}</NavLink>
          {readsCases && <NavLink to={{ pathname: '/desk', search }} end>{t.modeDesk}</NavLink>}
          {readsCases && <NavLink to={{ pathname: '/desk/boundaries', search }}>{t.modeBoundaries}</NavLink>}
          {capabilities?.plan && <NavLink to={{ pathname: '/plan/grids', search }}>{t.modeGrids}</NavLink>}
          {capabilities?.administer && <NavLink to={{ pathname: '/plan/data', search }}>{t.modeData}</NavLink>}
        </nav>
      )}
      <AccountBadge />
    </header>
  );
}
