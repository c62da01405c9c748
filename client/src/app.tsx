// Routes: one lazily loaded bundle per mode, so /screen never downloads planner or briefing code.

import { Suspense, lazy, useEffect, useMemo } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { I18nContext, MESSAGES, langFromLocation } from './i18n';

const ScreenMode = lazy(() => import('./modes/screen/screen-mode'));
const PlanMode = lazy(() => import('./modes/plan/plan-mode'));
const BriefMode = lazy(() => import('./modes/brief/brief-mode'));

export function App() {
  const { search } = useLocation();
  const lang = langFromLocation(search);
  const i18n = useMemo(() => ({ lang, t: MESSAGES[lang] }), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = i18n.t.documentTitle;
  }, [lang, i18n]);
  return (
    <I18nContext.Provider value={i18n}>
      <Suspense fallback={<div className="loading">{i18n.t.loading}</div>}>
        <Routes>
          <Route path="/screen" element={<ScreenMode />} />
          <Route path="/plan" element={<PlanMode />} />
          <Route path="/brief" element={<BriefMode />} />
          <Route path="*" element={<Navigate to={{ pathname: '/screen', search }} replace />} />
        </Routes>
      </Suspense>
    </I18nContext.Provider>
  );
}
