// /plan: the planner's desktop view. Coverage and siting panels arrive with their issues.

import { RegionMap } from '../../map/region-map';
import { ModeHeader } from '../../components/mode-header';
import { CreditsFooter } from '../../components/credits-footer';
import { useI18n } from '../../i18n';

export default function PlanMode() {
  const { t } = useI18n();
  return (
    <div className="mode mode-plan theme-light">
      <ModeHeader title={t.modePlan} showNav />
      <main className="mode-main">
        <RegionMap theme="light" />
        <p className="mode-note">{t.drillHint}</p>
      </main>
      <CreditsFooter />
    </div>
  );
}
