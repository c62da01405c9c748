// Dispatching a reported case: the handlers desk.suggestHandlers ranks (unit, kind, side of a boundary,
// open cases, walking distance), each inside the caller's jurisdiction dispatched with one click; a
// boundary case may be handled jointly.

import type { HandlerSuggestion } from '../../api-types';
import { formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { formatWalkingMeters } from './desk-format';
import { DESK_TEXT } from './desk-text';
import { LoadError } from '../../components/load-error';

export interface DispatchPanelProps {
  suggestions: HandlerSuggestion[] | undefined;
  error: { message: string } | null;
  pending: boolean;
  onRetry: () => void;
  /** The case lies by a boundary line: joint handling is offered. */
  boundary: boolean;
  /** Joint handling ticked (kept by the case panel, whose key `a` dispatches too). */
  joint: boolean;
  onJointChange: (joint: boolean) => void;
  busy: boolean;
  onAssign: (handler: HandlerSuggestion, joint: boolean) => void;
}

export function DispatchPanel({ suggestions, error, pending, onRetry, boundary, joint, onJointChange, busy, onAssign }: DispatchPanelProps) {
  const { t, lang } = useI18n();
  const text = DESK_TEXT[lang];
  const firstAssignable = suggestions?.find((handler) => handler.assignable);
  return (
    <section className="desk-section dispatch-panel" aria-labelledby="dispatch-title" data-state={error ? 'error' : pending ? 'loading' : 'ready'}>
      <h3 id="dispatch-title">{text.suggestions}</h3>
      {boundary && (
        <label className="joint-toggle">
          <input type="checkbox" checked={joint} onChange={(event) => onJointChange(event.target.checked)} />
          {text.joint}
          <span className="hint">{text.jointHint}</span>
        </label>
      )}
      {error ? (
        <LoadError what={text.suggestionsFailed} error={error} onRetry={onRetry} role="status" />
      ) : pending ? (
        <p className="empty">{t.loading}</p>
      ) : !suggestions?.length ? (
        <p className="empty">{text.noSuggestions}</p>
      ) : (
        <ol className="suggestions">
          {suggestions.map((handler) => (
            <li key={handler.unitCode} data-unit={handler.unitCode} data-side={handler.side} data-assignable={handler.assignable}>
              <div className="suggestion-name">
                <strong>{handler.name}</strong>
                <span className="tag">{text.kinds[handler.kind]}</span>
                {boundary && <span className={`tag side-${handler.side}`}>{text.sides[handler.side]}</span>}
              </div>
              <div className="suggestion-facts">
                <span>
                  {text.openCases} {formatInteger(handler.openCases, lang)}
                </span>
                <span>{handler.walkingMeters === null ? text.walkingUnknown : `${text.walking} ${formatWalkingMeters(handler.walkingMeters, lang)}`}</span>
              </div>
              {handler.assignable ? (
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => onAssign(handler, boundary && joint)}
                  aria-keyshortcuts={handler === firstAssignable ? 'a' : undefined}
                >
                  {text.dispatch}
                  <span className="visually-hidden">
                    {' '}
                    {text.assignTo} {handler.name}
                  </span>
                </button>
              ) : (
                <span className="not-assignable">{text.notAssignable}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
