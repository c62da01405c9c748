// /brief: the leaders' tablet briefing for a place and a period, both in the URL
// (/brief?region=2101&period=this-month). The first view — place, period, KPI cards with inline
// sparklines and the narrative — needs no chart or map library; once it is complete the rest follows:
// the map (MapLibre + deck.gl) and the KPI's trend (ECharts) as lazy chunks, the children ranked on a
// KPI, hot spots and boundary lines. Touch first (targets ≥ 44 px, swipe between KPIs, nothing only on
// hover); prints as an A4 document (brief.css @media print).

import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { BriefKpiId } from '../../api-types';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { CreditsFooter } from '../../components/credits-footer';
import { ModeHeader } from '../../components/mode-header';
import { useBriefBoundaryLines, useBriefEmerging, useBriefHotspots, useBriefKpis, useBriefNarrative, useBriefRanking, type HotspotBaseline } from '../../hooks/use-brief';
import { useBriefPeriod } from '../../hooks/use-brief-period';
import { useRegion, useRegionScope } from '../../hooks/use-region';
import { useI18n } from '../../i18n';
import { childUnitLevelOf, levelOfCode } from '../../map/admin-style';
import { trpc } from '../../trpc';
import { BoundaryPanel } from './boundary-panel';
import { formatDayRange } from './brief-format';
import type { MapCapture } from './brief-map';
import { BriefPrint } from './brief-print';
import { BRIEF_TEXT } from './brief-text';
import { HotspotPanel } from './hotspot-panel';
import { KpiCards } from './kpi-cards';
import { Narrative } from './narrative';
import { PeriodPicker } from './period-picker';
import { kpiRanksChildren, stepKpi } from './brief-ranking';
import { RankingPanel } from './ranking-panel';
import { useSwipe } from './use-swipe';
import './brief.css';
import { LoadError } from '../../components/load-error';

const BriefMap = lazy(() => import('./brief-map'));
const KpiTrend = lazy(() => import('./kpi-trend'));

/** Cards drawn as placeholders before the first answer (the API's eight KPIs). */
const PLACEHOLDER_CARDS = 8;

