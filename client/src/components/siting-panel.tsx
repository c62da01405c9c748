// The siting panel for /plan: choose a facility kind, walking minutes, objective and number of new
// sites (or a target coverage), run plan.optimize for the focused region, and read the answer —
// coverage before/after, each proposal's marginal gain, the bound and optimality gap — with exports.
// Self-contained: give it the region; it hands its map layers to `onLayers` when the host has a map.
// For a role that may not plan it shows the form locked, saying why. Below the answer: the marginal-gain
// curve (coverage after 1…N of the proposals against the target) and "accept into scenario", which hands
// all of them, or the first k, to the what-if edits as new facilities.

import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import type { LayersList } from '@deck.gl/core';
import { FACILITY_KINDS, FACILITY_KIND_LABELS, type FacilityKind } from '../../../server/domain/facility-kinds';
import {
  CANDIDATE_SOURCES,
  CANDIDATE_SOURCE_LABELS,
  SITING_OBJECTIVES,
  SITING_OBJECTIVE_LABELS,
  type CandidateSource,
  type SitingObjective,
} from '../../../server/domain/siting';
import type { SitingExportFormat, SitingRequest, SitingResult } from '../api-types';
import { formatPopulation } from '../format';
import { downloadSitingExport, useSitingOptimize } from '../hooks/use-siting';
import { useI18n, type Lang, type Messages } from '../i18n';
import { isOneOf } from '../is-one-of';
import { catchmentRadiusMeters, createSitingProposalLayers } from '../layers/siting-proposals-layer';
import { solverText } from './solver-text';
import { EChart } from './echart';
import { chartStyle } from '../charts/chart-theme';
import { coverageBySiteCount, marginalGainChartOption, sitesToReachTarget } from '../charts/marginal-gain-chart';
import { acceptProposals } from '../hooks/use-whatif-proposals';
import { SCENARIO_LIMITS } from '../../../server/domain/scenario';
import { COVERAGE_PLANNING_TARGET } from '../../../server/domain/targets';



const panelStyle: CSSProperties = {
  width: '28rem',
  maxWidth: '100%',
  maxHeight: '100%',
  overflow: 'auto',
  padding: '0.75rem 1rem',
  background: 'var(--panel)',
  border: '1px solid var(--panel-border)',
  borderRadius: 6,
  fontSize: '0.9rem',
  display: 'grid',
  gap: '0.6rem',
};
const rowStyle: CSSProperties = { display: 'grid', gridTemplateColumns: '8.5rem minmax(0, 1fr)', alignItems: 'center', gap: '0.5rem' };
const controlStyle: CSSProperties = { font: 'inherit', padding: '0.3rem 0.4rem', minHeight: 32, width: '100%', minWidth: 0 };
const buttonStyle: CSSProperties = { font: 'inherit', padding: '0.4rem 0.9rem', minHeight: 36, borderRadius: 4, border: '1px solid var(--accent)', cursor: 'pointer' };
const cellStyle: CSSProperties = { padding: '0.2rem 0.35rem', borderBottom: '1px solid var(--panel-border)', textAlign: 'right', whiteSpace: 'nowrap' };
const labelCellStyle: CSSProperties = { ...cellStyle, textAlign: 'left', whiteSpace: 'normal', overflowWrap: 'anywhere' };

