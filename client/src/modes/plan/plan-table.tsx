// A sortable, windowed table of units for /plan: only the rows in view are in the DOM (10,000 grids stay
// smooth; rows have one fixed height, so the window is a division), sorting is an index permutation over each column's typed keys (table-sort.ts), and one row is
// "highlighted" with the map both ways. Keyboard: Tab reaches the sort buttons and the active row; arrows,
// Home/End and PageUp/PageDown move through rows; Enter opens the unit.

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { sortedIndices, type SortDirection } from './table-sort';

export interface PlanTableColumn {
  id: string;
  label: string;
  /** Sort keys aligned with the rows (NaN: no value, sorted last); undefined: not sortable. */
  keys?: Float64Array;
  numeric?: boolean;
  /** The cell of row i (an index into the unsorted rows). */
  cell: (i: number) => ReactNode;
}

export interface PlanTableProps {
  caption: string;
  columns: readonly PlanTableColumn[];
  rowCount: number;
  codeOf: (i: number) => string;
  /** The highlighted unit, and whether the map asked for it (then its row scrolls into view). */
  highlight: { code: string; from: 'map' | 'table' } | null;
  onHighlight: (code: string | null) => void;
  /** Enter or double click on a row. */
  onOpen?: (code: string) => void;
  initialSort: { column: string; direction: SortDirection };
  /** Accessible names of the sort directions. */
  sortLabels: { asc: string; desc: string };
}

const ROW_HEIGHT = 28;
/** Rows rendered beyond each edge of the view. */
const OVERSCAN_ROWS = 8;

export function PlanTable({ caption, columns, rowCount, codeOf, highlight, onHighlight, onOpen, initialSort, sortLabels }: PlanTableProps) {
  const [sort, setSort] = useState(initialSort);
  const sortColumn = columns.find((column) => column.id === sort.column && column.keys) ?? columns.find((column) => column.keys);
  const order = useMemo(() => {
    const keys = sortColumn?.keys;
    if (!keys || keys.length !== rowCount) return Uint32Array.from({ length: rowCount }, (_, i) => i);
    return sortedIndices(keys, sort.direction);
  }, [sortColumn, sort.direction, rowCount]);
  // Position in the sorted order of each row, to find a highlighted unit's row.
  const positionByCode = useMemo(() => {
    const map = new Map<string, number>();
    for (let p = 0; p < order.length; p++) map.set(codeOf(order[p]!), p);
    return map;
  }, [order, codeOf]);

  // Windowing with fixed-height rows: the rows between the scroll offset and the box's height (plus a
  // margin) are rendered, spacer rows stand for the rest. Programmatic scrolls fire onScroll too.
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(ROW_HEIGHT * 12);
  useEffect(() => {
    const box = scrollRef.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setViewHeight(box.clientHeight));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  const [active, setActive] = useState(0);
  const highlightedPosition = highlight ? positionByCode.get(highlight.code) : undefined;
  /** Scrolls row position p into view (a plain scroll: the window follows through onScroll). */
  const scrollToRow = useCallback((p: number) => {
    const box = scrollRef.current;
    if (!box) return;
    const header = box.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
    const top = p * ROW_HEIGHT;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight - header) box.scrollTop = top + ROW_HEIGHT - box.clientHeight + header;
  }, []);
  useEffect(() => {
    if (highlight?.from === 'map' && highlightedPosition !== undefined) scrollToRow(highlightedPosition);
  }, [highlight, highlightedPosition, scrollToRow]);

  // A row moved to by the keyboard is focused once the window has rendered it (after its scroll).
  const pendingFocusRef = useRef<number | null>(null);
  useEffect(() => {
    const p = pendingFocusRef.current;
    if (p === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-position="${p}"]`);
    if (row) {
      pendingFocusRef.current = null;
      row.focus();
    }
  });
  const focusRow = (position: number) => {
    const p = Math.max(0, Math.min(rowCount - 1, position));
    pendingFocusRef.current = p;
    setActive(p);
    scrollToRow(p);
    onHighlight(codeOf(order[p]!));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, position: number) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) focusRow(position + moves[event.key]!);
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(rowCount - 1);
    else if (event.key === 'Enter' && onOpen) onOpen(codeOf(order[position]!));
    else return;
    event.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN_ROWS);
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN_ROWS);
  const items = Array.from({ length: Math.max(0, last - first) }, (_, k) => ({ index: first + k }));
  const before = first * ROW_HEIGHT;
  const after = (rowCount - Math.max(first, last)) * ROW_HEIGHT;
  const activePosition = Math.min(active, Math.max(0, rowCount - 1));
  return (
    <div className="plan-table-scroll" ref={scrollRef} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
      <table className="plan-table" aria-rowcount={rowCount + 1}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) => {
              const sorted = sortColumn?.id === column.id;
              return (
                <th
                  key={column.id}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {column.keys ? (
                    <button
                      type="button"
                      data-column={column.id}
                      title={sorted ? (sort.direction === 'asc' ? sortLabels.asc : sortLabels.desc) : undefined}
                      onClick={() =>
                        setSort({ column: column.id, direction: sorted ? (sort.direction === 'asc' ? 'desc' : 'asc') : column.numeric ? 'desc' : 'asc' })
                      }
                    >
                      {column.label}
                      <span aria-hidden="true">{sorted ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" style={{ height: before }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const i = order[item.index]!;
            const code = codeOf(i);
            return (
              <tr
                key={code}
                data-code={code}
                data-position={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={highlight?.code === code}
                className={highlight?.code === code ? 'highlighted' : undefined}
                tabIndex={item.index === activePosition ? 0 : -1}
                style={{ height: ROW_HEIGHT }}
                onMouseEnter={() => onHighlight(code)}
                onFocus={() => {
                  setActive(item.index);
                  onHighlight(code);
                }}
                onClick={() => {
                  setActive(item.index);
                  onHighlight(code);
                }}
                onDoubleClick={() => onOpen?.(code)}
                onKeyDown={(event) => onKeyDown(event, item.index)}
              >
                {columns.map((column) => (
                  <td key={column.id} className={column.numeric ? 'numeric' : undefined}>
                    {column.cell(i)}
                  </td>
                ))}
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" style={{ height: after }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
