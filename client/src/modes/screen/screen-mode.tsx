// /screen: the big-screen command display (dark, unattended). Panels arrive with the screen issue.

import { RegionMap } from '../../map/region-map';
import { ModeHeader } from '../../components/mode-header';
import { CreditsFooter } from '../../components/credits-footer';
import { useI18n } from '../../i18n';

export default function ScreenMode() {
  const { t } = useI18n();
  return (
    <div className="mode mode-screen theme-dark">
      <ModeHeader title={t.modeScreen} showNav={false} />
      <main className="mode-main">
        <RegionMap theme="dark" interactive={false} maxPixelRatio={2} />
      </main>
      <CreditsFooter />
    </div>
  );
}
