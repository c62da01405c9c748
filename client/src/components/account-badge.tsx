// Who is using a desk mode: the username (or anonymous, a wall display, a token), the role and the
// jurisdiction, with a login link for someone not logged in and a logout button for a user.

import { Link, useLocation, useNavigate } from 'react-router';
import { LOGIN_PATH, loginPathFor, withLang } from '../auth/auth-paths';
import { useLogout, useMe } from '../hooks/use-me';
import { useI18n } from '../i18n';
import { clearOfflineData } from '../pwa/offline-data';

export function AccountBadge() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  const logout = useLogout(() => {
    void clearOfflineData();
    void navigate(withLang(LOGIN_PATH, lang));
  });
  const caller = me.data;
  if (!caller) return null;
  const name = caller.username ?? (caller.kind === 'anonymous' ? t.auth.anonymous : caller.screenOnly ? t.auth.wallDisplay : t.auth.apiToken);
  return (
    <div className="account-badge" aria-label={t.auth.account} data-account-kind={caller.kind}>
      <span className="account-name">{name}</span>
      <span className="account-role">
        {caller.roleLabel[lang]} · {caller.jurisdictionName ?? caller.jurisdiction}
      </span>
      {caller.kind === 'user' ? (
        <button type="button" className="account-action" onClick={() => logout.mutate()} disabled={logout.isPending}>
          {t.auth.logout}
        </button>
      ) : (
        <Link className="account-action" to={loginPathFor(location, lang)}>
          {t.auth.login}
        </Link>
      )}
    </div>
  );
}
