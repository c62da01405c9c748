// The what-if panel: the editing tools (a toolbar of toggle buttons, locked with the reason for roles
// that cannot plan), undo, redo and clear, the delta of the edits (residents newly covered and newly
// uncovered, the rate before → after), the list of edits, and the scenarios.

import type { Dispatch } from 'react';
import type { FacilityKind } from '../../../../../server/domain/facility-kinds';
import { formatInteger } from '../../../format';
import type { WhatIfEvaluation } from '../../../hooks/use-whatif';
import type { ScenarioDetail } from '../../../hooks/use-scenarios';
import { WHATIF_COLORS } from '../../../layers/whatif-edits-layer';
import { useI18n } from '../../../i18n';
import { editCount, isEmptyEdits, linkLengthMeters, type WhatIfAction, type WhatIfHistory } from './whatif-edits';
import { formatLengthMeters, formatPointChange, formatRateChange, formatSignedInteger } from './whatif-format';
import { WhatIfScenarios } from './whatif-scenarios';
import './whatif.css';

export const WHATIF_TOOLS = ['none', 'add', 'move', 'close', 'link', 'cut'] as const;
export type WhatIfTool = (typeof WHATIF_TOOLS)[number];

export interface WhatIfPanelProps {
  mayPlan: boolean;
  region: string;
  kind: FacilityKind;
  maxMinutes: number;
  tool: WhatIfTool;
  onTool: (tool: WhatIfTool) => void;
  history: WhatIfHistory;
  dispatch: Dispatch<WhatIfAction>;
  evaluation: { result: WhatIfEvaluation | undefined; pending: boolean; error: { message: string } | null };
  /** A hint for the step in progress (second click of a link …), else the tool's own. */
  hint: string | null;
  facilityNames: ReadonlyMap<number, string>;
  /** False while the tool's data (facilities to close, roads to cut) is still loading. */
  toolReady: boolean;
  /** False for anonymous callers: scenarios are kept with the accounts. */
  scenariosEnabled: boolean;
  scenarioId: number | null;
  scenario: ScenarioDetail | null;
  scenarioError: { message: string } | null;
  onOpenScenario: (id: number | null) => void;
  onCompare: (pair: [number | 'base', number | 'base'] | null) => void;
}

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function WhatIfPanel(props: WhatIfPanelProps) {
  const { t, lang } = useI18n();
  const w = t.whatif;
  const { mayPlan, tool, history, dispatch, evaluation } = props;
  const edits = history.present;
  const toolLabel: Record<WhatIfTool, string> = { none: w.toolNone, add: w.toolAdd, move: w.toolMove, close: w.toolClose, link: w.toolLink, cut: w.toolCut };
  const toolHint: Record<WhatIfTool, string> = { none: w.hintNone, add: w.hintAdd, move: w.hintMove, close: w.hintClose, link: w.hintLink, cut: w.hintCut };
  const result = evaluation.result;
  const builtLinks = result?.addedLinks;

  return (
    <section className="whatif-panel" aria-label={w.title} data-tool={tool} data-tool-ready={props.toolReady}>
      <h2>{w.title}</h2>
      {!mayPlan && (
        <p className="whatif-locked" role="note">
          {w.locked}
        </p>
      )}
      <div className="whatif-tools" role="toolbar" aria-label={w.toolsLabel}>
        {WHATIF_TOOLS.map((name) => (
          <button
            key={name}
            type="button"
            data-tool={name}
            aria-pressed={tool === name}
            disabled={!mayPlan}
            title={mayPlan ? toolHint[name] : w.locked}
            onClick={() => props.onTool(name)}
          >
            {toolLabel[name]}
          </button>
        ))}
      </div>
      {mayPlan && (
        <p className="whatif-hint" aria-live="polite">
          {props.hint ?? toolHint[tool]}
        </p>
      )}
      <div className="whatif-history">
        <button type="button" disabled={!mayPlan || history.past.length === 0} onClick={() => dispatch({ type: 'undo' })} aria-keyshortcuts="Control+Z">
          {w.undo}
        </button>
        <button type="button" disabled={!mayPlan || history.future.length === 0} onClick={() => dispatch({ type: 'redo' })} aria-keyshortcuts="Control+Y">
          {w.redo}
        </button>
        <button type="button" disabled={!mayPlan || isEmptyEdits(edits)} onClick={() => dispatch({ type: 'clear' })}>
          {w.clear}
        </button>
        <span className="whatif-count">
          {w.edits} {editCount(edits)}
        </span>
      </div>

      {mayPlan && !isEmptyEdits(edits) && (
        <div className="whatif-delta" aria-busy={evaluation.pending} data-state={evaluation.pending ? 'pending' : result ? 'ready' : 'empty'}>
          {evaluation.error ? (
            <p role="alert" className="whatif-error">
              {w.evaluateFailed}
              {t.colon}
              {evaluation.error.message}
            </p>
          ) : result ? (
            <dl>
              <dt>{w.newlyCovered}</dt>
              <dd data-value="newly-covered" style={{ color: rgb(WHATIF_COLORS.gained) }}>
                {formatSignedInteger(result.newlyCovered, lang)}
              </dd>
              <dt>{w.newlyUncovered}</dt>
              <dd data-value="newly-uncovered" style={{ color: '#b35900' }}>
                {formatSignedInteger(-result.newlyUncovered, lang)}
              </dd>
              <dt>{w.netChange}</dt>
              <dd data-value="net">{formatSignedInteger(result.delta.coveredPopulation, lang)}</dd>
              <dt>{w.rate}</dt>
              <dd data-value="rate">
                {formatRateChange(result.before.coverageRate, result.after.coverageRate)} ({formatPointChange(result.delta.coverageRate, lang)})
              </dd>
            </dl>
          ) : (
            <p>{w.evaluating}</p>
          )}
          {result && result.changedGrids.length > 0 && (
            <p className="whatif-legend">
              <span className="whatif-swatch" style={{ background: rgb(WHATIF_COLORS.gained) }} /> {w.gainedGrids}{' '}
              <span className="whatif-swatch" style={{ background: rgb(WHATIF_COLORS.lost) }} /> {w.lostGrids}
            </p>
          )}
          {evaluation.pending && result && <p className="whatif-pending">{w.evaluating}</p>}
        </div>
      )}

      {mayPlan && !isEmptyEdits(edits) && (
        <details className="whatif-edits">
          <summary>
            {w.edits} ({editCount(edits)})
          </summary>
          <ul>
            {edits.addFacilities.map((site, index) => (
              <li key={`a${index}`} data-edit="add">
                ● {site.name ?? w.siteName.replace('{n}', String(index + 1))}{' '}
                <button type="button" onClick={() => dispatch({ type: 'removeSite', index })}>
                  {w.remove}
                </button>
              </li>
            ))}
            {edits.removeFacilities.map((id) => (
              <li key={`c${id}`} data-edit="close">
                ✕ {props.facilityNames.get(id) ?? `#${id}`}{' '}
                <button type="button" onClick={() => dispatch({ type: 'reopenFacility', id })}>
                  {w.reopen}
                </button>
              </li>
            ))}
            {edits.addLinks.map((link, index) => (
              <li key={`l${index}`} data-edit="link">
                ┅ {w.linkLength} {formatLengthMeters(builtLinks?.[index]?.lengthMeters ?? linkLengthMeters(link), lang)}{' '}
                <button type="button" onClick={() => dispatch({ type: 'removeLink', index })}>
                  {w.remove}
                </button>
              </li>
            ))}
            {edits.removeLinks.map((id) => (
              <li key={`x${id}`} data-edit="cut">
                ✕ {w.cuts} #{id}{' '}
                <button type="button" onClick={() => dispatch({ type: 'toggleCut', edgeId: id })}>
                  {w.reopen}
                </button>
              </li>
            ))}
          </ul>
          {result && (
            <p className="whatif-muted">
              {t.population}
              {t.colon}
              {formatInteger(result.population, lang)}
            </p>
          )}
        </details>
      )}

      {mayPlan && !props.scenariosEnabled && <p className="whatif-muted whatif-scenarios-login">{w.scenariosLogin}</p>}
      {mayPlan && props.scenariosEnabled && (
        <WhatIfScenarios
          region={props.region}
          kind={props.kind}
          maxMinutes={props.maxMinutes}
          edits={edits}
          scenarioId={props.scenarioId}
          scenario={props.scenario}
          scenarioError={props.scenarioError}
          onOpen={props.onOpenScenario}
          onCompare={props.onCompare}
        />
      )}
    </section>
  );
}
