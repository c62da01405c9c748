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
import { formatChinaTime, formatClockDate, formatEventTime, formatInteger, formatPercent } from '../../format';
import type { LiveConnection } from '../../hooks/use-live-events';
import { useI18n } from '../../i18n';
import { SCENES, type Scene } from './screen-params';
import { SCREEN_TEXT } from './screen-text';
import type { ScreenData } from './use-screen-data';

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

function Stat({ label, value, unit, note, tone, testId }: { label: string; value: string; unit?: string; note?: ReactNode; tone?: 'good' | 'warn' | 'bad'; testId: string }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`} data-kpi={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        {value}
        {unit ? <small>{unit}</small> : null}
      </div>
      {note ? <div className="stat-note">{note}</div> : null}
    </div>
  );
}

/** A rate against a reference (baseline or target): a bar with a tick at the reference. */
function RateBar({ rate, reference, referenceLabel }: { rate: number | null; reference: number; referenceLabel: string }) {
  const width = rate === null ? 0 : Math.max(0, Math.min(1, rate)) * 100;
  return (
    <div className="rate-bar" aria-hidden="true">
      <span className={`rate-fill${rate !== null && rate < reference ? ' below' : ''}`} style={{ width: `${width}%` }} />
      <span className="rate-reference" style={{ left: `${reference * 100}%` }} title={referenceLabel} />
    </div>
  );
}

export function InfrastructurePanel({ data }: { data: ScreenData }) {
  const { lang } = useI18n();
  const text = SCREEN_TEXT[lang];
  const summary = data.summary.data;
  const workstation = summary?.workstationRate ?? null;
  const health = summary?.healthStandardisedRate ?? null;
  const baseline = summary?.workstationBaseline ?? 0.82;
  const target = summary?.healthStandardTarget ?? 0.9;
  const coverage = data.healthCoverage;
  return (
    <Panel title={text.infrastructure} className="panel-infrastructure">
      <div className="stat-row">
        <Stat testId="grids" label={text.grids} value={formatInteger(summary?.grids, lang)} unit={text.gridsUnit} />
        <Stat testId="gridWorkers" label={text.gridWorkers} value={formatInteger(summary?.gridWorkers, lang)} unit={text.gridWorkersUnit} />
      </div>
      <Stat
        testId="workstationRate"
        label={text.workstationCoverage}
        value={formatPercent(workstation)}
        tone={workstation === null ? undefined : workstation >= baseline ? 'good' : 'warn'}
        note={
          <>
            <RateBar rate={workstation} reference={baseline} referenceLabel={`${text.baseline} ${formatPercent(baseline, 0)}`} />
            <span>
              {text.baseline} {formatPercent(baseline, 0)} · {formatInteger(summary?.communitiesWithWorkstation, lang)}/{formatInteger(summary?.communities, lang)}
            </span>
          </>
        }
      />
      <Stat
        testId="healthCircle"
        label={text.healthCircle}
        value={data.coverage.error ? text.loadFailed : formatPercent(coverage)}
        note={<RateBar rate={coverage} reference={1} referenceLabel="100%" />}
      />
      <Stat
        testId="healthStandardised"
        label={text.healthStandardised}
        value={formatPercent(health)}
        tone={health === null ? undefined : health >= target ? 'good' : 'warn'}
        note={
          <>
            <RateBar rate={health} reference={target} referenceLabel={`${text.target} ${formatPercent(target, 0)}`} />
            <span>
              {text.target} {formatPercent(target, 0)}
            </span>
          </>
        }
      />
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
