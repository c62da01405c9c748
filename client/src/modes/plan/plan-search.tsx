// Find a unit of the focus by name or code and fly to it: a combobox over the units already known to the
// page (the focus's ancestors and children, the table's rows, its communities), arrows to choose, Enter
// to go. A grid opens its community with the grid highlighted.

import { useId, useMemo, useState } from 'react';
import { useI18n } from '../../i18n';

export interface SearchEntry {
  code: string;
  name: string;
  /** The level's name in the UI language. */
  levelLabel: string;
}

/** Entries whose name contains the query or whose code starts with it (digits), at most `limit`, names first. */
export function searchUnits(entries: readonly SearchEntry[], query: string, limit = 8): SearchEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const byCode = /^\d+$/.test(q);
  const seen = new Set<string>();
  const hits: SearchEntry[] = [];
  for (const entry of entries) {
    if (seen.has(entry.code)) continue;
    if (byCode ? entry.code.startsWith(q) : entry.name.toLowerCase().includes(q)) {
      seen.add(entry.code);
      hits.push(entry);
    }
  }
  // Shorter names (closer matches) and coarser units first.
  hits.sort((a, b) => (byCode ? a.code.length - b.code.length : a.name.length - b.name.length) || a.code.localeCompare(b.code));
  return hits.slice(0, limit);
}

export function PlanSearch({ entries, onSelect }: { entries: readonly SearchEntry[]; onSelect: (code: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => searchUnits(entries, query), [entries, query]);
  const open = query.trim() !== '';
  const choose = (entry: SearchEntry | undefined) => {
    if (!entry) return;
    onSelect(entry.code);
    setQuery('');
    setActive(0);
  };
  return (
    <div className="plan-search" role="search">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {t.planWs.search}
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open && hits[active] ? `${id}-${hits[active].code}` : undefined}
        placeholder={`${t.planWs.search}${t.colon}${t.planWs.searchPlaceholder}`}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, Math.max(0, hits.length - 1)));
          else if (event.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (event.key === 'Enter') choose(hits[active]);
          else if (event.key === 'Escape') setQuery('');
          else return;
          event.preventDefault();
        }}
      />
      {open && (
        <ul id={`${id}-list`} role="listbox" className="plan-search-list" aria-label={t.planWs.search}>
          {hits.length === 0 && <li className="plan-search-none">{t.planWs.searchNone}</li>}
          {hits.map((hit, k) => (
            <li
              key={hit.code}
              id={`${id}-${hit.code}`}
              role="option"
              aria-selected={k === active}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(hit);
              }}
            >
              {hit.name} <span className="plan-search-meta">{hit.levelLabel} · {hit.code}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
