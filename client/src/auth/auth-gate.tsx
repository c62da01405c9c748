// Opens a mode only for a caller it can serve: waits for auth.me (so no query scoped to a region goes out
// before the jurisdiction is known), sends a caller who must log in or change a one-time password to the
// login page, tells a wall display that it shows the wall only, and holds ?region= inside the jurisdiction.

import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { useMe } from '../hooks/use-me';
import { clampedRegionSearch, regionScopeOf } from '../hooks/use-region';
import { useI18n } from '../i18n';
import { isUnauthorized } from './auth-errors';
import { LOGIN_PATH, isWallPath, loginPathFor, withLang } from './auth-paths';

/** A page that says one thing: a title, a sentence and what to do next. */
export function PageMessage({ title, children, theme = 'light' }: { title: string; children: ReactNode; theme?: 'dark' | 'light' }) {
  return (
    <main className={`page-message theme-${theme}`}>
      <section role="alert" aria-labelledby="page-message-title">
        <h1 id="page-message-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

/** What a wall display (screen-only token) sees on any page but the wall. */
export function WallOnlyMessage({ area }: { area: string }) {
  const { t, lang } = useI18n();
  return (
    <PageMessage title={t.auth.wallOnlyTitle} theme="dark">
      <p>{t.auth.wallOnlyBody.replace('{area}', area)}</p>
      <p className="page-message-actions">
        <Link className="page-message-primary" to={withLang('/screen', lang)}>
          {t.auth.openWall}
        </Link>
        <Link to={withLang(LOGIN_PATH, lang)}>{t.auth.loginAsUser}</Link>
      </p>
    </PageMessage>
  );
}

export function AuthGate({ children }: { children: ReactNode }) {
  const { t, lang } = useI18n();
  const location = useLocation();
  const me = useMe();
  if (me.error && isUnauthorized(me.error)) return <Navigate to={loginPathFor(location, lang)} replace />;
  if (!me.data) {
    if (!me.error) return <div className="loading">{t.loading}</div>;
    return (
      <PageMessage title={t.auth.meFailed}>
        <p>{me.error.message}</p>
        <p className="page-message-actions">
          <button type="button" className="page-message-primary" onClick={() => void me.refetch()}>
            {t.retry}
          </button>
        </p>
      </PageMessage>
    );
  }
  const caller = me.data;
  if (caller.mustChangePassword) return <Navigate to={loginPathFor(location, lang)} replace />;
  if (caller.screenOnly && !isWallPath(location.pathname)) return <WallOnlyMessage area={caller.jurisdictionName ?? caller.jurisdiction} />;
  const search = clampedRegionSearch(location.search, regionScopeOf(caller.jurisdiction));
  if (search !== null) return <Navigate to={{ pathname: location.pathname, search, hash: location.hash }} replace />;
  return children;
}
