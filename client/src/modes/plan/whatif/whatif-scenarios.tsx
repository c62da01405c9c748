// Scenarios of the focus: save the current edits under a name (scenario.save: the open one rewritten,
// or a new one), list them (scenario.list), open one (?scenario=<id>), rename, delete after a
// confirmation, and pick two (or the current state) to compare.

import { useEffect, useState } from 'react';
import type { FacilityKind } from '../../../../../server/domain/facility-kinds';
import type { ScenarioEdits } from '../../../../../server/domain/scenario';
import { SCENARIO_LABELS, SCENARIO_LIMITS } from '../../../../../server/domain/scenario';
import { trpcClient } from '../../../trpc';
import { useScenarioList, useScenarioMutations, type ScenarioDetail } from '../../../hooks/use-scenarios';
import { useI18n } from '../../../i18n';

export interface WhatIfScenariosProps {
  region: string;
  kind: FacilityKind;
  maxMinutes: number;
  edits: ScenarioEdits;
  scenarioId: number | null;
  scenario: ScenarioDetail | null;
  scenarioError: { message: string } | null;
  /** Opens a scenario (null: none); keepEdits when the edits on screen are already the scenario's. */
  onOpen: (id: number | null, keepEdits?: boolean) => void;
  onCompare: (pair: [number | 'base', number | 'base']) => void;
}

type Side = number | 'base';
const sideValue = (side: Side) => String(side);
const sideOf = (value: string): Side => (value === 'base' ? 'base' : Number(value));

export function WhatIfScenarios(props: WhatIfScenariosProps) {
  const { t, lang } = useI18n();
  const w = t.whatif;
  const list = useScenarioList(props.region, true);
  const { save, remove } = useScenarioMutations();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [sideA, setSideA] = useState<Side>('base');
  const [sideB, setSideB] = useState<Side | null>(null);

  // The open scenario's name fills the field.
  const openName = props.scenario?.name;
  useEffect(() => {
    if (openName) setName(openName);
  }, [openName]);

  const scenarios = list.data ?? [];
  const trimmed = name.trim();
  const canRewrite = props.scenarioId !== null && props.scenario?.id === props.scenarioId && props.scenario.canChange;

  const onSave = async (asNew: boolean) => {
    setMessage(null);
    try {
      const saved = await save.mutateAsync({
        ...(asNew || !canRewrite ? {} : { id: props.scenarioId! }),
        name: trimmed,
        within: props.region,
        kind: props.kind,
        maxMinutes: props.maxMinutes,
        edits: props.edits,
      });
      setMessage(`${w.saved}${t.colon}${saved.name}`);
      if (saved.id !== props.scenarioId) props.onOpen(saved.id, true);
    } catch (error) {
      setMessage(`${w.saveFailed}${t.colon}${(error as Error).message}`);
    }
  };

  const onRename = async () => {
    if (!renaming || !renaming.name.trim()) return;
    setMessage(null);
    try {
      const current = await trpcClient.scenario.get.query({ id: renaming.id });
      await save.mutateAsync({ id: current.id, name: renaming.name.trim(), within: current.within, kind: current.kind, maxMinutes: current.maxMinutes, edits: current.edits });
      if (current.id === props.scenarioId) setName(renaming.name.trim());
      setRenaming(null);
    } catch (error) {
      setMessage(`${w.saveFailed}${t.colon}${(error as Error).message}`);
    }
  };

  const onDelete = async (id: number, scenarioName: string) => {
    if (!window.confirm(w.confirmDelete.replace('{name}', scenarioName))) return;
    setMessage(null);
    try {
      await remove.mutateAsync({ id });
      if (id === props.scenarioId) props.onOpen(null);
    } catch (error) {
      setMessage(`${w.saveFailed}${t.colon}${(error as Error).message}`);
    }
  };

  const otherB = sideB ?? scenarios.find((s) => s.id !== sideA)?.id ?? null;
  return (
    <div className="whatif-scenarios">
      <h3>{w.scenarios}</h3>
      {props.scenarioError && (
        <p role="alert" className="whatif-error">
          {w.scenarioFailed}
          {t.colon}
          {props.scenarioError.message}
        </p>
      )}
      {props.scenario && (
        <p className="whatif-muted" data-open-scenario={props.scenario.id}>
          {w.current}
          {t.colon}
          {props.scenario.name}
        </p>
      )}
      <div className="whatif-save">
        <label>
          {w.scenarioName}
          <input value={name} maxLength={SCENARIO_LIMITS.maxNameLength} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" disabled={!trimmed || save.isPending} onClick={() => void onSave(false)}>
          {w.save}
        </button>
        {canRewrite && (
          <button type="button" disabled={!trimmed || save.isPending} onClick={() => void onSave(true)}>
            {w.saveAs}
          </button>
        )}
      </div>
      {message && (
        <p className="whatif-message" role="status">
          {message}
        </p>
      )}
      {list.error ? (
        <p role="alert" className="whatif-error">
          {t.loadFailed}
          {t.colon}
          {list.error.message}
        </p>
      ) : scenarios.length === 0 ? (
        <p className="whatif-muted">{list.isPending ? t.loading : w.noScenarios}</p>
      ) : (
        <ul className="whatif-scenario-list">
          {scenarios.map((s) => (
            <li key={s.id} data-scenario-id={s.id} aria-current={s.id === props.scenarioId ? 'true' : undefined}>
              {renaming?.id === s.id ? (
                <>
                  <input aria-label={w.scenarioName} value={renaming.name} maxLength={SCENARIO_LIMITS.maxNameLength} onChange={(e) => setRenaming({ id: s.id, name: e.target.value })} />
                  <button type="button" onClick={() => void onRename()}>
                    {w.rename}
                  </button>
                </>
              ) : (
                <span className="whatif-scenario-name">
                  {s.name} <small>({countOf(s.editCounts)})</small>
                </span>
              )}
              <button type="button" onClick={() => props.onOpen(s.id)} disabled={s.id === props.scenarioId}>
                {w.open}
              </button>
              {s.canChange && renaming?.id !== s.id && (
                <button type="button" onClick={() => setRenaming({ id: s.id, name: s.name })}>
                  {w.rename}
                </button>
              )}
              {s.canChange && (
                <button type="button" onClick={() => void onDelete(s.id, s.name)}>
                  {w.delete}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {scenarios.length > 0 && (
        <div className="whatif-compare-pick">
          <label>
            {w.compareA}
            <select value={sideValue(sideA)} onChange={(e) => setSideA(sideOf(e.target.value))}>
              <option value="base">{SCENARIO_LABELS.base[lang]}</option>
              {scenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w.compareB}
            <select value={otherB === null ? '' : sideValue(otherB)} onChange={(e) => setSideB(sideOf(e.target.value))}>
              <option value="base">{SCENARIO_LABELS.base[lang]}</option>
              {scenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={otherB === null || otherB === sideA} onClick={() => otherB !== null && props.onCompare([sideA, otherB])}>
            {w.compareRun}
          </button>
        </div>
      )}
    </div>
  );
}

/** Edits of a listed scenario, all sorts together. */
function countOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