/** The KPI the ranking, map and trend show (?kpi=, kept in the URL without adding history). */
function useSelectedKpi(ids: readonly BriefKpiId[] | undefined): [BriefKpiId | null, (id: BriefKpiId) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('kpi');
  const selected = ids ? (ids.find((id) => id === asked) ?? ids[0] ?? null) : null;
  const select = useCallback(
    (id: BriefKpiId) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.set('kpi', id);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [selected, select];
}

export default function BriefMode() {
  const { t, lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const [region, setRegion] = useRegion();
  const regionScope = useRegionScope();
  const period = useBriefPeriod();
  const scope = { within: region, from: period.range.from, to: period.range.to };
  const tree = useQuery(trpc.geo.adminTree.queryOptions({ code: region }));
  const level = tree.data?.level ?? levelOfCode(region);
  const childLevel = childUnitLevelOf(level);

  const kpis = useBriefKpis(scope);
  const narrative = useBriefNarrative(scope, lang);
  const cards = kpis.data;
  const [kpi, setKpi] = useSelectedKpi(cards?.map((card) => card.id));
  const card = cards?.find((candidate) => candidate.id === kpi) ?? null;

  // Everything else waits for the first view (place, cards, narrative, or their errors), then stays on.
  const firstView = Boolean((tree.data || tree.error) && (cards || kpis.error) && (narrative.data || narrative.error));
  const [more, setMore] = useState(false);
  useEffect(() => {
    if (firstView) setMore(true);
  }, [firstView]);

  // Inside a community the facility KPIs (counted per community) rank no grids: not asked for.
  const rankable = card !== null && kpiRanksChildren(card.id, childLevel);
  const ranking = useBriefRanking(scope, more && rankable ? kpi : null);
  const rows = rankable ? ranking.data?.rows : [];
  const swipeTrend = useSwipe((delta) => {
    const next = cards && card ? stepKpi(cards.map((option) => option.id), card.id, delta) : null;
    if (next) setKpi(next);
  });
  const [baseline, setBaseline] = useState<HotspotBaseline>('residents');
  const hotspots = useBriefHotspots(scope, level, baseline, more);
  const emerging = useBriefEmerging(scope, level, baseline, more);
  const lines = useBriefBoundaryLines(scope, level, more);

  // Print: a picture of the map is taken first (a WebGL canvas does not print), kept for this view only.
  const captureRef = useRef<MapCapture | null>(null);
  const pictureRef = useRef<HTMLImageElement>(null);
  const viewKey = `${region}|${period.range.from}|${period.range.to}|${kpi ?? ''}|${lang}`;
  const [picture, setPicture] = useState<{ key: string; src: string } | null>(null);
  const mapPicture = picture?.key === viewKey ? picture.src : null;
  const [preparing, setPreparing] = useState(false);
  const printBriefing = async (): Promise<void> => {
    setPreparing(true);
    try {
      const src = (await captureRef.current?.()) ?? null;
      flushSync(() => setPicture(src ? { key: viewKey, src } : null));
      await pictureRef.current?.decode().catch(() => undefined);
      window.print();
    } finally {
      setPreparing(false);
    }
  };

  const place = tree.data?.name ?? '';
  const placePath = tree.data ? [...tree.data.ancestors.map((unit) => unit.name), tree.data.name].join(' · ') : '';
  const periodName = period.spec.kind === 'preset' ? text.periods[period.spec.preset] : text.periods.custom;
  const rangeText = formatDayRange(period.range, lang);

  // The document's title names the briefing (a saved PDF takes it as its file name).
  useEffect(() => {
    if (!place) return;
    const previous = document.title;
    document.title = `${place} · ${t.modeBrief} · ${rangeText}`;
    return () => {
      document.title = previous;
    };
  }, [place, rangeText, t.modeBrief]);

  return (
    <div
      className="mode-brief theme-light"
      data-region={region}
      data-from={period.range.from}
      data-to={period.range.to}
      data-brief-ready={firstView ? '' : undefined}
    >
      <ModeHeader title={t.modeBrief} showNav />
      <main className="brief-main">
        <BriefPrint placePath={placePath} place={place} periodName={periodName} range={period.range} today={period.today} cards={cards} />
        <div className="brief-toolbar">
          <Breadcrumbs
            current={tree.data ? { code: tree.data.code, name: tree.data.name } : null}
            ancestors={tree.data?.ancestors ?? []}
            scope={regionScope}
            onSelect={setRegion}
            interactive
          />
          <PeriodPicker spec={period.spec} from={period.range.from} to={period.range.to} today={period.today} onChange={period.setPeriod} />
          <button type="button" className="print-button" aria-busy={preparing} disabled={preparing} onClick={() => void printBriefing()}>
            {preparing ? text.printPreparing : text.print}
          </button>
        </div>
        {period.invalid && (
          <p className="brief-notice" role="status">
            {text.periodInvalid}
          </p>
        )}
        <h2 className="brief-title">
          <span className="brief-place">{place || '\u00a0'}</span>
          <span className="brief-period">
            {periodName} · {rangeText}
          </span>
        </h2>
        {kpis.error ? (
          <LoadError what={t.loadFailed} error={kpis.error} onRetry={() => void kpis.refetch()} />
        ) : (
          <KpiCards cards={cards} selected={kpi} onSelect={setKpi} pending={PLACEHOLDER_CARDS} />
        )}
        <Narrative data={narrative.data} error={narrative.error} onRetry={() => void narrative.refetch()} />

        {more && cards && card && (
          <div className="brief-explore">
            <section className="brief-panel brief-map-panel" aria-label={text.map}>
              <Suspense fallback={<div className="map-placeholder">{t.loading}</div>}>
                <BriefMap level={level} card={card} rows={rows} fillReady={Boolean(rows || ranking.error)} captureRef={captureRef} />
              </Suspense>
              <p className="panel-note map-hint">{text.mapHint}</p>
              {mapPicture && <img ref={pictureRef} className="map-picture" src={mapPicture} alt={`${text.map} · ${place} · ${card.label[lang]}`} />}
            </section>
            <RankingPanel
              cards={cards}
              kpi={card.id}
              onKpi={setKpi}
              childLevel={childLevel}
              rows={rows}
              error={ranking.error}
              onRetry={() => void ranking.refetch()}
              onOpen={childLevel === 'grid' ? undefined : setRegion}
            />
            <section className="brief-panel brief-trend-panel" aria-label={card.label[lang]} {...swipeTrend}>
              {card.series.length > 0 ? (
                <Suspense fallback={<div className="chart-placeholder">{t.loading}</div>}>
                  <KpiTrend card={card} />
                </Suspense>
              ) : (
                <>
                  <h2 className="brief-trend-title">{card.label[lang]}</h2>
                  <p className="empty">{text.noTrend}</p>
                </>
              )}
              <p className="kpi-definition">
                {text.definition}
                {t.colon}
                {card.definition[lang]}
              </p>
            </section>
          </div>
        )}
        {more && (
          <div className="brief-columns">
            <HotspotPanel baseline={baseline} onBaseline={setBaseline} hotspots={hotspots} emerging={emerging} units={tree.data?.children ?? []} />
            <BoundaryPanel rows={lines.rows} window={lines.window} error={lines.error} onRetry={lines.refetch} />
          </div>
        )}
      </main>
      <CreditsFooter />
    </div>
  );
}
