// The place's dispute hot spots in the period (Gi*, by default against the residents: where disputes
// outrun the population; one tap shows the plain count clusters) and its emerging hot spots over the
// weeks or months to the period's end, each named with the child unit that holds it.

import type { EmergingRow, HotspotBaseline, HotspotRow } from '../../hooks/use-brief';
import { formatDecimal, formatInteger } from '../../format';
import { useI18n } from '../../i18n';
import { EMERGING_CATEGORY_COLORS } from '../../layers/hotspot-colors';
import { formatDayRange } from './brief-format';
import type { DayRange } from './brief-period';
import { BRIEF_TEXT, fill } from './brief-text';
import { SectionState } from './section-state';

/** Rows shown of each list. */
const SHOWN = 8;

const CONFIDENCE: Record<number, string> = { 3: '99%', 2: '95%', 1: '90%' };

export interface NamedUnit {
  code: string;
  name: string;
}

/** "沈河区 · 迎新社区": the child of the place holding a cell (when it is not the cell itself), then the cell. */
export function placeOf(id: string, name: string | null, children: readonly NamedUnit[]): string {
  const parent = children.find((child) => id.startsWith(child.code) && id !== child.code);
  const own = name ?? id;
  return parent ? `${parent.name} · ${own}` : own;
}

export interface HotspotPanelProps {
  baseline: HotspotBaseline;
  onBaseline: (baseline: HotspotBaseline) => void;
  hotspots: { rows: HotspotRow[] | undefined; error: { message: string } | null; refetch: () => void };
  emerging: { rows: EmergingRow[] | undefined; window: DayRange & { slice: 'week' | 'month' }; error: { message: string } | null; refetch: () => void };
  units: readonly NamedUnit[];
}

export function HotspotPanel({ baseline, onBaseline, hotspots, emerging, units }: HotspotPanelProps) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const cases = (count: number): string => (lang === 'zh' ? `${formatInteger(count, lang)}${text.cases}` : `${formatInteger(count, lang)} ${text.cases}`);
  return (
    <section className="brief-panel brief-hotspots" aria-labelledby="brief-hotspots-title">
      <header className="panel-header">
        <h2 id="brief-hotspots-title">{text.hotspots}</h2>
        <div className="segmented segmented-small" role="group" aria-label={text.hotspots}>
          <button type="button" aria-pressed={baseline === 'residents'} onClick={() => onBaseline('residents')}>
            {text.baselineResidents}
          </button>
          <button type="button" aria-pressed={baseline === 'none'} onClick={() => onBaseline('none')}>
            {text.baselineCounts}
          </button>
        </div>
      </header>
      <div className="hotspot-columns">
        <div className="hotspot-list" data-state={hotspots.rows ? 'ready' : hotspots.error ? 'error' : 'loading'} data-baseline={baseline}>
          <h3>{text.topHotspots}</h3>
          <p className="panel-note">{baseline === 'residents' ? text.baselineNote : text.countsNote}</p>
          <SectionState rows={hotspots.rows} error={hotspots.error} onRetry={hotspots.refetch} empty={text.noHotspots}>
            {(rows) => (
              <ol className="item-list">
                {rows.slice(0, SHOWN).map((row) => (
                  <li key={row.id} data-id={row.id} className={`hot-${row.class}`}>
                    <span className="item-name">{placeOf(row.id, row.name, units)}</span>
                    <span className="item-figures">
                      <strong>{cases(row.count)}</strong>
                      {row.expected !== null && (
                        <span>
                          {' '}
                          · {text.expected} {formatDecimal(row.expected, lang)}
                        </span>
                      )}
                    </span>
                    <span className="chip chip-hot">
                      {text.confidence} {CONFIDENCE[row.class] ?? '—'}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </SectionState>
        </div>
        <div className="hotspot-list" data-state={emerging.rows ? 'ready' : emerging.error ? 'error' : 'loading'}>
          <h3>{text.emerging}</h3>
          <p className="panel-note">
            {fill(text.emergingWindow, {
              slice: text.slices[emerging.window.slice],
              range: formatDayRange(emerging.window, lang),
            })}
          </p>
          <SectionState rows={emerging.rows} error={emerging.error} onRetry={emerging.refetch} empty={text.noEmerging}>
            {(rows) => (
              <ol className="item-list">
                {rows.slice(0, SHOWN).map((row) => {
                  const [r, g, b] = EMERGING_CATEGORY_COLORS[row.category];
                  return (
                    <li key={row.id} data-id={row.id}>
                      <span className="item-name">{placeOf(row.id, row.name, units)}</span>
                      <span className="item-figures">
                        <strong>{cases(row.count)}</strong>
                      </span>
                      <span className="chip">
                        <span className="swatch" style={{ background: `rgb(${r}, ${g}, ${b})` }} aria-hidden="true" />
                        {row.category === 'none' ? '' : text.categories[row.category]}
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
          </SectionState>
        </div>
      </div>
    </section>
  );
}
