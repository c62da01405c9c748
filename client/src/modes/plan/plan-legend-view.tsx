// The /plan map legend for the question asked, drawn from the same model as the exported PNG's.

import { cssColor, type PlanLegendModel } from './plan-legend';

export function PlanLegend({ model, className }: { model: PlanLegendModel; className: string }) {
  return (
    <figure className={`legend ${className}`} aria-label={model.title}>
      <figcaption>{model.title}</figcaption>
      <ul>
        {model.entries.map((entry) => (
          <li key={entry.text}>
            <span
              className={entry.shape === 'dot' ? 'swatch swatch-dot' : 'swatch'}
              style={entry.shape === 'outline' ? { outline: `2px solid ${cssColor(entry.color)}`, outlineOffset: -2 } : { background: cssColor(entry.color) }}
            />
            {entry.text}
          </li>
        ))}
      </ul>
      {model.note && <p className="legend-note">{model.note}</p>}
    </figure>
  );
}
