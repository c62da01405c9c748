// The wall's panels: header with clock and data freshness, governance figures, dispute KPIs, charts
// and the rolling list of the latest cases. Sizes are in em of the wall's root font, which scales with
// the viewport (see screen.css), so 1920 × 1080 and 3840 × 2160 show the same layout.

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { EChart } from '../../components/echart';
import { chartStyle } from '../../charts/chart-theme';
import { funnelChartOption } from '../../charts/funnel-chart';
import { rankingChartOption } from '../../charts/ranking-chart';
import { trendChartOption } from '../../charts/trend-chart';
import { typeChartOption } from '../../charts/type-chart';
import { DISPUTE_TYPES, categoryLabel } from '../../../../server/domain/dispute-categories';
import { DISPUTE_STATUS_LABELS, type DisputeSeverity } from '../../../../server/domain/dispute-workflow';
import { KPI_DEFINITIONS, kpiStatus, type KpiId, type KpiStatus } from '../../../../server/domain/kpis';
import type { Lang } from '../../../../server/domain/labels';
import { formatChinaTime, formatClockDate, formatEventTime, formatInteger, formatPercent, formatPopulation } from '../../format';
import type { LiveConnection } from '../../hooks/use-live-events';
import { useI18n } from '../../i18n';
import { SCENES, type Scene } from './screen-params';
import { SCREEN_TEXT } from './screen-text';
import type { CircleFigure, ScreenData } from './use-screen-data';

/** The current second, for the header clock. */
function useSecondClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export interface ScreenHeaderProps {
  regionName: string | null;
  scene: Scene;
  tourSince: number;
  tourSeconds: number;
  connection: LiveConnection;
  lastDataAt: number | null;
  demo: boolean;
  demoTitle: string;
}

