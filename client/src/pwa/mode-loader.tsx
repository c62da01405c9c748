// A mode's code, loaded once, without Suspense: React.lazy suspends even when the module has arrived
// already (its promise settles a tick later), and React holds content that suspended behind a fallback
// shown less than 300 ms before. A page preloads its mode while auth.me is asked (app.tsx), so its
// mode is usually here when the auth gate opens: it then renders at once. A load that fails (no network
// and no service worker yet) says so, with a retry.

import { useEffect, useSyncExternalStore, type ComponentType } from 'react';
import { useI18n } from '../i18n';
import { OFFLINE_TEXT } from './offline-text';

export interface ModeLoader {
  /** Starts loading (once; again after a failure); resolves when loaded or failed. */
  load: () => Promise<void>;
  /** The mode, or a loading line until it is here. */
  Mode: ComponentType;
}

type State = { status: 'idle' | 'loading' } | { status: 'loaded'; Component: ComponentType } | { status: 'failed' };

export function modeLoader(importer: () => Promise<{ default: ComponentType }>): ModeLoader {
  let state: State = { status: 'idle' };
  let loading: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  const set = (next: State): void => {
    state = next;
    for (const listener of listeners) listener();
  };
  const load = (): Promise<void> => {
    if (state.status === 'loaded') return Promise.resolve();
    loading ??= importer().then(
      (module) => set({ status: 'loaded', Component: module.default }),
      () => {
        loading = null;
        set({ status: 'failed' });
      },
    );
    if (state.status !== 'loading') set({ status: 'loading' });
    return loading;
  };
  const subscribe = (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const snapshot = (): State => state;

  function Mode() {
    const { t, lang } = useI18n();
    const current = useSyncExternalStore(subscribe, snapshot);
    useEffect(() => {
      if (snapshot().status === 'idle') void load();
    }, []);
    if (current.status === 'loaded') return <current.Component />;
    if (current.status === 'failed') {
      return (
        <div className="loading" role="alert">
          {OFFLINE_TEXT[lang].codeFailed}{' '}
          <button type="button" onClick={() => void load()}>
            {t.retry}
          </button>
        </div>
      );
    }
    return <div className="loading">{t.loading}</div>;
  }
  return { load, Mode };
}
