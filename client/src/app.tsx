// Routes: one lazily loaded bundle per mode, so /screen never downloads planner or briefing code. Every
// mode opens behind the auth gate; a request answered 401 anywhere opens the login page, which returns
// to the page afterwards. Above every mode, the bar that says when the server is out of reach.
// main.tsx preloads the mode of the page opened, so its code arrives while the caller is identified
// (pwa/mode-loader.tsx: no Suspense, so a mode already here renders at once).

import { Suspense, useEffect, useMemo } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { AuthGate } from './auth/auth-gate';
import { LOGIN_PATH, loginPathFor } from './auth/auth-paths';
import { I18nContext, MESSAGES, langFromLocation } from './i18n';
import { ConnectionBanner } from './pwa/connection-banner';
import { modeLoader } from './pwa/mode-loader';
import { setUnauthorizedListener } from './trpc';

const screen = modeLoader(() => import('./modes/screen/screen-mode'));
const plan = modeLoader(() => import('./modes/plan/plan-mode'));
const brief = modeLoader(() => import('./modes/brief/brief-mode'));
const desk = modeLoader(() => import('./modes/desk/desk-mode'));
const report = modeLoader(() => import('./modes/report/report-mode'));
const boundaryRegister = modeLoader(() => import('./modes/desk/boundary-register-mode'));
const planData = modeLoader(() => import('./modes/plan/data/data-mode'));
const planGrids = modeLoader(() => import('./modes/plan/grids/grids-mode'));
const login = modeLoader(() => import('./modes/login/login-mode'));
const ScreenMode = screen.Mode;
const PlanMode = plan.Mode;
const BriefMode = brief.Mode;
const DeskMode = desk.Mode;
const ReportMode = report.Mode;
const BoundaryRegisterMode = boundaryRegister.Mode;
const PlanDataMode = planData.Mode;
const PlanGridsMode = planGrids.Mode;
const LoginMode = login.Mode;

/**
 * Starts loading the code of the mode a page opens on at once, while auth.me is asked: the auth gate
 * renders the mode only after auth.me has answered, one round trip later.
 */
export function preloadMode(pathname: string): void {
  void { '/screen': screen, '/plan': plan, '/brief': brief, '/desk': desk, '/report': report, '/desk/boundaries': boundaryRegister, '/plan/data': planData, '/plan/grids': planGrids, [LOGIN_PATH]: login }[pathname]?.load();
}

export function App() {
  const { pathname, search } = useLocation();
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
      <div className="app-shell">
        <ConnectionBanner variant={pathname === '/screen' ? 'wall' : 'desk'} theme={new URLSearchParams(search).get('theme') === 'light' ? 'light' : 'dark'} />
        <div className="app-view">
          <Suspense fallback={<div className="loading">{i18n.t.loading}</div>}>
            <Routes>
              <Route path={LOGIN_PATH} element={<LoginMode />} />
              <Route path="/screen" element={<AuthGate><ScreenMode /></AuthGate>} />
              <Route path="/plan" element={<AuthGate><PlanMode /></AuthGate>} />
              <Route path="/brief" element={<AuthGate><BriefMode /></AuthGate>} />
              <Route path="/desk" element={<AuthGate><DeskMode /></AuthGate>} />
              <Route path="/report" element={<AuthGate><ReportMode /></AuthGate>} />
              <Route path="/desk/boundaries" element={<AuthGate><BoundaryRegisterMode /></AuthGate>} />
              <Route path="/plan/data" element={<AuthGate><PlanDataMode /></AuthGate>} />
              <Route path="/plan/grids" element={<AuthGate><PlanGridsMode /></AuthGate>} />
              <Route path="*" element={<Navigate to={{ pathname: '/screen', search }} replace />} />
            </Routes>
          </Suspense>
        </div>
      </div>
    </I18nContext.Provider>
  );
}
