// /login: username and password (auth.login sets an HttpOnly session cookie), then, for a one-time
// password, the choice of a new one (auth.changePassword), then the page asked for in ?next= (a path of
// this site only) or the role's home. Someone already logged in sees who they are and can log out.

import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessFailureOf, isUnauthorized } from '../../auth/auth-errors';
import { afterLoginPath } from '../../auth/auth-paths';
import type { Me } from '../../api-types';
import { useLogout } from '../../hooks/use-me';
import { useI18n, type Messages } from '../../i18n';
import { clearOfflineData } from '../../pwa/offline-data';
import { trpc } from '../../trpc';
import './login.css';

/** The shortest password auth.changePassword accepts (the server checks it again). */
export const MIN_PASSWORD_LENGTH = 10;

/** Seconds until `until` (ms), ticking every second while it lies ahead. */
function useSecondsUntil(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= until) clearInterval(timer);
    }, 1_000);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1_000));
}

/** The sentence a failed login shows (the wait of a rate-limit refusal counts down). */
function loginFailureText(error: unknown, t: Messages, secondsLeft: number): string {
  const failure = accessFailureOf(error);
  switch (failure.kind) {
    case 'unauthorized':
      return t.auth.wrongCredentials;
    case 'tooMany':
      return failure.waitSeconds === null ? t.auth.tooMany : t.auth.tooManyWait.replace('{seconds}', String(Math.max(1, secondsLeft)));
    case 'unreachable':
      return t.auth.unreachable;
    default:
      return `${t.auth.failed}${t.colon}${failure.message}`;
  }
}

function LoginForm({ onLoggedIn, caller, meError }: { onLoggedIn: (password: string) => Promise<void>; caller: Me | undefined; meError: unknown }) {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const login = useMutation({
    ...trpc.auth.login.mutationOptions(),
    onSuccess: () => onLoggedIn(password),
    onError: (error) => {
      const failure = accessFailureOf(error);
      setBlockedUntil(failure.kind === 'tooMany' && failure.waitSeconds !== null ? Date.now() + failure.waitSeconds * 1_000 : null);
    },
  });
  const secondsLeft = useSecondsUntil(blockedUntil);
  const blocked = secondsLeft > 0;
  // A rate-limit refusal is said until its wait has passed; then the form simply works again.
  const failure = login.error && !(blockedUntil !== null && !blocked) ? login.error : null;
  const pending = login.isPending;
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (pending || blocked) return;
    login.mutate({ username: username.trim(), password });
  };
  // The server out of reach before anything was typed: said at once, the form stays usable.
  const unreachable = meError !== null && meError !== undefined && !isUnauthorized(meError);
  return (
    <form className="login-form" onSubmit={onSubmit} aria-label={t.auth.loginTitle}>
      {caller?.kind === 'token' && caller.screenOnly && (
        <p className="login-note">{t.auth.kioskNote.replace('{area}', caller.jurisdictionName ?? caller.jurisdiction)}</p>
      )}
      <fieldset disabled={pending}>
        <label htmlFor="login-username">{t.auth.username}</label>
        <input
          id="login-username"
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={40}
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <label htmlFor="login-password">{t.auth.password}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="login-primary" disabled={blocked}>
          {pending ? t.auth.submitting : t.auth.submit}
        </button>
      </fieldset>
      {failure ? (
        <p className="login-error" role="alert" data-failure={accessFailureOf(failure).kind}>
          {loginFailureText(failure, t, secondsLeft)}
        </p>
      ) : unreachable ? (
        <p className="login-error" role="alert" data-failure="unreachable">
          {t.auth.unreachable}
        </p>
      ) : null}
      {caller?.kind === 'anonymous' && (
        <p className="login-aside">
          <Link to={afterLoginPath(params.get('next'), caller, lang)}>{t.auth.browseAnonymously}</Link>
        </p>
      )}
    </form>
  );
}

