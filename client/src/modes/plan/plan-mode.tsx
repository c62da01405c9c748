// /plan: the planner's workspace. One question per map (?q=): the coverage rate of the units (service areas
// outlined), the uncovered residents, the siting proposals, or life-circle completeness per community or
// grid; the others are left out or drawn as faint outlines. Beside the map: a search, the answer figures
// first, the controls, the what-if tools, siting, the table of units down to grids (row ↔ map highlight,
// CSV) and the charts; the map exports as a PNG with legend, scale bar, north arrow and credits.
// ?coverage=off shows the plain population map.

import { useCallback, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LayersList } from '@deck.gl/core';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { RegionMap, type UnitFillOverride } from '../../map/region-map';
import { levelOfCode } from '../../map/admin-style';
import { LABEL_LAYER } from '../../map/offline-style';
import { ModeHeader } from '../../components/mode-header';
import { CreditsFooter } from '../../components/credits-footer';
import { SitingPanel } from '../../components/siting-panel';
import { EChart } from '../../components/echart';
import { createCoverageGapLayer } from '../../layers/coverage-gap-layer';
import { createServiceAreaLayer } from '../../layers/coverage-service-area-layer';
import { rateColor } from '../../layers/coverage-colors';
import { completenessColor } from '../../layers/completeness-colors';
import { MUTED_FILL } from '../../layers/color-scales';
import { createUnitFillLayer, createUnitHighlightLayer, createUnitPickLayer } from '../../layers/unit-highlight-layer';
import { chartStyle } from '../../charts/chart-theme';
import { coverageUnitsChartOption } from '../../charts/coverage-units-chart';
import { coverageCurveChartOption } from '../../charts/coverage-curve-chart';
import { useCoverage } from '../../hooks/use-coverage';
import { useCoverageSettings } from '../../hooks/use-coverage-settings';
import { useCompleteness, useCoverageCurve, useCoverageTable } from '../../hooks/use-plan-tables';
import { usePlanState } from '../../hooks/use-plan-state';
import { usePlanUnits } from '../../hooks/use-plan-units';
import { useMe } from '../../hooks/use-me';
import { useRegion } from '../../hooks/use-region';
import type { MapUnitProperties } from '../../api-types';
import { useI18n } from '../../i18n';
import { trpc } from '../../trpc';
import { CoveragePanel } from './coverage-panel';
import { PlanAnswer } from './plan-answer';
import { PlanLegend } from './plan-legend-view';
import { cssColor, planLegendModel } from './plan-legend';
import { PlanSearch, type SearchEntry } from './plan-search';
import { PlanTableSection, type PlanTableRows } from './plan-table-section';
import { composeMapPicture, downloadBlob } from './plan-export';
import { PLAN_QUESTIONS, tableLevelsBelow, type TableLevel } from './plan-url';
import { usePlanWhatIf } from './whatif/plan-whatif';
import { COVERAGE_PLANNING_TARGET } from '../../../../server/domain/targets';
import './plan.css';

/** Units on the coverage-by-unit chart (the lowest rates). */
const CHART_UNITS = 20;
/** The focus fits beside the side column (26 rem + its 1 rem margin, plan.css) and below the breadcrumbs. */
const PLAN_FIT_PADDING = { top: 72, right: 27 * 16 + 24, bottom: 32, left: 32 };

type Highlight = { code: string; from: 'map' | 'table' } | null;

