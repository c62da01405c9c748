// /brief: the leaders' tablet briefing. Narratives, KPIs and PDF arrive with their issue.

import { RegionMap } from '../../map/region-map';
import { ModeHeader } from '../../components/mode-header';
import { CreditsFooter } from '../../components/credits-footer';
import { useI18n } from '../../i18n';

export default function BriefMode() {
  const { t } = useI18n();
  return (
    <div className="mode mode-brief theme-light">
      <ModeHeader title={t.modeBrief} showNav />
      <main className="mode-main">
        <RegionMap theme="light" />
        <p className="mode-note">{t.drillHint}</p>
      </main>
      <CreditsFooter />
    </div>
  );
}
