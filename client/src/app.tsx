// Routes: one lazily loaded bundle per mode, so /screen never downloads planner or briefing code. Every
// mode opens behind the auth gate; a request answered 401 anywhere opens the login page, which returns
// to the page afterwards.

import { Suspense, lazy, useEffect, useMemo } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { AuthGate } from './auth/auth-gate';
import { LOGIN_PATH, loginPathFor } from './auth/auth-paths';
import { I18nContext, MESSAGES, langFromLocation } from './i18n';
import { setUnauthorizedListener } from './trpc';

const ScreenMode = lazy(() => import('./modes/screen/screen-mode'));
const PlanMode = lazy(() => import('./modes/plan/plan-mode'));
const BriefMode = lazy(() => import('./modes/brief/brief-mode'));
const LoginMode = lazy(() => import('./modes/login/login-mode'));

export function App() {
  const { search } = useLocation();
  const navigate = useNavigate();
  const lang = langFromLocation(search);
  const i18n = useMemo(() => ({ lang, t: MESSAGES[lang] }), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = i18n.t.documentTitle;
  }, [lang, i18n]);
  // Not logged in, or the session ended: log in, then come back here.
  useEffect(() => {
    setUnauthorizedListener(() => {
      const { pathname, search: current } = window.location;
      if (pathname !== LOGIN_PATH) navigate(loginPathFor({ pathname, search: current }, langFromLocation(current)), { replace: true });
    });
    return () => setUnauthorizedListener(null);
  }, [navigate]);
  return (
    <I18nContext.Provider value={i18n}>
      <Suspense fallback={<div className="loading">{i18n.t.loading}</div>}>
        <Routes>
          <Route path={LOGIN_PATH} element={<LoginMode />} />
          <Route path="/screen" element={<AuthGate><ScreenMode /></AuthGate>} />
          <Route path="/plan" element={<AuthGate><PlanMode /></AuthGate>} />
          <Route path="/brief" element={<AuthGate><BriefMode /></AuthGate>} />
          <Route path="*" element={<Navigate to={{ pathname: '/screen', search }} replace />} />
        </Routes>
      </Suspense>
    </I18nContext.Provider>
  );
}