export default function PlanMode() {
  const { t, lang } = useI18n();
  const [region, setRegion] = useRegion();
  const me = useMe();
  const maySite = me.data?.capabilities.plan ?? false;
  const [settings, setSettings] = useCoverageSettings();
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const level = tree.data?.level ?? levelOfCode(region);
  const { question, setQuestion, tableLevel, setTableLevel, completenessOneLimit, setCompletenessOneLimit } = usePlanState(level);
  const enabled = settings.enabled;
  const coverage = useCoverage(region, level, settings, { serviceAreas: question !== 'completeness', gaps: question === 'gaps' });

  // Completeness per community, or per grid inside a community; not for a whole province.
  const completenessAvailable = level !== 'province';
  const completenessGroupBy = level === 'community' ? 'grid' : 'community';
  const showsCompleteness = enabled && question === 'completeness' && completenessAvailable;
  const completeness = useCompleteness(region, completenessGroupBy, settings, completenessOneLimit, showsCompleteness);
  const tableQuery = useCoverageTable(region, tableLevel, settings, enabled && question !== 'completeness');
  const curve = useCoverageCurve(region, settings, enabled && question !== 'completeness');
  const unitsLevel: TableLevel = question === 'completeness' ? completenessGroupBy : tableLevel;
  const units = usePlanUnits(region, level, unitsLevel, enabled);

  const { rateByCode, ratesVersion, serviceAreas, gaps } = coverage;
  const unitFill = useMemo((): UnitFillOverride | undefined => {
    if (!enabled) return undefined;
    // Only the coverage question colours the units; the other questions draw on a muted map.
    if (question !== 'coverage') return { fillOf: () => null, key: 'muted' };
    if (ratesVersion === 0) return undefined;
    return { fillOf: (code) => rateColor(rateByCode.get(code) ?? null, 'light'), key: `coverage-${ratesVersion}` };
  }, [enabled, question, rateByCode, ratesVersion]);

  const [highlight, setHighlight] = useState<Highlight>(null);
  const highlightRef = useRef(highlight);
  highlightRef.current = highlight;
  const onTableHighlight = useCallback((code: string | null) => {
    if (highlightRef.current?.code !== code || highlightRef.current.from !== 'table') setHighlight(code ? { code, from: 'table' } : null);
  }, []);
  const featureByCode = useMemo(() => new Map((units.features?.features ?? []).map((f) => [f.properties.code, f])), [units.features]);

  const [sitingLayers, setSitingLayers] = useState<LayersList>([]);
  // What-if edits and their delta draw above every question layer.
  const whatIf = usePlanWhatIf({ region, kind: settings.kind, maxMinutes: settings.maxMinutes, mayPlan: maySite });
  const toolActive = whatIf.interaction?.onClick !== undefined;
  const toolActiveRef = useRef(toolActive);
  toolActiveRef.current = toolActive;

  const openUnit = useCallback(
    (code: string) => {
      // A grid opens its community (the grid stays highlighted); other units become the focus.
      if (code.length > 12) {
        setRegion(code.slice(0, 12));
        setHighlight({ code, from: 'map' });
      } else if (code !== region) {
        setRegion(code);
        setHighlight(null);
      }
    },
    [region, setRegion],
  );
  const onPickHover = useCallback((unit: MapUnitProperties | null) => {
    // While a what-if tool has the pointer the map is left to it: no row highlight following the mouse.
    if (toolActiveRef.current) return;
    const current = highlightRef.current;
    if (unit) {
      if (current?.code !== unit.code) setHighlight({ code: unit.code, from: 'map' });
    } else if (current?.from === 'map') setHighlight(null);
  }, []);
  const onPickClick = useCallback(
    (unit: MapUnitProperties) => {
      // A what-if tool takes the map's clicks (the map hands them on when this layer does not).
      if (toolActiveRef.current) return false;
      // The focus's children drill down as on every map; finer units (grids of a street …) are highlighted.
      if (unit.level !== 'grid' && unit.parentCode === region) setRegion(unit.code);
      else setHighlight({ code: unit.code, from: 'map' });
      return true;
    },
    [region, setRegion],
  );

  const completenessRows = completeness.data;
  const completenessByCode = useMemo(() => new Map((completenessRows ?? []).map((row) => [row.code, row])), [completenessRows]);
  const completenessKey = `${completeness.dataUpdatedAt}`;

  const highlighted = highlight ? (featureByCode.get(highlight.code) ?? null) : null;
  const extraLayers = useMemo((): LayersList | undefined => {
    if (!enabled) return whatIf.layers.length > 0 ? whatIf.layers : undefined;
    const layers: LayersList = [];
    if (serviceAreas && question !== 'completeness') {
      layers.push(createServiceAreaLayer(serviceAreas, { id: 'coverage-service-areas', style: question === 'coverage' ? 'outline' : 'quiet', beforeId: LABEL_LAYER }));
    }
    if (question === 'gaps' && gaps) layers.push(createCoverageGapLayer(gaps, { id: 'coverage-gaps', beforeId: LABEL_LAYER }));
    if (question === 'completeness' && units.features && completenessRows) {
      layers.push(
        createUnitFillLayer(units.features, {
          id: 'completeness-units',
          fillOf: (code) => {
            const row = completenessByCode.get(code);
            return (row && completenessColor(row.kindsWithin, row.kindsTotal, row.population)) ?? MUTED_FILL.light;
          },
          colorKey: completenessKey,
          lineColor: [255, 255, 255, 200],
          beforeId: LABEL_LAYER,
        }),
      );
    }
    if (units.features) layers.push(createUnitPickLayer(units.features, { id: 'plan-unit-pick', onHover: onPickHover, onClick: onPickClick, beforeId: LABEL_LAYER }));
    layers.push(createUnitHighlightLayer(highlighted, { id: 'plan-unit-highlight', beforeId: LABEL_LAYER }));
    if (question === 'proposals') layers.push(...sitingLayers);
    layers.push(...whatIf.layers);
    return layers;
  }, [enabled, question, serviceAreas, gaps, units.features, completenessRows, completenessByCode, completenessKey, onPickHover, onPickClick, highlighted, sitingLayers, whatIf.layers]);

  const layersReady =
    coverage.ready && (!enabled || units.features !== undefined || units.error !== null) && (!showsCompleteness || completenessRows !== undefined || completeness.error !== null);

  const legendModel = useMemo(
    () =>
      planLegendModel(question, {
        t,
        lang,
        gapsAsPoints: level === 'city',
        showAreas: level !== 'province',
        completenessMinutes: completenessOneLimit ? settings.maxMinutes : null,
        kindsTotal: completenessRows?.[0]?.kindsTotal ?? 8,
      }),
    [question, t, lang, level, completenessOneLimit, settings.maxMinutes, completenessRows],
  );

  const table = useMemo((): PlanTableRows | undefined => {
    if (question === 'completeness') return completenessRows ? { kind: 'completeness', rows: completenessRows } : undefined;
    return tableQuery.data ? { kind: 'coverage', rows: tableQuery.data } : undefined;
  }, [question, completenessRows, tableQuery.data]);

  // Search over the units the page knows: the focus's path and children and the table's rows.
  const searchEntries = useMemo((): SearchEntry[] => {
    const entries: SearchEntry[] = [];
    const levelLabel = (unitLevel: string) => (unitLevel in t.planWs.levels ? t.planWs.levels[unitLevel as TableLevel] : '');
    for (const unit of [...(tree.data?.ancestors ?? []), ...(tree.data?.children ?? [])]) entries.push({ code: unit.code, name: unit.name, levelLabel: levelLabel(unit.level) });
    for (const row of table?.rows ?? []) entries.push({ code: row.code, name: row.name, levelLabel: levelLabel(row.level) });
    return entries;
  }, [tree.data, table, t]);

  const style = useMemo(() => chartStyle('light', 1920), []);
  const unitsChart = useMemo(
    () =>
      tableQuery.data
        ? coverageUnitsChartOption(tableQuery.data, style, {
            target: COVERAGE_PLANNING_TARGET,
            limit: CHART_UNITS,
            targetLabel: t.planWs.target,
            colorOf: (rate) => cssColor([...rateColor(rate, 'light')!.slice(0, 3), 255] as [number, number, number, number]),
          })
        : null,
    [tableQuery.data, style, t],
  );
  const curveChart = useMemo(
    () => (curve.data ? coverageCurveChartOption(curve.data, style, { selectedMinutes: settings.maxMinutes, minutesUnit: t.minutesUnit, target: COVERAGE_PLANNING_TARGET }) : null),
    [curve.data, style, settings.maxMinutes, t],
  );

  /** A parenthesis in the UI language's punctuation. */
  const aside = (text: string) => (lang === 'zh' ? `（${text}）` : ` (${text})`);
  const mainRef = useRef<HTMLElement>(null);
  const [exporting, setExporting] = useState(false);
  const exportPng = () => {
    const map = mainRef.current?.querySelector<HTMLDivElement & { maplibreMap?: MaplibreMap }>('.atlas-map')?.maplibreMap;
    if (!map) return;
    setExporting(true);
    // The pixels are read in a render event, while the drawing buffer still holds the frame.
    map.once('render', () => {
      const title = `${tree.data?.name ?? region} · ${t.planWs.question[question]}`;
      const canvas = composeMapPicture({
        map: map.getCanvas(),
        pixelRatio: map.getPixelRatio(),
        legend: legendModel,
        latitude: map.getCenter().lat,
        zoom: map.getZoom(),
        title,
        credits: `${t.planWs.demoNote} · ${t.credits}`,
        northLabel: t.planWs.northArrow,
        lang,
      });
      canvas.toBlob((blob) => {
        setExporting(false);
        if (blob) downloadBlob(blob, `plan-${region}-${question}.png`);
      }, 'image/png');
    });
    map.triggerRepaint();
  };

  const methodLabel = serviceAreas?.parameters.label[lang] ?? gaps?.parameters.label[lang];
  const fileName = `plan-${region}-${question === 'completeness' ? 'completeness' : `${settings.kind}-${settings.maxMinutes}min-${tableLevel}`}`;
  return (
    <div className="mode mode-plan theme-light">
      <ModeHeader title={t.modePlan} showNav />
      <main className="mode-main" ref={mainRef}>
        {whatIf.compareView ?? (
          <RegionMap
            theme="light"
            extraLayers={extraLayers}
            extraLayersReady={layersReady}
            unitFill={unitFill}
            interaction={whatIf.interaction}
            fitPadding={PLAN_FIT_PADDING}
            legend={enabled ? <PlanLegend model={legendModel} className="coverage-legend plan-legend" /> : undefined}
          />
        )}
        <p className="mode-note">{t.drillHint}</p>
        <div className="plan-side">
          <PlanSearch entries={searchEntries} onSelect={openUnit} />
          {enabled && (
            <div className="plan-questions" role="group" aria-label={t.planWs.questions}>
              {PLAN_QUESTIONS.map((q) => (
                <button key={q} type="button" data-question={q} aria-pressed={question === q} onClick={() => setQuestion(q)}>
                  {t.planWs.question[q]}
                </button>
              ))}
            </div>
          )}
          <CoveragePanel
            settings={settings}
            onChange={setSettings}
            totals={coverage.totals}
            methodLabel={methodLabel}
            fetching={coverage.fetching || completeness.isFetching}
            error={coverage.error ?? completeness.error}
            onRetry={() => {
              coverage.retry();
              void completeness.refetch();
            }}
            title={t.planWs.question[question]}
            answer={
              <PlanAnswer
                question={question}
                totals={coverage.totals}
                completeness={completenessRows}
                completenessUnit={t.planWs.levels[completenessGroupBy]}
                completenessAvailable={completenessAvailable}
              />
            }
          />
          {enabled && question === 'completeness' && (
            <label className="plan-one-limit">
              <input type="checkbox" checked={completenessOneLimit} onChange={(event) => setCompletenessOneLimit(event.target.checked)} />
              {t.planWs.useOneLimit}
              {aside(`${settings.maxMinutes} ${t.minutesUnit}`)}
            </label>
          )}
          {enabled && !whatIf.compareView && (
            <div className="plan-export">
              <button type="button" className="plan-export-png" onClick={exportPng} disabled={exporting || !layersReady}>
                {t.planWs.export} {t.planWs.exportPng}
              </button>
            </div>
          )}
          {whatIf.panel && <section className="plan-whatif-section">{whatIf.panel}</section>}
          {/* Folded until asked for; opening it asks the proposals question, which stays asked (with the
              proposals drawn) when it is folded again. */}
          <details
            className="plan-siting"
            open={question === 'proposals' ? true : undefined}
            onToggle={(event) => {
              if ((event.target as HTMLDetailsElement).open && question !== 'proposals') setQuestion('proposals');
            }}
          >
            <summary>{t.sitingOpen}</summary>
            <SitingPanel region={region} onLayers={setSitingLayers} lockedReason={maySite ? null : t.auth.planNotAllowed} />
          </details>
          {enabled && (question !== 'completeness' || completenessAvailable) && (
            <PlanTableSection
              table={table}
              levels={question === 'completeness' ? [completenessGroupBy] : tableLevelsBelow(level)}
              level={unitsLevel}
              onLevel={setTableLevel}
              highlight={highlight}
              onHighlight={onTableHighlight}
              onOpen={openUnit}
              fileName={fileName}
              fetching={question === 'completeness' ? completeness.isFetching : tableQuery.isFetching}
            />
          )}
          {enabled && question !== 'completeness' && (
            <section className="plan-charts" aria-label={t.planWs.chartUnits}>
              {unitsChart && (
                <figure>
                  <figcaption>
                    {t.planWs.chartUnits}
                    {aside(t.planWs.levels[tableLevel])}
                  </figcaption>
                  <EChart option={unitsChart} label={t.planWs.chartUnits} className="plan-chart" />
                </figure>
              )}
              {curveChart && (
                <figure>
                  <figcaption>{t.planWs.chartCurve}</figcaption>
                  <EChart option={curveChart} label={t.planWs.chartCurve} className="plan-chart plan-chart-curve" />
                </figure>
              )}
            </section>
          )}
        </div>
      </main>
      <CreditsFooter />
    </div>
  );
}