export interface SitingPanelProps {
  /** Admin code of the focused region (the optimisation's `within`). */
  region: string;
  /** Receives the proposal layers whenever they change (for a host that owns the map). */
  onLayers?: (layers: LayersList) => void;
  /** Why the caller may not run an optimisation (their role cannot plan): shown, and the button disabled. */
  lockedReason?: string | null;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function SitingPanel({ region, onLayers, lockedReason = null }: SitingPanelProps) {
  const { lang, t: messages } = useI18n();
  const t = messages.siting;
  const [kind, setKind] = useState<FacilityKind>('health_station');
  const [maxMinutes, setMaxMinutes] = useState(15);
  const [objective, setObjective] = useState<SitingObjective>('mclp');
  const [newSites, setNewSites] = useState(5);
  const [targetPercent, setTargetPercent] = useState(90);
  const [source, setSource] = useState<CandidateSource>('grid-centroids');
  const [submitted, setSubmitted] = useState<SitingRequest | null>(null);
  const [hoveredRank, setHoveredRank] = useState<number | null>(null);
  const [exporting, setExporting] = useState<SitingExportFormat | null>(null);
  const { result, proposals, pending, error } = useSitingOptimize(submitted);

  // A new region invalidates the answer on screen.
  useEffect(() => {
    setSubmitted(null);
  }, [region]);

  const request = useMemo(
    (): SitingRequest => ({
      kind,
      maxMinutes,
      within: region,
      objective,
      candidates: source,
      ...(objective === 'lscp' ? { targetRate: targetPercent / 100 } : { newSites }),
    }),
    [kind, maxMinutes, region, objective, source, targetPercent, newSites],
  );

  const travel = result?.travel;
  const radius = travel && travel.method === 'straight-line' && result ? catchmentRadiusMeters(result.maxMinutes, travel.speedKmh, travel.detourFactor ?? 1) : null;
  const layers = useMemo(
    () => (proposals.length > 0 ? createSitingProposalLayers(proposals, { catchmentRadiusMeters: radius, highlightedRank: hoveredRank, onHover: (p) => setHoveredRank(p?.rank ?? null) }) : []),
    [proposals, radius, hoveredRank],
  );
  useEffect(() => {
    onLayers?.(layers);
  }, [layers, onLayers]);
  // Take the proposals off the host's map when the panel goes away.
  useEffect(() => () => onLayers?.([]), [onLayers]);

  const onExport = async (format: SitingExportFormat) => {
    if (!submitted) return;
    setExporting(format);
    try {
      await downloadSitingExport(submitted, format, lang);
    } finally {
      setExporting(null);
    }
  };

  return (
    <section className="siting-panel" style={panelStyle} aria-label={t.title}>
      <h2 style={{ margin: 0, fontSize: '1.05rem' }}>
        {t.title} <small style={{ color: '#f0a020', fontWeight: 600 }}>{t.demo}</small>
      </h2>
      <label style={rowStyle}>
        {t.kind}
        <select style={controlStyle} value={kind} onChange={(e) => isOneOf(FACILITY_KINDS, e.target.value) && setKind(e.target.value)}>
          {FACILITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {FACILITY_KIND_LABELS[k][lang]}
            </option>
          ))}
        </select>
      </label>
      <label style={rowStyle}>
        {t.minutes}
        <select style={controlStyle} value={maxMinutes} onChange={(e) => setMaxMinutes(Number(e.target.value))}>
          {[5, 10, 15, 20, 30].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label style={rowStyle}>
        {t.objective}
        <select style={controlStyle} value={objective} onChange={(e) => isOneOf(SITING_OBJECTIVES, e.target.value) && setObjective(e.target.value)}>
          {SITING_OBJECTIVES.map((o) => (
            <option key={o} value={o}>
              {SITING_OBJECTIVE_LABELS[o].description[lang]}
            </option>
          ))}
        </select>
      </label>
      {objective === 'lscp' ? (
        <label style={rowStyle}>
          {t.targetRate}
          <input style={controlStyle} type="number" min={1} max={100} value={targetPercent} onChange={(e) => setTargetPercent(Math.min(100, Math.max(1, Number(e.target.value) || 90)))} />
        </label>
      ) : (
        <label style={rowStyle}>
          {t.newSites}
          <input style={controlStyle} type="number" min={1} max={500} value={newSites} onChange={(e) => setNewSites(Math.min(500, Math.max(1, Math.round(Number(e.target.value)) || 1)))} />
        </label>
      )}
      <label style={rowStyle}>
        {t.candidates}
        <select style={controlStyle} value={source} onChange={(e) => isOneOf(CANDIDATE_SOURCES, e.target.value) && setSource(e.target.value)}>
          {CANDIDATE_SOURCES.map((s) => (
            <option key={s} value={s}>
              {CANDIDATE_SOURCE_LABELS[s][lang]}
            </option>
          ))}
        </select>
      </label>
      <div>
        <button type="button" style={{ ...buttonStyle, background: 'var(--accent)', color: '#fff' }} disabled={pending || lockedReason !== null} onClick={() => setSubmitted(request)}>
          {pending ? t.running : t.run}
        </button>
      </div>
      {lockedReason !== null && (
        <p className="siting-locked" role="note" style={{ margin: 0, color: 'var(--muted)' }}>
          {lockedReason}
        </p>
      )}
      {error ? (
        <p role="alert" style={{ margin: 0, color: '#b3261e' }}>
          {t.failed}
          {messages.colon}
          {error.message}
        </p>
      ) : null}
      {result && !pending ? <SitingAnswer result={result} lang={lang} t={t} hoveredRank={hoveredRank} onHoverRank={setHoveredRank} /> : null}
      {result && !pending && result.proposals.length > 0 ? (
        <MarginalGain result={result} targetRate={objective === 'lscp' ? targetPercent / 100 : COVERAGE_PLANNING_TARGET} lockedReason={lockedReason} />
      ) : null}
      {result && !pending ? (
        <div style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
          {t.export}
          {messages.colon}
          {(['xlsx', 'csv', 'geojson'] as const).map((format) => (
            <button key={format} type="button" style={buttonStyle} disabled={exporting !== null} onClick={() => void onExport(format)}>
              {format === 'xlsx' ? 'Excel' : format.toUpperCase()}
            </button>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function SitingAnswer({
  result,
  lang,
  t,
  hoveredRank,
  onHoverRank,
}: {
  result: SitingResult;
  lang: Lang;
  t: Messages['siting'];
  hoveredRank: number | null;
  onHoverRank: (rank: number | null) => void;
}) {
  const { optimality } = result;
  const showsMinutes = result.objective === 'pmedian' || result.objective === 'pcenter';
  return (
    <div style={{ display: 'grid', gap: '0.5rem' }}>
      {!result.feasible ? (
        <p role="alert" style={{ margin: 0, color: '#b3261e' }}>
          {t.infeasible}
        </p>
      ) : null}
      <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0.15rem 0.75rem' }}>
        <dt>{t.residents}</dt>
        <dd style={{ margin: 0 }}>
          {formatPopulation(result.population, lang)} · {t.existing} {result.existingCount}
        </dd>
        <dt>{t.before}</dt>
        <dd style={{ margin: 0 }}>
          {percent(result.before.coverageRate)} ({formatPopulation(result.before.coveredPopulation, lang)})
        </dd>
        <dt>{t.after}</dt>
        <dd style={{ margin: 0, fontWeight: 700 }}>
          {percent(result.after.coverageRate)} ({formatPopulation(result.after.coveredPopulation, lang)})
        </dd>
        {showsMinutes ? (
          <>
            <dt>{result.objective === 'pmedian' ? t.meanMinutes : t.worstMinutes}</dt>
            <dd style={{ margin: 0 }}>
              {result.objective === 'pmedian'
                ? `${result.before.meanMinutes.toFixed(1)} → ${result.after.meanMinutes.toFixed(1)}`
                : `${result.before.worstMinutes.toFixed(1)} → ${result.after.worstMinutes.toFixed(1)}`}{' '}
              {t.minutesUnit}
            </dd>
          </>
        ) : null}
        <dt>{t.gap}</dt>
        <dd style={{ margin: 0 }} title={`${t.bound}: ${optimality.bound.toFixed(2)} · ${solverText(optimality.boundSource, lang)}`}>
          {optimality.provedOptimal ? `0% (${t.optimal})` : `≤ ${(optimality.gap * 100).toFixed(2)}%`}
        </dd>
        <dt>{t.solver}</dt>
        <dd style={{ margin: 0, color: 'var(--muted)' }}>{solverText(optimality.solver, lang)}</dd>
        <dt>{t.travel}</dt>
        <dd style={{ margin: 0, color: 'var(--muted)' }}>{result.travel.label[lang]}</dd>
      </dl>
      {result.proposals.length === 0 ? (
        <p style={{ margin: 0 }}>{t.noProposals}</p>
      ) : (
        <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed' }}>
          <colgroup>
            <col style={{ width: '2.2rem' }} />
            <col />
            <col style={{ width: '5.5rem' }} />
            <col style={{ width: '5rem' }} />
          </colgroup>
          <thead>
            <tr>
              <th style={cellStyle}>{t.rank}</th>
              <th style={labelCellStyle}>{t.site}</th>
              <th style={cellStyle}>{t.marginal}</th>
              <th style={cellStyle}>{t.cumulative}</th>
            </tr>
          </thead>
          <tbody>
            {result.proposals.map((proposal) => (
              <tr
                key={proposal.rank}
                onMouseEnter={() => onHoverRank(proposal.rank)}
                onMouseLeave={() => onHoverRank(null)}
                style={proposal.rank === hoveredRank ? { background: 'rgba(214, 68, 40, 0.12)' } : undefined}
              >
                <td style={cellStyle}>{proposal.rank}</td>
                <td style={labelCellStyle}>{proposal.label}</td>
                <td style={cellStyle}>{formatPopulation(proposal.marginalPopulation, lang)}</td>
                <td style={cellStyle}>{percent(result.population > 0 ? proposal.cumulativeCoveredPopulation / result.population : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The marginal-gain curve of the answer's proposals and the buttons accepting them into the what-if edits. */
function MarginalGain({ result, targetRate, lockedReason }: { result: SitingResult; targetRate: number; lockedReason: string | null }) {
  const { lang, t: messages } = useI18n();
  const w = messages.whatif;
  const count = result.proposals.length;
  const [firstK, setFirstK] = useState(Math.min(5, count));
  const [accepted, setAccepted] = useState<number | null>(null);
  const target = percent(targetRate);
  const shares = useMemo(() => coverageBySiteCount(result.proposals, result.population, result.before.coveredPopulation), [result]);
  const reached = sitesToReachTarget(shares, targetRate);
  const option = useMemo(
    () =>
      marginalGainChartOption(result.proposals, chartStyle('light', 1920), {
        population: result.population,
        coveredBefore: result.before.coveredPopulation,
        targetRate,
        labels: { sites: w.marginalSites, coverage: w.marginalCoverage, target: w.marginalTarget.replace('{target}', target) },
      }),
    [result, targetRate, w, target],
  );
  const accept = (k: number) => {
    const sites = [...result.proposals]
      .sort((a, b) => a.rank - b.rank)
      .slice(0, k)
      .map((proposal) => ({ lngLat: proposal.lngLat, name: proposal.label.slice(0, SCENARIO_LIMITS.maxNameLength) }));
    if (acceptProposals(sites)) setAccepted(sites.length);
  };
  const k = Math.min(Math.max(1, firstK), count);
  return (
    <div className="siting-marginal" style={{ display: 'grid', gap: '0.4rem' }}>
      <h3 style={{ margin: 0, fontSize: '0.95rem' }}>{w.marginalTitle}</h3>
      <p className="siting-reach" style={{ margin: 0, fontWeight: 600 }} data-reach={reached ?? ''}>
        {reached === null
          ? w.reachNever.replace('{n}', String(count)).replace('{target}', target)
          : reached === 0
            ? w.reachAlready.replace('{target}', target)
            : w.reachTarget.replace('{n}', String(reached)).replace('{target}', target)}
      </p>
      <EChart option={option} label={`${w.marginalTitle}${messages.colon}${shares.map((share, n) => `${n} ${percent(share)}`).join(lang === 'zh' ? '，' : ', ')}`} className="siting-marginal-chart" />
      <div style={{ display: 'flex', gap: '0.4rem', alignItems: 'center', flexWrap: 'wrap' }}>
        <button type="button" style={buttonStyle} disabled={lockedReason !== null} onClick={() => accept(count)}>
          {w.acceptAll}
        </button>
        <input
          aria-label={w.acceptFirst.replace('{k}', 'k')}
          type="number"
          min={1}
          max={count}
          value={k}
          onChange={(e) => setFirstK(Math.round(Number(e.target.value)) || 1)}
          style={{ ...controlStyle, width: '4.5rem' }}
        />
        <button type="button" style={buttonStyle} disabled={lockedReason !== null} onClick={() => accept(k)}>
          {w.acceptFirst.replace('{k}', String(k))}
        </button>
      </div>
      {accepted !== null && (
        <p role="status" style={{ margin: 0, color: 'var(--muted)' }}>
          {w.accepted.replace('{n}', String(accepted))}
        </p>
      )}
    </div>
  );
}