export function ScreenHeader(props: ScreenHeaderProps) {
  const { t, lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const now = useSecondClock();
  const freshness =
    props.connection === 'live'
      ? `${text.live} · ${text.dataAsOf} ${formatChinaTime(props.lastDataAt ?? now)}`
      : props.connection === 'connecting'
        ? text.connecting
        : `${text.reconnecting} · ${text.dataAsOf} ${props.lastDataAt ? formatChinaTime(props.lastDataAt) : '—'}`;
  return (
    <header className="screen-header">
      <div className="screen-title">
        <h1>{props.regionName ? (lang === 'en' ? `${props.regionName} · ${t.appTitle}` : `${props.regionName}${t.appTitle}`) : t.appTitle}</h1>
        {props.demo && (
          <span className="demo-badge" title={props.demoTitle} role="note" aria-label={props.demoTitle}>
            {t.demoData}
          </span>
        )}
      </div>
      <ol className="scene-steps" aria-label="scenes">
        {SCENES.map((scene) => (
          <li key={scene} className={scene === props.scene ? 'active' : undefined} aria-current={scene === props.scene ? 'step' : undefined}>
            {text.scenes[scene]}
            {scene === props.scene && props.tourSeconds > 0 && (
              <span className="scene-progress" style={{ animationDuration: `${props.tourSeconds}s` }} key={props.tourSince} />
            )}
          </li>
        ))}
      </ol>
      <div className="screen-clock">
        <time dateTime={new Date(now).toISOString()}>
          <span className="clock-date">{formatClockDate(now, lang)}</span>
          <span className="clock-time">{formatChinaTime(now)}</span>
        </time>
        <span className={`freshness freshness-${props.connection}`} role="status" data-connection={props.connection}>
          {freshness}
        </span>
      </div>
    </header>
  );
}

function Panel({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={`screen-panel ${className ?? ''}`} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Stat({
  label,
  value,
  unit,
  note,
  tone,
  status,
  title,
  inline = false,
  testId,
}: {
  label: string;
  value: string;
  unit?: string;
  note?: ReactNode;
  tone?: 'good' | 'warn' | 'bad';
  status?: KpiStatus | null;
  /** What the figure counts (its definition). */
  title?: string;
  /** The note beside the value rather than below it. */
  inline?: boolean;
  testId: string;
}) {
  return (
    <div className={`stat${inline ? ' stat-inline' : ''}${tone ? ` stat-${tone}` : ''}`} data-kpi={testId} data-status={status ?? undefined} title={title}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        {value}
        {unit ? <small>{unit}</small> : null}
      </div>
      {note ? <div className="stat-note">{note}</div> : null}
    </div>
  );
}

const TONE_OF_STATUS: Record<KpiStatus, 'good' | 'warn' | 'bad'> = { green: 'good', amber: 'warn', red: 'bad' };

/** A share against its target (when it has one): a bar, with a tick at the target, in the status's colour. */
function RateBar({ rate, reference, status, referenceLabel }: { rate: number | null; reference: number | null; status: KpiStatus | null; referenceLabel?: string }) {
  const width = rate === null ? 0 : Math.max(0, Math.min(1, rate)) * 100;
  return (
    <div className="rate-bar" aria-hidden="true">
      <span className={`rate-fill${status ? ` rate-${status}` : ''}`} style={{ width: `${width}%` }} />
      {reference !== null && <span className="rate-reference" style={{ left: `${reference * 100}%` }} title={referenceLabel} />}
    </div>
  );
}

/**
 * A share KPI as the shared definitions state it: its label, value, target and red/amber/green status
 * (so the wall and the briefing agree), with a line of context after the target.
 */
function ShareKpi({ id, testId, value, failed = false, context }: { id: KpiId; testId: string; value: number | null; failed?: boolean; context?: ReactNode }) {
  const { lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const definition = KPI_DEFINITIONS[id];
  const status = failed ? null : kpiStatus(definition, value);
  // The workstation figure is measured against a baseline (DESIGN.md's 82 %), the others against targets.
  const referenceWord = id === 'workstationCoverage' ? text.baseline : text.target;
  const target = definition.target;
  const targetText = target === null ? null : `${referenceWord} ${formatPercent(target, 0)}`;
  const line = [targetText, status ? text.status[status] : null].filter((part) => part !== null).join(' · ');
  return (
    <Stat
      testId={testId}
      label={definition.label[lang]}
      title={definition.definition[lang]}
      value={failed ? text.loadFailed : formatPercent(value)}
      tone={status ? TONE_OF_STATUS[status] : undefined}
      status={status}
      inline
      note={
        <>
          <RateBar rate={failed ? null : value} reference={target} status={status} referenceLabel={targetText ?? undefined} />
          {line || context ? (
            <span>
              {line}
              {line && context ? ' · ' : null}
              {context}
            </span>
          ) : null}
        </>
      }
    />
  );
}

/** The residents a health-circle figure counts, or that there are none here. */
function circleContext(figure: CircleFigure, lang: Lang): string | null {
  const text = SCREEN_TEXT[lang];
  if (figure.population === undefined) return null;
  return figure.population > 0 ? text.circleResidents.replace('{residents}', formatPopulation(figure.population, lang)) : text.noResidents;
}

export function InfrastructurePanel({ data }: { data: ScreenData }) {
  const { lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const summary = data.summary.data;
  const { urban, rural } = data.healthCircle;
  return (
    <Panel title={text.infrastructure} className="panel-infrastructure">
      <div className="stat-row">
        <Stat testId="grids" label={text.grids} value={formatInteger(summary?.grids, lang)} unit={text.gridsUnit} />
        <Stat testId="gridWorkers" label={text.gridWorkers} value={formatInteger(summary?.gridWorkers, lang)} unit={text.gridWorkersUnit} />
      </div>
      <ShareKpi
        id="workstationCoverage"
        testId="workstationRate"
        value={summary?.workstationRate ?? null}
        context={summary ? `${formatInteger(summary.communitiesWithWorkstation, lang)}/${formatInteger(summary.communities, lang)}` : null}
      />
      {/* The 15-minute health circle: urban and rural residents apart (the pair answers to "healthCircle"). */}
      <div className="stat-pair" data-kpi="healthCircle">
        <ShareKpi id="healthCircleUrban" testId="healthCircleUrban" value={urban.rate} failed={urban.failed} context={circleContext(urban, lang)} />
        <ShareKpi id="healthCircleRural" testId="healthCircleRural" value={rural.rate} failed={rural.failed} context={circleContext(rural, lang)} />
      </div>
      <ShareKpi id="healthStandardised" testId="healthStandardised" value={summary?.healthStandardisedRate ?? null} />
    </Panel>
  );
}

/** "▲ 12.3%" / "▼ 4.0%" against the previous period. */
function Change({ current, previous, higherIsBetter }: { current: number | null | undefined; previous: number | null | undefined; higherIsBetter: boolean }) {
  const { lang } = useI18n();
  if (current === null || current === undefined || !previous) return null;
  const change = (current - previous) / previous;
  const better = higherIsBetter ? change >= 0 : change <= 0;
  return (
    <span className={`change ${better ? 'change-better' : 'change-worse'}`}>
      {SCREEN_TEXT[lang].vsPrevious} {change >= 0 ? '▲' : '▼'} {Math.abs(change * 100).toFixed(1)}%
    </span>
  );
}

export function DisputeKpiPanel({ data }: { data: ScreenData }) {
  const { lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const current = data.kpis.data?.current;
  const previous = data.kpis.data?.previous;
  return (
    <Panel title={`${text.disputes} · ${data.rolling ? text.last30Days : text.thisMonth}`} className="panel-disputes">
      <div className="stat-grid">
        <Stat testId="reported" label={text.reported} value={formatInteger(current?.reported, lang)} unit={text.cases} note={<Change current={current?.reported} previous={previous?.reported} higherIsBetter={false} />} />
        <Stat
          testId="resolved"
          label={text.resolved}
          value={formatInteger(current?.closed, lang)}
          unit={text.cases}
          note={<span>{formatPercent(current?.resolutionRate)}</span>}
        />
        <Stat
          testId="inGridRate"
          label={text.inGridRate}
          value={formatPercent(current?.inGridRate)}
          note={<Change current={current?.inGridRate} previous={previous?.inGridRate} higherIsBetter />}
        />
        <Stat
          testId="overdue"
          label={text.overdue}
          value={formatInteger(current?.overdue, lang)}
          unit={text.cases}
          tone={current && current.overdue > 0 ? 'bad' : 'good'}
          note={<Change current={current?.overdue} previous={previous?.overdue} higherIsBetter={false} />}
        />
      </div>
    </Panel>
  );
}

function useDisplayWidth(): number {
  const [width, setWidth] = useState(() => Math.min(window.innerWidth, (window.innerHeight * 16) / 9));
  useEffect(() => {
    const update = (): void => setWidth(Math.min(window.innerWidth, (window.innerHeight * 16) / 9));
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return width;
}

export function ChartPanel({ kind, data, theme }: { kind: 'trend' | 'types' | 'funnel' | 'ranking'; data: ScreenData; theme: 'dark' | 'light' }) {
  const { lang, t } = useI18n();
  const text = SCREEN_TEXT[lang];
  const width = useDisplayWidth();
  const style = useMemo(() => chartStyle(theme, width), [theme, width]);
  const trendRows = data.trend.data?.rows;
  const partialDay = useMemo(
    () => (data.trendPartialDayKey ? { key: data.trendPartialDayKey, label: text.partialDay.replace('{time}', formatChinaTime(data.now).slice(0, 5)) } : null),
    [data.trendPartialDayKey, data.now, text.partialDay],
  );
  const typeRows = data.types.data?.rows;
  const statusRows = data.statuses.data?.rows;
  const ranked = data.rankedUnits;
  const option = useMemo(() => {
    switch (kind) {
      case 'trend':
        return trendRows ? trendChartOption(trendRows, style, lang, partialDay) : null;
      case 'types':
        return typeRows ? typeChartOption(typeRows, style, lang) : null;
      case 'funnel':
        return statusRows ? funnelChartOption(statusRows, style, lang) : null;
      case 'ranking':
        return ranked ? rankingChartOption(ranked, style, { limit: 8, rateUnit: text.rankingUnit, colon: t.colon }) : null;
    }
  }, [kind, trendRows, partialDay, typeRows, statusRows, ranked, style, lang, text.rankingUnit, t.colon]);
  const loaded = { trend: trendRows, types: typeRows, funnel: statusRows, ranking: ranked }[kind] !== undefined;
  const title = { trend: text.trend, types: text.types, funnel: text.funnel, ranking: text.ranking }[kind];
  return (
    <Panel title={title} className={`panel-chart panel-${kind}`}>
      {option ? (
        <EChart option={option} label={kind === 'trend' && partialDay ? `${title} · ${partialDay.label}` : title} className="echart" />
      ) : (
        // Blank while loading; says so when the period has nothing to chart.
        <div className="echart echart-empty" data-loaded={loaded || undefined}>
          {loaded && <p>{text.noChartData}</p>}
        </div>
      )}
    </Panel>
  );
}

const SEVERITY_CLASS: Record<DisputeSeverity, string> = { general: 'sev-general', major: 'sev-major', critical: 'sev-critical' };

export function LatestEventsPanel({ data }: { data: ScreenData }) {
  const { lang, t } = useI18n();
  const text = SCREEN_TEXT[lang];
  const items = data.latest.data ?? [];
  return (
    <Panel title={text.latest} className="panel-latest">
      <p className="panel-note">{text.masked}</p>
      {items.length === 0 ? (
        <p className="empty">{text.noEvents}</p>
      ) : (
        <ul className="event-list">
          {items.map((item) => (
            <li key={item.id} className={SEVERITY_CLASS[item.severity]} data-dispute={item.id}>
              <span className="event-time">{formatEventTime(item.reportedAt, data.now, lang)}</span>
              <span className="event-type">{categoryLabel(DISPUTE_TYPES, item.type, lang)}</span>
              <span className="event-place">{item.placeName}</span>
              {/* Masked names (a surname and **): proper names, written as they are in every language. */}
              <span className="event-parties">{item.parties.map((party) => party.name).join(t.listSeparator)}</span>
              <span className={`event-status${item.overdue ? ' overdue' : ''}`}>{DISPUTE_STATUS_LABELS[item.status][lang]}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
