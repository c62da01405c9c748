// /plan: the planner's desktop view. The region map coloured by the coverage rate of its units, with
// the dissolved service areas of a facility kind and the grids (or, for a city, points) of uncovered
// residents; ?coverage=off shows the plain population map. Beside it, the siting panel proposes where
// the next facilities cover the most residents and draws its proposals on the same map (locked, saying
// who may, for roles that cannot plan).

import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LayersList } from '@deck.gl/core';
import { RegionMap, type UnitFillOverride } from '../../map/region-map';
import { levelOfCode } from '../../map/admin-style';
import { LABEL_LAYER } from '../../map/offline-style';
import { ModeHeader } from '../../components/mode-header';
import { CreditsFooter } from '../../components/credits-footer';
import { SitingPanel } from '../../components/siting-panel';
import { createCoverageGapLayer } from '../../layers/coverage-gap-layer';
import { createServiceAreaLayer } from '../../layers/coverage-service-area-layer';
import { rateColor } from '../../layers/coverage-colors';
import { useCoverage } from '../../hooks/use-coverage';
import { useCoverageSettings } from '../../hooks/use-coverage-settings';
import { useMe } from '../../hooks/use-me';
import { useRegion } from '../../hooks/use-region';
import { useI18n } from '../../i18n';
import { trpc } from '../../trpc';
import { CoverageLegend } from './coverage-legend';
import { CoveragePanel } from './coverage-panel';
import { usePlanWhatIf } from './whatif/plan-whatif';
import './plan.css';

export default function PlanMode() {
  const { t, lang } = useI18n();
  const [region] = useRegion();
  const me = useMe();
  const maySite = me.data?.capabilities.plan ?? false;
  const [settings, setSettings] = useCoverageSettings();
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const level = tree.data?.level ?? levelOfCode(region);
  const coverage = useCoverage(region, level, settings);

  const { rateByCode, ratesVersion, serviceAreas, gaps } = coverage;
  const unitFill = useMemo((): UnitFillOverride | undefined => {
    if (!settings.enabled || ratesVersion === 0) return undefined;
    return { fillOf: (code) => rateColor(rateByCode.get(code) ?? null, 'light'), key: `coverage-${ratesVersion}` };
  }, [settings.enabled, rateByCode, ratesVersion]);

  // The siting panel's proposals (sites and their catchments) draw above the coverage layers.
  const [sitingLayers, setSitingLayers] = useState<LayersList>([]);
  // What-if edits and their delta draw above every question layer.
  const whatIf = usePlanWhatIf({ region, kind: settings.kind, maxMinutes: settings.maxMinutes, mayPlan: maySite });
  const extraLayers = useMemo((): LayersList | undefined => {
    const layers: LayersList = [];
    if (settings.enabled) {
      if (serviceAreas) layers.push(createServiceAreaLayer(serviceAreas, { id: 'coverage-service-areas', beforeId: LABEL_LAYER }));
      if (gaps) layers.push(createCoverageGapLayer(gaps, { id: 'coverage-gaps', beforeId: LABEL_LAYER }));
    }
    layers.push(...sitingLayers, ...whatIf.layers);
    return layers.length > 0 ? layers : undefined;
  }, [settings.enabled, serviceAreas, gaps, sitingLayers, whatIf.layers]);

  const methodLabel = serviceAreas?.parameters.label[lang] ?? gaps?.parameters.label[lang];
  return (
    <div className="mode mode-plan theme-light">
      <ModeHeader title={t.modePlan} showNav />
      <main className="mode-main">
        {whatIf.compareView ?? (
          <RegionMap
            theme="light"
            extraLayers={extraLayers}
            extraLayersReady={coverage.ready}
            unitFill={unitFill}
            interaction={whatIf.interaction}
            legend={settings.enabled ? <CoverageLegend gapsAsPoints={level === 'city'} showAreas={level !== 'province'} /> : undefined}
          />
        )}
        <p className="mode-note">{t.drillHint}</p>
        <div className="plan-side">
          <CoveragePanel
            settings={settings}
            onChange={setSettings}
            totals={coverage.totals}
            methodLabel={methodLabel}
            fetching={coverage.fetching}
            error={coverage.error}
            onRetry={coverage.retry}
          />
          {whatIf.panel && <section className="plan-whatif-section">{whatIf.panel}</section>}
          {/* Folded until asked for, so the map stays clear; its proposals stay drawn when folded again. */}
          <details className="plan-siting">
            <summary>{t.sitingOpen}</summary>
            <SitingPanel region={region} onLayers={setSitingLayers} lockedReason={maySite ? null : t.auth.planNotAllowed} />
          </details>
        </div>
      </main>
      <CreditsFooter />
    </div>
  );
}
