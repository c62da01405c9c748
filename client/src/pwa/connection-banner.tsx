// A thin bar above the page while the server is out of reach: "离线 · 数据截至 <when the server gave the
// answers shown>". It takes its own row (content moves down, nothing is covered); on the wall it is
// smaller and dimmer. The live region stays in the page when empty, so a screen reader announces the
// change. data-data-time holds that time (ms) for tests.

import { useI18n } from '../i18n';
import { offlineSentence } from './offline-text';
import { useConnection, useOfflineDataTime } from './use-connection';
import './connection-banner.css';

/** `theme` matters on the wall only (its ?theme=); desk pages have one banner colour. */
export function ConnectionBanner({ variant, theme = 'dark' }: { variant: 'desk' | 'wall'; theme?: 'dark' | 'light' }) {
  const { lang } = useI18n();
  const connection = useConnection();
  const dataTime = useOfflineDataTime(connection);
  const { status } = connection;
  return (
    <div className={`connection-banner connection-banner-${variant}${variant === 'wall' ? ` theme-${theme}` : ''}`} role="status" data-connection={status} data-data-time={dataTime ?? undefined}>
      {status === 'offline' ? offlineSentence(lang, dataTime) : null}
    </div>
  );
}
