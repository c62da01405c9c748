// The period switch: this month, last month, this quarter, this year, or a custom range of days checked
// before it is applied (calendar dates, in order, not after today, at most 800 days).

import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { PERIOD_PRESETS, checkRange, type DayKey, type PeriodSpec, type RangeError } from './brief-period';
import { BRIEF_TEXT } from './brief-text';

export function PeriodPicker({ spec, from, to, today, onChange }: { spec: PeriodSpec; from: DayKey; to: DayKey; today: DayKey; onChange: (spec: PeriodSpec) => void }) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ from, to });
  const [error, setError] = useState<RangeError | null>(null);
  const id = useId();

  const openCustom = (): void => {
    setDraft({ from, to });
    setError(null);
    setEditing(true);
  };
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    const problem = checkRange(draft.from, draft.to, today);
    setError(problem);
    if (problem) return;
    setEditing(false);
    onChange({ kind: 'custom', from: draft.from, to: draft.to });
  };

  return (
    <div className="period-picker">
      <div className="segmented" role="group" aria-label={text.period}>
        {PERIOD_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            data-period={preset}
            aria-pressed={spec.kind === 'preset' && spec.preset === preset}
            onClick={() => {
              setEditing(false);
              onChange({ kind: 'preset', preset });
            }}
          >
            {text.periods[preset]}
          </button>
        ))}
        <button type="button" data-period="custom" aria-pressed={spec.kind === 'custom'} aria-expanded={editing} aria-controls={`${id}-custom`} onClick={openCustom}>
          {text.periods.custom}
        </button>
      </div>
      {editing && (
        <form id={`${id}-custom`} className="custom-range" onSubmit={apply} noValidate>
          <label>
            <span>{text.customFrom}</span>
            <input type="date" name="from" value={draft.from} max={today} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          </label>
          <label>
            <span>{text.customTo}</span>
            <input type="date" name="to" value={draft.to} max={today} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          </label>
          <button type="submit" className="primary">
            {text.apply}
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            {text.cancel}
          </button>
          {error && (
            <p className="form-error" role="alert">
              {text.rangeErrors[error]}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