function ChangePasswordForm({
  caller,
  oneTimePassword,
  onChanged,
  onSessionEnded,
}: {
  caller: Me;
  oneTimePassword: string | null;
  onChanged: () => Promise<void>;
  /** The session ended meanwhile (expired, or revoked by an administrator): log in again. */
  onSessionEnded: () => void;
}) {
  const { t } = useI18n();
  const [current, setCurrent] = useState(oneTimePassword ?? '');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = useMutation({
    ...trpc.auth.changePassword.mutationOptions(),
    onSuccess: () => onChanged(),
    onError: (error) => {
      if (isUnauthorized(error)) onSessionEnded();
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (change.isPending) return;
    const min = String(MIN_PASSWORD_LENGTH);
    const found =
      current === ''
        ? t.auth.currentMissing
        : next.length < MIN_PASSWORD_LENGTH
          ? t.auth.tooShort.replace('{min}', min)
          : next !== again
            ? t.auth.mismatch
            : next === current
              ? t.auth.sameAsCurrent
              : null;
    setProblem(found);
    if (found === null) change.mutate({ current, next });
  };
  const failure = change.error ? accessFailureOf(change.error) : null;
  const failureText =
    failure === null
      ? null
      : failure.kind === 'badRequest'
        ? failure.message.startsWith('current')
          ? t.auth.currentWrong
          : `${t.auth.passwordRejected}${t.colon}${failure.message.replace(/^password:\s*/, '')}`
        : failure.kind === 'unauthorized'
          ? t.auth.sessionEnded
          : failure.kind === 'unreachable'
            ? t.auth.unreachable
            : `${t.auth.changeFailed}${t.colon}${failure.kind === 'tooMany' ? t.auth.tooMany : failure.message}`;
  return (
    // Checked here, in the UI's language, rather than by the browser's own bubbles.
    <form className="login-form" onSubmit={onSubmit} aria-label={t.auth.changeTitle} noValidate>
      <h2>{t.auth.changeTitle}</h2>
      <p className="login-note">{t.auth.changeIntro.replace('{min}', String(MIN_PASSWORD_LENGTH))}</p>
      <fieldset disabled={change.isPending}>
        {/* For password managers: whose password this is. */}
        <input className="visually-hidden" type="text" name="username" autoComplete="username" value={caller.username ?? ''} readOnly tabIndex={-1} aria-hidden="true" />
        <label htmlFor="change-current">{t.auth.currentPassword}</label>
        <input id="change-current" name="current" type="password" autoComplete="current-password" required value={current} onChange={(event) => setCurrent(event.target.value)} />
        <label htmlFor="change-next">{t.auth.newPassword}</label>
        <input
          id="change-next"
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={200}
          autoFocus
          value={next}
          onChange={(event) => setNext(event.target.value)}
        />
        <label htmlFor="change-again">{t.auth.confirmPassword}</label>
        <input
          id="change-again"
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          required
          maxLength={200}
          value={again}
          onChange={(event) => setAgain(event.target.value)}
        />
        <button type="submit" className="login-primary">
          {change.isPending ? t.auth.changing : t.auth.changeSubmit}
        </button>
      </fieldset>
      {(problem ?? failureText) !== null && (
        <p className="login-error" role="alert">
          {problem ?? failureText}
        </p>
      )}
    </form>
  );
}

function SignedIn({ caller, target, onLogout, loggingOut }: { caller: Me; target: string; onLogout: () => void; loggingOut: boolean }) {
  const { t, lang } = useI18n();
  return (
    <div className="login-form login-signed-in">
      <p>
        {t.auth.signedInAs}
        {t.colon}
        <strong className="login-username">{caller.username}</strong>
      </p>
      <p className="login-note">
        {caller.roleLabel[lang]} · {caller.jurisdictionName ?? caller.jurisdiction}
      </p>
      <p className="login-actions">
        <Link className="login-primary" to={target}>
          {t.auth.continue}
        </Link>
        <button type="button" onClick={onLogout} disabled={loggingOut}>
          {t.auth.logout}
        </button>
      </p>
    </div>
  );
}

export default function LoginMode() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const next = params.get('next');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Asked afresh on every visit: the session may have ended since the last answer.
  const me = useQuery({ ...trpc.auth.me.queryOptions(), refetchOnMount: 'always', retry: false });
  const [oneTimePassword, setOneTimePassword] = useState<string | null>(null);

  // Whoever logs in next must not see answers fetched for the previous caller.
  useEffect(() => {
    queryClient.removeQueries({ type: 'inactive' });
  }, [queryClient]);

  /** Asks who is logged in now, and goes on unless a new password must be chosen first. */
  const proceed = async (): Promise<void> => {
    queryClient.removeQueries({ type: 'inactive' });
    const caller = await queryClient.fetchQuery({ ...trpc.auth.me.queryOptions(), staleTime: 0 });
    if (!caller.mustChangePassword) await navigate(afterLoginPath(next, caller, lang), { replace: true });
  };
  const logout = useLogout(() => {
    void clearOfflineData();
    setOneTimePassword(null);
    queryClient.removeQueries({ type: 'inactive' });
    void me.refetch();
  });

  const caller = me.error ? undefined : me.data;
  let body;
  if (me.isFetching && !me.isFetchedAfterMount) {
    body = <p className="login-note">{t.loading}</p>;
  } else if (caller?.kind === 'user' && caller.mustChangePassword) {
    body = <ChangePasswordForm caller={caller} oneTimePassword={oneTimePassword} onChanged={proceed} onSessionEnded={() => void me.refetch()} />;
  } else if (caller?.kind === 'user') {
    body = <SignedIn caller={caller} target={afterLoginPath(next, caller, lang)} onLogout={() => logout.mutate()} loggingOut={logout.isPending} />;
  } else {
    body = (
      <LoginForm
        caller={caller}
        meError={me.error}
        onLoggedIn={async (password) => {
          // The answers kept for offline use were someone else's (or anonymous): never shown to this user.
          await clearOfflineData();
          setOneTimePassword(password);
          await proceed();
        }}
      />
    );
  }
  return (
    <main className="mode-login theme-light">
      <section className="login-card" aria-labelledby="login-title">
        <p className="login-app">{t.appTitle}</p>
        <h1 id="login-title">{t.auth.loginTitle}</h1>
        {body}
      </section>
    </main>
  );
}
